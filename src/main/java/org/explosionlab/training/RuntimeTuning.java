package org.explosionlab.training;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The project's runtime defaults for ND4J on small networks. Per-op overhead, not arithmetic,
 * dominates the 784-128-64-10 step, and with OpenMP's default of one thread per core the
 * synchronisation costs more than it saves: on a 2-core machine one thread trained 2–3× faster
 * (DL4J issue #4098, libnd4j #287). So unless the user chose a thread count ({@code OMP_NUM_THREADS}
 * in the environment, or {@code -Dexplosionlab.threads=N}), ND4J's op and BLAS threads are set to 1.
 */
public final class RuntimeTuning {
    /** System property that overrides the thread count. */
    public static final String THREADS_PROPERTY = "explosionlab.threads";
    private static boolean applied;

    private RuntimeTuning() {
    }

    /** Applies the defaults once per JVM; returns the thread count in force. */
    public static synchronized int applyDefaults() {
        String prop = System.getProperty(THREADS_PROPERTY);
        String env = System.getenv("OMP_NUM_THREADS");
        int threads = prop != null ? Integer.parseInt(prop.trim()) : env != null ? Integer.parseInt(env.trim()) : 1;
        if (!applied) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            applied = true;
        }
        return threads;
    }
}
