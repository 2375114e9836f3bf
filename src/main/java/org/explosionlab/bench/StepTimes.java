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
    private final Series recordedWall = new Series();
    private final Series recordedCpu = new Series();
    private final Series otherWall = new Series();
    private final Series otherCpu = new Series();

    /** One step: recorded or not, its wall-clock and thread-CPU nanoseconds. */
    public void add(boolean wasRecorded, long wallNanos, long cpuNanos) {
        (wasRecorded ? recordedWall : otherWall).add(wallNanos);
        (wasRecorded ? recordedCpu : otherCpu).add(cpuNanos);
    }

    public int recordedSteps() {
        return recordedWall.n;
    }

    public int unrecordedSteps() {
        return otherWall.n;
    }

    /** Median wall-clock time of a recorded step, µs. */
    public double recordedMedianMicros() {
        return recordedWall.median() / 1e3;
    }

    /** Median wall-clock time of an unrecorded step, µs. */
    public double unrecordedMedianMicros() {
        return otherWall.median() / 1e3;
    }

    /** median(recorded) / median(unrecorded) − 1, wall clock. */
    public double wallCost() {
        return recordedWall.median() / otherWall.median() - 1;
    }

    /** median(recorded) / median(unrecorded) − 1, CPU time of the training thread. */
    public double cpuCost() {
        return recordedCpu.median() / otherCpu.median() - 1;
    }

    /** The same ratio of means over the middle 90 % of each kind (5 % trimmed at each end), wall clock. */
    public double trimmedMeanWallCost() {
        return recordedWall.trimmedMean() / otherWall.trimmedMean() - 1;
    }

    /** Mean of the middle values of {@code values[0, n)}, {@code n / 20} dropped at each end; NaN when empty. */
    static double trimmedMean(double[] values, int n) {
        if (n == 0) return Double.NaN;
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int cut = n / 20;
        double sum = 0;
        for (int i = cut; i < n - cut; i++) sum += sorted[i];
        return sum / (n - 2 * cut);
    }

    /** Durations of one kind of step, in nanoseconds, growing as needed. */
    private static final class Series {
        private double[] values = new double[1024];
        private int n;

        void add(long nanos) {
            if (n == values.length) values = Arrays.copyOf(values, 2 * n);
            values[n++] = nanos;
        }

        double median() {
            return n == 0 ? Double.NaN : BenchRow.median(Arrays.copyOf(values, n));
        }

        double trimmedMean() {
            return StepTimes.trimmedMean(values, n);
        }
    }
}
