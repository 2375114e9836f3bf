package org.explosionlab.network;

/**
 * The element loop of {@link FusedAdamUpdater}: DL4J's Adam in float32, element by element, in the
 * order of libnd4j's {@code updaterAdam.cpp} (see {@link FusedAdam}), optionally subtracting the update
 * from the parameters and measuring on the way ({@link AdamPass}).
 */
interface AdamKernel {
    /** Runs one step. */
    void run(AdamPass pass);

    /** Whether this kernel can measure ({@link AdamPass#figures} non-null). */
    boolean measures();

    /** What summary.json records as {@code adam_kernel}: "native", "vector" or "scalar". */
    String name();

    /**
     * The {@link NativeAdamKernel} when its library is built and loads (Linux x86-64 with AVX2, see
     * {@link NativeAdamKernel#available}); else the {@link VectorAdamKernel} when the JVM was started with
     * {@code --add-modules jdk.incubator.vector} (and {@link FusedAdam#VECTOR_PROPERTY} is not
     * {@code false}); else the {@link ScalarAdamKernel}. All three give bit-identical updates; the
     * scalar kernel does not measure.
     */
    static AdamKernel create() {
        if (NativeAdamKernel.available()) return new NativeAdamKernel();
        if (vectorAvailable()) {
            try {
                return (AdamKernel) Class.forName("org.explosionlab.network.VectorAdamKernel").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarAdamKernel();
            }
        }
        return new ScalarAdamKernel();
    }

    /** True when the incubating Vector API is in the boot layer and not switched off. */
    static boolean vectorAvailable() {
        return Switches.on(FusedAdam.VECTOR_PROPERTY)
                && FusedAdam.vectorModuleLoaded();
    }
}
