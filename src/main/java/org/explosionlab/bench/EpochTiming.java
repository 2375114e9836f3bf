package org.explosionlab.bench;

/**
 * One measured epoch: how many examples were trained, in how much wall-clock time, how much CPU time of
 * the whole process (all threads: OpenMP workers, JIT compiler, GC, ND4J's deallocators) and how much
 * CPU time of the training thread alone. On a machine shared with other work the CPU figures are the
 * steadier ones, since time spent waiting for a core does not count; the training thread's is the
 * steadiest, but it leaves out work other threads do for training (OpenMP workers when there are more
 * than one, garbage collection).
 * <pre>
 * examples/s                  = examples / wall seconds
 * examples/CPU-s              = examples / process CPU seconds
 * examples/training-thread-s  = examples / CPU seconds of the thread that called fit
 * </pre>
 */
public record EpochTiming(long examples, long wallNanos, long cpuNanos, long threadCpuNanos) {
    public EpochTiming {
        if (examples < 0 || wallNanos <= 0 || cpuNanos < 0 || threadCpuNanos < 0) {
            throw new IllegalArgumentException("invalid timing: " + examples + " examples, " + wallNanos + " ns wall, "
                    + cpuNanos + " ns CPU, " + threadCpuNanos + " ns thread CPU");
        }
    }

    /** A single-threaded measurement, where the process's CPU time is the training thread's. */
    public EpochTiming(long examples, long wallNanos, long cpuNanos) {
        this(examples, wallNanos, cpuNanos, cpuNanos);
    }

    public double examplesPerSecond() {
        return examples / (wallNanos / 1e9);
    }

    /** Examples per CPU-second; NaN when the CPU time could not be read (0). */
    public double examplesPerCpuSecond() {
        return cpuNanos == 0 ? Double.NaN : examples / (cpuNanos / 1e9);
    }

    /** Examples per CPU-second of the training thread; NaN when it could not be read (0). */
    public double examplesPerThreadCpuSecond() {
        return threadCpuNanos == 0 ? Double.NaN : examples / (threadCpuNanos / 1e9);
    }
}
