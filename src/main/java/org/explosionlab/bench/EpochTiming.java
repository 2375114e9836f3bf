package org.explosionlab.bench;

/**
 * One measured epoch: how many examples were trained, in how much wall-clock time and how much CPU time
 * of the whole process (all threads: OpenMP workers, JIT, GC). On a machine shared with other work the
 * CPU figure is the steadier of the two: time spent waiting for a core does not count.
 * <pre>
 * examples/s     = examples / wall seconds
 * examples/CPU-s = examples / process CPU seconds
 * </pre>
 */
public record EpochTiming(long examples, long wallNanos, long cpuNanos) {
    public EpochTiming {
        if (examples < 0 || wallNanos <= 0 || cpuNanos < 0) {
            throw new IllegalArgumentException("invalid timing: " + examples + " examples, " + wallNanos + " ns wall, "
                    + cpuNanos + " ns CPU");
        }
    }

    public double examplesPerSecond() {
        return examples / (wallNanos / 1e9);
    }

    /** Examples per CPU-second; NaN when the CPU time could not be read (0). */
    public double examplesPerCpuSecond() {
        return cpuNanos == 0 ? Double.NaN : examples / (cpuNanos / 1e9);
    }
}
