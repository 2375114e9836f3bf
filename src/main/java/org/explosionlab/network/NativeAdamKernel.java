package org.explosionlab.network;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * {@link AdamKernel} in C with AVX2 and FMA ({@code src/main/native/adam_kernel.c}, called through JNI): the
 * same per-element float32 operations as {@link ScalarAdamKernel} — separate IEEE multiply, add,
 * divide and square root, compiled without fused multiply-add — so the same bits, read and written in
 * DL4J's native buffers in place, with no copy into Java arrays. It measures ({@link PassFigures}) in
 * the update's own loop, as {@link VectorAdamKernel} does: Σg², max|g|, Σθ², Σ|θ| of the values
 * before the step and ΣΔθ², Σ|Δθ|, in float lanes within 4,096 elements, double across; a 512-element
 * chunk with a NaN/±Inf (or a float overflow) is counted again exactly in double.
 *
 * <p>The library is built by Maven's compile phase ({@code src/main/native/build.sh}, gcc, Linux
 * x86-64) into the class path at {@value #LIBRARY}. Where it is missing, cannot load, or the CPU lacks
 * AVX2 and FMA, {@link #available()} is false and {@link AdamKernel#create} picks a Java kernel; so does
 * {@code -D}{@value #PROPERTY}{@code =false}.
 */
final class NativeAdamKernel implements AdamKernel {
    /** Switch: {@code -Dexplosionlab.nativeAdam=false} uses the Java kernels. */
    static final String PROPERTY = FusedAdam.NATIVE_PROPERTY;
    /** Where the build puts the library on the class path. */
    static final String LIBRARY = "/native/linux-x86_64/libexplosionlab_adam.so";
    /** Figures per parameter array returned by {@link #updateMeasured}. */
    private static final int FIGURES = 9;

    private static final String UNAVAILABLE = load();

    private int[] relativeBounds = new int[0];
    private int[] boundsFor;
    private int boundsOffset = -1;
    /** Index of the block's first parameter array in {@link PassFigures#paramBounds()}. */
    private int firstParam;
    private double[] out = new double[0];

    /** Whether the library loaded and the CPU runs it (and the switch is on). */
    static boolean available() {
        return UNAVAILABLE == null && Switches.on(PROPERTY);
    }

    /** Why the native kernel is not used (null when it is loaded), for run provenance and messages. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public boolean measures() {
        return true;
    }

    @Override
    public void run(AdamPass p) {
        if (UNAVAILABLE != null) throw new IllegalStateException("native Adam kernel unavailable: " + UNAVAILABLE);
        // C reads and writes these buffers without bounds checks: make sure they hold the block
        checkBuffer(p.gradient, p.length, "gradient");
        checkBuffer(p.m, p.length, "m");
        checkBuffer(p.v, p.length, "v");
        if (p.params != null) checkBuffer(p.params, p.length, "θ");
        if (p.figures == null) {
            update(p.gradient, p.m, p.v, p.params, p.length, p.beta1, p.beta2, p.epsilon, p.alpha, p.divisor,
                    !AdamPass.exactReciprocal(p.divisor));
            return;
        }
        if (p.params == null) throw new IllegalStateException("a measured Adam pass must also update the parameters");
        int[] bounds = boundsOf(p);
        int params = bounds.length - 1;
        if (out.length < FIGURES * params) out = new double[FIGURES * params];
        updateMeasured(p.gradient, p.m, p.v, p.params, p.length, p.beta1, p.beta2, p.epsilon, p.alpha, p.divisor,
                !AdamPass.exactReciprocal(p.divisor), bounds, out);
        int first = firstParam;
        for (int q = 0; q < params; q++) {
            int o = FIGURES * q;
            p.figures.gradient(first + q, out[o], out[o + 1], (long) out[o + 2]);
            p.figures.params(first + q, out[o + 3], out[o + 4], (long) out[o + 5]);
            p.figures.update(first + q, out[o + 6], out[o + 7], (long) out[o + 8]);
        }
    }

    private static void checkBuffer(FloatBuffer b, int length, String what) {
        if (b == null || !b.isDirect() || b.capacity() < length || b.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("the native Adam kernel needs " + what + " as a direct native-order buffer of at least "
                    + length + " floats, got " + (b == null ? "null" : (b.isDirect() ? "" : "a heap buffer of ") + b.capacity()
                    + " floats" + (b.order() == ByteOrder.nativeOrder() ? "" : " in " + b.order())));
        }
    }

    /** The parameter bounds that fall in this block, relative to its first element (cached per block). */
    private int[] boundsOf(AdamPass p) {
        int[] all = p.figures.paramBounds();
        if (all == boundsFor && p.offset == boundsOffset && relativeBounds.length > 0
                && relativeBounds[relativeBounds.length - 1] == p.length) {
            return relativeBounds;
        }
        int[] block = p.paramsInBlock();
        int[] rel = new int[block[1] - block[0] + 1];
        for (int q = block[0]; q <= block[1]; q++) rel[q - block[0]] = all[q] - p.offset;
        relativeBounds = rel;
        firstParam = block[0];
        boundsFor = all;
        boundsOffset = p.offset;
        return rel;
    }

    /** Loads the library; null when loaded and usable, else why not. */
    private static String load() {
        if (!"Linux".equals(System.getProperty("os.name")) || !"amd64".equals(System.getProperty("os.arch"))) {
            return "built for Linux x86-64 only (this is " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")";
        }
        URL url = NativeAdamKernel.class.getResource(LIBRARY);
        if (url == null) return "library " + LIBRARY + " not on the class path (built by `mvn compile` when gcc is installed)";
        try {
            Path file;
            if ("file".equals(url.getProtocol())) {
                file = Paths.get(url.toURI());
            } else {                                   // inside a jar: System.load needs a file
                file = Files.createTempFile("explosionlab_adam", ".so");
                file.toFile().deleteOnExit();
                try (InputStream in = url.openStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.load(file.toAbsolutePath().toString());
            return supported() ? null : "this CPU has no AVX2 and FMA";
        } catch (IOException | URISyntaxException | UnsatisfiedLinkError | SecurityException e) {
            return "library " + LIBRARY + " did not load: " + e.getMessage();
        }
    }

    /** Whether the CPU has AVX2 and FMA (the kernel's instruction sets). */
    private static native boolean supported();

    /**
     * One Adam step in place over n elements (θ skipped when {@code theta} is null); g is divided by the
     * divisor k when {@code divide}, else multiplied by 1/k ({@link AdamPass#exactReciprocal}).
     */
    private static native void update(FloatBuffer g, FloatBuffer m, FloatBuffer v, FloatBuffer theta, int n,
                                      float beta1, float beta2, float epsilon, float alpha, int divisor, boolean divide);

    /**
     * {@link #update} with θ, measuring: {@code bounds} are the parameter arrays' starts relative to the
     * block, then n; {@code out} gets 9 figures per parameter (Σg², max|g|, non-finite g, Σθ², Σ|θ|,
     * non-finite θ, ΣΔθ², Σ|Δθ|, non-finite Δθ).
     */
    private static native void updateMeasured(FloatBuffer g, FloatBuffer m, FloatBuffer v, FloatBuffer theta, int n,
                                              float beta1, float beta2, float epsilon, float alpha, int divisor,
                                              boolean divide, int[] bounds, double[] out);
}
