package org.explosionlab.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The benchmark's results as Markdown, one table per batch size. Ratios are taken inside one table,
 * i.e. between runs of the same session, never against numbers from another day:
 * <pre>
 * × first      = median examples/s of the row / that of the table's first row
 * × numpy      = median examples/s of the row / that of the fastest numpy row
 * (the same with examples per CPU-second, against the numpy row with the most examples per CPU-second)
 * overhead of X over Y = (examples/s of Y) / (examples/s of X) − 1   (extra time per example)
 * </pre>
 */
public final class BenchTable {
    private BenchTable() {
    }

    public static String markdown(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        List<Integer> batches = rows.stream().map(BenchRow::batch).distinct().sorted().toList();
        for (int batch : batches) {
            List<BenchRow> inBatch = rows.stream().filter(r -> r.batch() == batch).toList();
            BenchRow first = inBatch.get(0);
            Optional<BenchRow> numpyWall = numpy(inBatch).max(Comparator.comparingDouble(BenchRow::medianPerSecond));
            Optional<BenchRow> numpyCpu = numpy(inBatch).max(Comparator.comparingDouble(BenchRow::medianPerCpuSecond));
            sb.append(String.format(Locale.ROOT, "%nbatch %d (%d measured epochs per row; ratios: × (%s) = vs first row, "
                    + "× numpy = vs fastest numpy row)%n%n", batch, first.epochs().size(), first.id()));
            sb.append("| row | setup | examples/s (median) | min–max | × (").append(first.id())
                    .append(") | × numpy | examples/CPU-s | × (").append(first.id())
                    .append(") CPU | × numpy CPU | peak RSS MiB |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (BenchRow r : inBatch) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f–%,.0f | %.2f | %s | %,.0f | %.2f | %s | %s |%n",
                        r.id(), r.label(), r.medianPerSecond(), r.minPerSecond(), r.maxPerSecond(),
                        r.medianPerSecond() / first.medianPerSecond(),
                        numpyWall.map(n -> fmt(r.medianPerSecond() / n.medianPerSecond())).orElse("–"),
                        r.medianPerCpuSecond(), r.medianPerCpuSecond() / first.medianPerCpuSecond(),
                        numpyCpu.map(n -> fmt(r.medianPerCpuSecond() / n.medianPerCpuSecond())).orElse("–"),
                        r.peakRssKib() < 0 ? "?" : String.format(Locale.ROOT, "%,.0f", r.peakRssKib() / 1024.0)));
            }
        }
        return sb.toString();
    }

    /** One line per batch: Java/numpy for the project default (b) and the listeners' overheads. */
    public static String summary(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        for (int batch : rows.stream().map(BenchRow::batch).distinct().sorted().toList()) {
            List<BenchRow> in = rows.stream().filter(r -> r.batch() == batch).toList();
            Optional<BenchRow> tuned = find(in, BenchSetup.TUNED.id());
            Optional<BenchRow> numpyWall = numpy(in).max(Comparator.comparingDouble(BenchRow::medianPerSecond));
            Optional<BenchRow> numpyCpu = numpy(in).max(Comparator.comparingDouble(BenchRow::medianPerCpuSecond));
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "batch %d:", batch));
            if (tuned.isPresent() && numpyWall.isPresent()) {
                line.append(String.format(Locale.ROOT, " Java (b) / numpy = %.2f (wall, vs %s), %.2f (CPU, vs %s);",
                        tuned.get().medianPerSecond() / numpyWall.get().medianPerSecond(), numpyWall.get().id(),
                        tuned.get().medianPerCpuSecond() / numpyCpu.get().medianPerCpuSecond(), numpyCpu.get().id()));
            }
            for (String listener : List.of(BenchSetup.METRICS.id(), BenchSetup.STATS.id())) {
                Optional<BenchRow> l = find(in, listener);
                if (tuned.isPresent() && l.isPresent()) {
                    line.append(String.format(Locale.ROOT, " (%s) overhead over (b) = %+.1f %% wall, %+.1f %% CPU;", listener,
                            100 * overhead(l.get().medianPerSecond(), tuned.get().medianPerSecond()),
                            100 * overhead(l.get().medianPerCpuSecond(), tuned.get().medianPerCpuSecond())));
                }
            }
            sb.append(line.toString().replaceAll(";$", "")).append('\n');
        }
        return sb.toString();
    }

    /** Extra time per example of a row running at {@code perSecond} against one at {@code basePerSecond}. */
    static double overhead(double perSecond, double basePerSecond) {
        return basePerSecond / perSecond - 1;
    }

    private static java.util.stream.Stream<BenchRow> numpy(List<BenchRow> rows) {
        return rows.stream().filter(r -> r.id().startsWith("numpy"));
    }

    private static Optional<BenchRow> find(List<BenchRow> rows, String id) {
        return rows.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ids(List<BenchRow> rows) {
        return rows.stream().map(BenchRow::id).collect(Collectors.joining(","));
    }
}
