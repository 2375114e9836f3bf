package org.explosionlab.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The benchmark's results as Markdown, one table per batch size. Ratios are taken inside one table,
 * i.e. between runs of the same session, never against numbers from another day:
 * <pre>
 * × first      = median examples/s of the row / that of the table's first row
 * × numpy      = median examples/s of the row / that of the fastest numpy row
 * (the same with examples per process CPU-second and per training-thread CPU-second, each against the
 *  numpy row that is best by that measure)
 * overhead of X over Y = (examples/s of Y) / (examples/s of X) − 1   (extra time per example)
 * </pre>
 */
public final class BenchTable {
    private BenchTable() {
    }

    /** The three measures of a row: wall, process CPU, training-thread CPU. */
    private static final List<ToDoubleFunction<BenchRow>> MEASURES = List.of(BenchRow::medianPerSecond,
            BenchRow::medianPerCpuSecond, BenchRow::medianPerThreadCpuSecond);

    public static String markdown(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        for (int batch : batches(rows)) {
            List<BenchRow> in = inBatch(rows, batch);
            BenchRow first = in.get(0);
            String f = "× (" + first.id() + ")";
            sb.append(String.format(Locale.ROOT, "%nbatch %d (%d measured epochs per row; medians; %s = vs first row, "
                    + "× numpy = vs the best numpy row by the same measure)%n%n", batch, first.epochs().size(), f));
            sb.append("| row | setup | examples/s | min–max | ").append(f).append(" | × numpy | examples/CPU-s | ").append(f)
                    .append(" | × numpy | examples/thread-CPU-s | ").append(f).append(" | × numpy | peak RSS MiB |\n");
            sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (BenchRow r : in) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f–%,.0f |", r.id(), r.label(),
                        r.medianPerSecond(), r.minPerSecond(), r.maxPerSecond()));
                for (int m = 0; m < MEASURES.size(); m++) {
                    ToDoubleFunction<BenchRow> measure = MEASURES.get(m);
                    double v = measure.applyAsDouble(r);
                    if (m > 0) sb.append(String.format(Locale.ROOT, " %,.0f |", v));
                    sb.append(String.format(Locale.ROOT, " %.2f |", v / measure.applyAsDouble(first)));
                    sb.append(' ').append(bestNumpy(in, measure).map(n -> fmt(v / measure.applyAsDouble(n))).orElse("–")).append(" |");
                }
                sb.append(' ').append(r.peakRssKib() < 0 ? "?" : String.format(Locale.ROOT, "%,.0f", r.peakRssKib() / 1024.0))
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    /** One line per batch: Java/numpy for the project default (b) and the listeners' overheads. */
    public static String summary(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        for (int batch : batches(rows)) {
            List<BenchRow> in = inBatch(rows, batch);
            Optional<BenchRow> tuned = find(in, BenchSetup.TUNED.id());
            List<String> parts = new ArrayList<>();
            if (tuned.isPresent() && bestNumpy(in, MEASURES.get(0)).isPresent()) {
                StringBuilder p = new StringBuilder("Java (b) / numpy =");
                String[] names = {"wall", "CPU", "thread CPU"};
                for (int m = 0; m < MEASURES.size(); m++) {
                    ToDoubleFunction<BenchRow> measure = MEASURES.get(m);
                    BenchRow n = bestNumpy(in, measure).orElseThrow();
                    p.append(String.format(Locale.ROOT, "%s %.2f (%s, vs %s)", m == 0 ? "" : ",",
                            measure.applyAsDouble(tuned.get()) / measure.applyAsDouble(n), names[m], n.id()));
                }
                parts.add(p.toString());
            }
            for (String listener : List.of(BenchSetup.METRICS.id(), BenchSetup.METRICS_EVERY_10.id(), BenchSetup.STATS.id())) {
                Optional<BenchRow> l = find(in, listener);
                if (tuned.isPresent() && l.isPresent()) {
                    parts.add(String.format(Locale.ROOT, "(%s) overhead over (b) = %+.1f %% wall, %+.1f %% CPU, %+.1f %% thread CPU",
                            listener, 100 * overhead(l.get().medianPerSecond(), tuned.get().medianPerSecond()),
                            100 * overhead(l.get().medianPerCpuSecond(), tuned.get().medianPerCpuSecond()),
                            100 * overhead(l.get().medianPerThreadCpuSecond(), tuned.get().medianPerThreadCpuSecond())));
                }
            }
            sb.append(String.format(Locale.ROOT, "batch %d: %s%n", batch, String.join("; ", parts)));
        }
        return sb.toString();
    }

    /** Extra time per example of a row running at {@code perSecond} against one at {@code basePerSecond}. */
    static double overhead(double perSecond, double basePerSecond) {
        return basePerSecond / perSecond - 1;
    }

    private static List<Integer> batches(List<BenchRow> rows) {
        return rows.stream().map(BenchRow::batch).distinct().sorted().toList();
    }

    private static List<BenchRow> inBatch(List<BenchRow> rows, int batch) {
        return rows.stream().filter(r -> r.batch() == batch).toList();
    }

    private static Optional<BenchRow> bestNumpy(List<BenchRow> rows, ToDoubleFunction<BenchRow> measure) {
        return rows.stream().filter(r -> r.id().startsWith("numpy")).max(Comparator.comparingDouble(measure));
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
