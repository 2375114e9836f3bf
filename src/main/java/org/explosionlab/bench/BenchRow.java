package org.explosionlab.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One row of the results: a setup at one batch size, the stretches it trained in the measured rounds
 * (blocks of steps in one JVM, or one child process per round) and its peak RSS. The medians are over
 * those stretches; the ratios between rows are {@link BlockPairs}'s, per round.
 *
 * @param kind       which table the row belongs to
 * @param threads    the ND4J / BLAS / torch thread count the row ran with ("?" if unknown)
 * @param peakRssKib VmHWM in KiB, the largest over the row's processes; for
 *                   {@link Kind#IN_JVM} rows the benchmark JVM's own, shared by all rows of that JVM; -1 if unknown
 */
public record BenchRow(Kind kind, String id, String label, int batch, String threads, List<EpochTiming> stretches, long peakRssKib) {
    /** Where a row was measured. */
    public enum Kind {
        /** A listener row, trained in turn with the others inside the benchmark's JVM. */
        IN_JVM,
        /** A {@link Settings} row: one child JVM per round. */
        SETTINGS,
        /** A {@link PythonReference}: one Python process per round. */
        REFERENCE
    }

    public BenchRow {
        stretches = List.copyOf(stretches);
        if (stretches.isEmpty()) throw new IllegalArgumentException("row " + id + " has no measurement");
    }

    /** Median examples/s (wall) over the stretches. */
    public double medianPerSecond() {
        return median(EpochTiming::examplesPerSecond);
    }

    /** Median examples per process CPU-second over the stretches. */
    public double medianPerCpuSecond() {
        return median(EpochTiming::examplesPerCpuSecond);
    }

    private double median(ToDoubleFunction<EpochTiming> f) {
        return median(stretches.stream().mapToDouble(f).toArray());
    }

    /** The middle value, or the mean of the two middle values for an even count. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) return Double.NaN;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
