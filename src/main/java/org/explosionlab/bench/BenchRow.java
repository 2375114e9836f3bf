package org.explosionlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * All measurements of one setup at one batch size, pooled over rounds: the medians are what the table
 * reports, min/max show the spread.
 *
 * @param peakRssKib the largest VmHWM of the setup's child processes, KiB (-1 if unknown)
 */
public record BenchRow(String id, String label, int batch, List<EpochTiming> epochs, long peakRssKib) {
    public BenchRow {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) throw new IllegalArgumentException("row " + id + " has no measurement");
    }

    /** Pools the reports of several rounds of one setup. */
    public static BenchRow pool(String id, String label, int batch, List<ChildReport> reports) {
        List<EpochTiming> all = new ArrayList<>();
        long peak = -1;
        for (ChildReport r : reports) {
            all.addAll(r.epochs());
            peak = Math.max(peak, r.peakRssKib());
        }
        return new BenchRow(id, label, batch, all, peak);
    }

    public double medianPerSecond() {
        return median(EpochTiming::examplesPerSecond);
    }

    public double medianPerCpuSecond() {
        return median(EpochTiming::examplesPerCpuSecond);
    }

    public double medianPerThreadCpuSecond() {
        return median(EpochTiming::examplesPerThreadCpuSecond);
    }

    public double minPerSecond() {
        return epochs.stream().mapToDouble(EpochTiming::examplesPerSecond).min().orElseThrow();
    }

    public double maxPerSecond() {
        return epochs.stream().mapToDouble(EpochTiming::examplesPerSecond).max().orElseThrow();
    }

    private double median(ToDoubleFunction<EpochTiming> f) {
        return median(epochs.stream().mapToDouble(f).toArray());
    }

    /** The middle value, or the mean of the two middle values for an even count. */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
