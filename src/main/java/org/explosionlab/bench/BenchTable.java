package org.explosionlab.bench;

import java.util.List;
import java.util.Locale;
import org.explosionlab.bench.BlockPairs.Spread;
import org.explosionlab.bench.EpochTiming.Clock;

/**
 * The benchmark's results as Markdown tables, every ratio taken between stretches of one round of one
 * run ({@link BlockPairs}), never against numbers from another run:
 * <pre>
 * monitor table:  cost of X         = median_r( t_X(r) / t_none(r) ) − 1      [p25, p75]   (blocks in one JVM)
 * settings table: × dl4j-defaults   = median_r( t_defaults(r) / t_X(r) )       [min–max]   (child JVMs)
 * limit table:    ÷ project         = median_r( t_project(r) / t_X(r) )        [min–max]   (X's examples/s over the project's)
 * </pre>
 * with t the time per example (wall clock unless the column says otherwise).
 */
public final class BenchTable {
    /** The target for the monitor's cost by wall clock. */
    static final double MONITOR_TARGET = 0.02;

    private BenchTable() {
    }

    /**
     * The rows of one batch size and the pairs they were measured in: {@code rows.get(i)} is setup
     * {@code i} of {@code pairs}.
     */
    public record Section(int batch, List<BenchRow> rows, BlockPairs pairs) {
        public Section {
            rows = List.copyOf(rows);
            if (rows.size() != pairs.setups()) {
                throw new IllegalArgumentException(rows.size() + " rows for " + pairs.setups() + " paired setups");
            }
        }
    }

    /** The listener rows: cost over the first row (none), wall and training-thread CPU, and the target check. */
    public static String monitorTable(List<Section> sections, int blockSteps) {
        StringBuilder sb = new StringBuilder();
        sb.append("| batch | row | what | examples/s | cost, wall: median [p25, p75] | cost, training-thread CPU: median [p25, p75]"
                + " | ≤ 2 % (wall)? | peak RSS MiB ¹ |\n");
        sb.append("|---:|---|---|---:|---:|---:|:---:|---:|\n");
        for (Section s : sections) {
            for (int i = 0; i < s.rows().size(); i++) {
                BenchRow r = s.rows().get(i);
                String wall = i == 0 ? "reference" : cost(s.pairs().cost(i, Clock.WALL));
                String cpu = i == 0 ? "reference" : cost(s.pairs().cost(i, Clock.THREAD_CPU));
                String target = i == 0 ? "" : r.id().startsWith("monitor")
                        ? (s.pairs().cost(i, Clock.WALL).median() <= MONITOR_TARGET ? "yes" : "no") : "(comparison)";
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %,.0f | %s | %s | %s | %s |%n", s.batch(), r.id(), r.label(),
                        r.medianPerSecond(), wall, cpu, target, mib(r.peakRssKib())));
            }
        }
        int rounds = sections.isEmpty() ? 0 : sections.get(0).pairs().rounds();
        sb.append(String.format(Locale.ROOT, "%n%,d rounds of one block of %d steps per row, in turn, the order rotating every round;"
                + " cost = median over rounds of (block time ÷ the none block's time in the same round) − 1; examples/s ="
                + " median over blocks.%n¹ the benchmark JVM's own peak RSS (VmHWM) after the rows of that batch size:"
                + " one process for all rows of that batch size, not a per-row figure.%n", rounds, blockSteps));
        return sb.toString();
    }

    /** The settings rows: how many times as fast as dl4j-defaults (the first row), wall and process CPU. */
    public static String settingsTable(List<Section> sections) {
        StringBuilder sb = new StringBuilder();
        sb.append("| batch | row | what | threads | examples/s | × dl4j-defaults, wall: median [min–max] | × dl4j-defaults,"
                + " process CPU: median [min–max] | peak RSS MiB ² |\n");
        sb.append("|---:|---|---|---:|---:|---:|---:|---:|\n");
        int rounds = 0;
        for (Section s : sections) {
            rounds = s.pairs().rounds();
            for (int i = 0; i < s.rows().size(); i++) {
                BenchRow r = s.rows().get(i);
                if (r.kind() != BenchRow.Kind.SETTINGS) continue;
                String wall = i == 0 ? "reference" : speed(s.pairs().speed(i, 0, Clock.WALL));
                String cpu = i == 0 ? "reference" : speed(s.pairs().speed(i, 0, Clock.PROCESS_CPU));
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %,.0f | %s | %s | %s |%n", s.batch(), r.id(), r.label(),
                        r.threads(), r.medianPerSecond(), wall, cpu, mib(r.peakRssKib())));
            }
        }
        sb.append(String.format(Locale.ROOT, "%n%d rounds; in each, every row ran in a child JVM of its own, one after the other"
                + " (order rotating); examples/s = median over rounds of the child's measured epochs; × = median over rounds of"
                + " (dl4j-defaults' time per example ÷ the row's, same round).%n² the child JVM's peak RSS (VmHWM), largest"
                + " over rounds.%n", rounds));
        return sb.toString();
    }

    /**
     * The physical limit: the Python references against the {@code project} row, plus one line for each
     * reference that could not run ({@code notMeasured}: "id: reason").
     */
    public static String limitTable(List<Section> sections, String projectId, List<String> notMeasured) {
        StringBuilder sb = new StringBuilder();
        sb.append("| batch | row | what | threads | examples/s | ÷ project, wall: median [min–max] | peak RSS MiB ³ |\n");
        sb.append("|---:|---|---|---:|---:|---:|---:|\n");
        for (Section s : sections) {
            int project = indexOf(s, projectId);
            BenchRow p = s.rows().get(project);
            sb.append(String.format(Locale.ROOT, "| %d | %s | DL4J with this project's settings (row above) | %s | %,.0f | 1 | %s |%n",
                    s.batch(), p.id(), p.threads(), p.medianPerSecond(), mib(p.peakRssKib())));
            for (int i = 0; i < s.rows().size(); i++) {
                BenchRow r = s.rows().get(i);
                if (r.kind() != BenchRow.Kind.REFERENCE) continue;
                sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %,.0f | %s | %s |%n", s.batch(), r.id(), r.label(),
                        r.threads(), r.medianPerSecond(), speed(s.pairs().speed(i, project, Clock.WALL)), mib(r.peakRssKib())));
            }
            for (String line : notMeasured) {
                int colon = line.indexOf(':');
                sb.append(String.format(Locale.ROOT, "| %d | %s | not measured:%s | – | – | – | – |%n", s.batch(),
                        colon < 0 ? line : line.substring(0, colon), colon < 0 ? "" : line.substring(colon + 1)));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nA reference, not a target: the same MLP and Adam outside DL4J, same IDX files, same"
                + " batch, in the same rounds as the child JVMs; ÷ project = median over rounds of (the row's examples/s ÷ the"
                + " project child's, same round).%n³ the process's peak RSS (VmHWM), largest over rounds.%n"));
        return sb.toString();
    }

    private static int indexOf(Section s, String id) {
        for (int i = 0; i < s.rows().size(); i++) if (s.rows().get(i).id().equals(id)) return i;
        throw new IllegalArgumentException("no row " + id + " at batch " + s.batch());
    }

    /** {@code +1.3 % [+0.5, +2.1]}: a cost's median and quartiles, in percent. */
    static String cost(Spread c) {
        return String.format(Locale.ROOT, "%+.1f %% [%+.1f, %+.1f]", 100 * c.median(), 100 * c.p25(), 100 * c.p75());
    }

    /** {@code 2.41 [2.30–2.52]}: a speed ratio's median and range over rounds. */
    static String speed(Spread s) {
        return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]", s.median(), s.min(), s.max());
    }

    /** KiB as MiB without decimals; "?" when unknown. */
    static String mib(long kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%,.0f", kib / 1024.0);
    }
}
