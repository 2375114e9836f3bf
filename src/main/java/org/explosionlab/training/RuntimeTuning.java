package org.explosionlab.training;

import org.deeplearning4j.util.CrashReportingUtil;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The project's runtime defaults for ND4J on small networks. Per-op overhead, not arithmetic,
 * dominates the 784-128-64-10 step, and with OpenMP's default of one thread per core the
 * synchronisation costs more than it saves: on a 2-core machine one thread trained 2–3× faster
 * (DL4J issue #4098, libnd4j #287). So unless the user chose a thread count ({@code OMP_NUM_THREADS}
 * in the environment, or {@code -Dexplosionlab.threads=N}), ND4J's op and BLAS threads are set to 1.
 *
 * <p>It also turns off JavaCPP's physical-memory check ({@code org.bytedeco.javacpp.maxPhysicalBytes=0})
 * unless the user set that property: with the check on, every native pointer JavaCPP allocates (ND4J
 * allocates several per op, for shape information) first reads the process's resident size from
 * {@code /proc/self/statm}, which cost about 15 % of a training step here (bench/RESULTS.md). The
 * property is read once, when JavaCPP loads, so it only takes effect if this runs before the first ND4J
 * call; JavaCPP's other limit ({@code maxBytes}, the Java heap size by default) stays in force.
 */
public final class RuntimeTuning {
    /** System property that overrides the thread count. */
    public static final String THREADS_PROPERTY = "explosionlab.threads";
    /** System property that overrides the BLAS (matrix product) thread count. */
    public static final String BLAS_THREADS_PROPERTY = "explosionlab.blasThreads";
    /** JavaCPP's physical-memory limit (0 = no check); set to 0 here unless already set. */
    public static final String JAVACPP_MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** DL4J's switch for its memory crash dumps (written into the working directory on an OutOfMemoryError); off unless set. */
    public static final String CRASH_DUMPS = "org.deeplearning4j.crash.reporting.enabled";
    private static boolean applied;

    private RuntimeTuning() {
    }

    /** Applies the defaults once per JVM; returns the thread count in force. */
    public static synchronized int applyDefaults() {
        if (System.getProperty(JAVACPP_MAX_PHYSICAL_BYTES) == null
                && System.getProperty(JAVACPP_MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) {
            System.setProperty(JAVACPP_MAX_PHYSICAL_BYTES, "0");
        }
        String prop = System.getProperty(THREADS_PROPERTY);
        String env = System.getenv("OMP_NUM_THREADS");
        int threads = prop != null ? Integer.parseInt(prop.trim()) : env != null ? Integer.parseInt(env.trim()) : 1;
        if (!applied) {
            if (System.getProperty(CRASH_DUMPS) == null) CrashReportingUtil.crashDumpsEnabled(false);   // no dl4j-memory-crash-dump-*.txt in the user's directory
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(blasThreads(threads));
            applied = true;
        }
        return threads;
    }

    /**
     * Threads for the matrix products: {@code -Dexplosionlab.blasThreads=N}, else
     * {@code OPENBLAS_NUM_THREADS}, else the op thread count. Alone, the eight {@code sgemm} calls of
     * a 784-128-64-10 step ran 1.6x faster with two threads than with one on the 2-core machine (0.60
     * against 0.96 ms at batch 128); inside training, with the step's Java work between them, two
     * BLAS threads made epochs erratic (0.10 to 0.45 s where one thread held 0.10 to 0.12 s at batch
     * 128), so one stays the default.
     */
    static int blasThreads(int opThreads) {
        String prop = System.getProperty(BLAS_THREADS_PROPERTY);
        String env = System.getenv("OPENBLAS_NUM_THREADS");
        if (prop != null) return Integer.parseInt(prop.trim());
        if (env != null) return Integer.parseInt(env.trim());
        return opThreads;
    }
}
