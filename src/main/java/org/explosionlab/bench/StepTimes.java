package org.explosionlab.bench;

import java.util.Arrays;

/**
 * Durations of single training steps of one network, split into the steps the metrics listener
 * recorded and unrecorded steps of the same parity ({@link SetupRun#timedSteps}). With
 * {@code metricsEvery = 4} the two kinds interleave two steps apart, a millisecond or two, so a change
 * of machine load hits both alike and the cost of recording a step is read from the medians without
 * the epoch-to-epoch noise of comparing separate runs:
 * <pre>
 * cost of recording = median(recorded step) / median(unrecorded step) − 1
 * </pre>
 * An unrecorded step still passes through the listener and the instrumented updater (which then do
 * nothing but check the iteration number); what they cost is what the paired-epoch table shows for
 * {@code c10}.
 */
public final class StepTimes {
    private long[] recordedWall = new long[1024];
    private long[] recordedCpu = new long[1024];
    private long[] otherWall = new long[1024];
    private long[] otherCpu = new long[1024];
    private int recorded;
    private int other;

    /** One step: recorded or not, its wall-clock and thread-CPU nanoseconds. */
    public void add(boolean wasRecorded, long wallNanos, long cpuNanos) {
        if (wasRecorded) {
            if (recorded == recordedWall.length) {
                recordedWall = Arrays.copyOf(recordedWall, 2 * recorded);
                recordedCpu = Arrays.copyOf(recordedCpu, 2 * recorded);
            }
            recordedWall[recorded] = wallNanos;
            recordedCpu[recorded++] = cpuNanos;
        } else {
            if (other == otherWall.length) {
                otherWall = Arrays.copyOf(otherWall, 2 * other);
                otherCpu = Arrays.copyOf(otherCpu, 2 * other);
            }
            otherWall[other] = wallNanos;
            otherCpu[other++] = cpuNanos;
        }
    }

    public int recordedSteps() {
        return recorded;
    }

    public int unrecordedSteps() {
        return other;
    }

    /** Median wall-clock time of a recorded step, µs. */
    public double recordedMedianMicros() {
        return median(recordedWall, recorded) / 1e3;
    }

    /** Median wall-clock time of an unrecorded step, µs. */
    public double unrecordedMedianMicros() {
        return median(otherWall, other) / 1e3;
    }

    /** median(recorded) / median(unrecorded) − 1, wall clock. */
    public double wallCost() {
        return median(recordedWall, recorded) / median(otherWall, other) - 1;
    }

    /** median(recorded) / median(unrecorded) − 1, CPU time of the training thread. */
    public double cpuCost() {
        return median(recordedCpu, recorded) / median(otherCpu, other) - 1;
    }

    /** The same ratio of means over the middle 90 % of each kind (5 % trimmed at each end), wall clock. */
    public double trimmedMeanWallCost() {
        return trimmedMean(recordedWall, recorded) / trimmedMean(otherWall, other) - 1;
    }

    static double median(long[] values, int n) {
        if (n == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    static double trimmedMean(long[] values, int n) {
        if (n == 0) return Double.NaN;
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int cut = n / 20;
        double sum = 0;
        for (int i = cut; i < n - cut; i++) sum += sorted[i];
        return sum / (n - 2 * cut);
    }
}
