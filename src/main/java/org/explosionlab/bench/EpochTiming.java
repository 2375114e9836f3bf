package org.explosionlab.bench;

import java.util.List;

/**
 * One timed stretch of training — an epoch, a block of steps, or all measured epochs of a child
 * process: how many examples were trained, in how much wall-clock time, how much CPU time of the whole
 * process (all threads: OpenMP workers, JIT compiler, GC, ND4J's deallocators) and how much CPU time of
 * the training thread alone (the thread that called {@code net.fit}). On a machine shared with other
 * work the CPU figures are the steadier ones, since time spent waiting for a core does not count; the
 * training thread's is the steadiest, but leaves out work other threads do for training (OpenMP
 * workers when there are more than one, garbage collection).
 * <pre>
 * examples/s                  = examples / wall seconds
 * examples/CPU-s              = examples / process CPU seconds
 * examples/thread-CPU-s       = examples / CPU seconds of the thread that called fit
 * </pre>
 */
public record EpochTiming(long examples, long wallNanos, long cpuNanos, long threadCpuNanos) {
    public EpochTiming {
        if (examples < 0 || wallNanos <= 0 || cpuNanos < 0 || threadCpuNanos < 0) {
            throw new IllegalArgumentException("invalid timing: " + examples + " examples, " + wallNanos + " ns wall, "
                    + cpuNanos + " ns CPU, " + threadCpuNanos + " ns thread CPU");
        }
    }

    /** A single-threaded measurement, where the process's CPU time stands in for the training thread's. */
    public EpochTiming(long examples, long wallNanos, long cpuNanos) {
        this(examples, wallNanos, cpuNanos, cpuNanos);
    }

    /** All stretches as one: examples and times added up. */
    public static EpochTiming sum(List<EpochTiming> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to add up");
        long ex = 0;
        long wall = 0;
        long cpu = 0;
        long thread = 0;
        for (EpochTiming t : parts) {
            ex += t.examples;
            wall += t.wallNanos;
            cpu += t.cpuNanos;
            thread += t.threadCpuNanos;
        }
        return new EpochTiming(ex, wall, cpu, thread);
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

    /** Nanoseconds per example by the given clock ({@link Clock}); NaN when that clock read 0 or no example was trained. */
    public double nanosPerExample(Clock clock) {
        long ns = switch (clock) {
            case WALL -> wallNanos;
            case PROCESS_CPU -> cpuNanos;
            case THREAD_CPU -> threadCpuNanos;
        };
        return ns == 0 || examples == 0 ? Double.NaN : (double) ns / examples;
    }

    /** Which time a ratio is taken on. */
    public enum Clock {
        /** Wall-clock time ({@code System.nanoTime}). */
        WALL,
        /** CPU time of the whole process, all threads. */
        PROCESS_CPU,
        /** CPU time of the thread that called {@code net.fit}. */
        THREAD_CPU
    }
}
