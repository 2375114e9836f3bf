package org.explosionlab.monitor;

import static org.bytedeco.openblas.global.openblas_nolapack.cblas_isamax;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sasum;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sdot;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L2 norms and extremes of a flattened gradient (or update, or parameter) vector, in one pass:
 * per parameter ‖g_p‖₂ = √Σ g², per layer √(Σ_{p∈layer} ‖g_p‖²), whole network √Σ_p ‖g_p‖², the
 * largest |g| and the number of NaN/±Inf elements. Every figure of a loss-gradient parameter
 * ({@link ParamLayout.Param#lossGradient()}) is multiplied by {@code scale}: pass 1/k to read DL4J's
 * minibatch-<em>sum</em> gradient on the mean-loss scale PyTorch and Keras report. The per-layer and
 * whole-network figures cover the loss-gradient parameters only (BatchNorm's running statistics are
 * buffers, not trained by the loss, as in PyTorch's {@code clip_grad_norm_}).
 * Sums are accumulated in double. Non-finite elements are counted; any norm that would include one
 * is NaN (as in PyTorch), so nothing downstream mistakes the gradient for finite, while
 * {@link #maxAbs} stays the largest <em>finite</em> magnitude.
 */
final class GradientStats {
    private final ParamLayout layout;
    private final double[] paramSumSq;
    private final double[] paramSumAbs;
    private final long[] paramNonFinite;
    private double maxAbs;
    private long nonFinite;
    private double scale;
    /** Per parameter: its layer's position among the layers with parameters. */
    private final int[] layerOrdinal;

    public GradientStats(ParamLayout layout) {
        this.layout = layout;
        this.paramSumSq = new double[layout.size()];
        this.paramSumAbs = new double[layout.size()];
        this.paramNonFinite = new long[layout.size()];
        this.layerOrdinal = new int[layout.size()];
        for (int p = 0; p < layout.size(); p++) layerOrdinal[p] = layout.ordinalOf(layout.get(p).layer());
    }

    /** The scale of parameter p's figures: {@code scale} for a loss gradient, 1 for the others (see {@link ParamLayout.Param#lossGradient()}). */
    private double scaleOf(int p) {
        return layout.get(p).lossGradient() ? scale : 1.0;
    }

    /**
     * Measures a flattened float32 vector where it lives, in native memory (copied only to reach an aligned start): per
     * parameter one {@code cblas_sdot(x, x)} (Σx²), one {@code cblas_sasum} (Σ|x|) and one
     * {@code cblas_isamax} (largest |x|) — OpenBLAS's SIMD kernels, the library ND4J itself calls,
     * several times faster than a Java loop, always from a 64-byte-aligned start ({@link #alignedView}). Their float32 sums carry a relative error of order
     * √n·2⁻²⁴ (≈ 2e-5 for the 100,352 weights of the first layer, far inside the 1e-4 the golden
     * fixtures are checked to). A NaN, ±Inf or a Σx² beyond float range (elements above ~1e19) makes
     * the sums non-finite; that parameter is then measured again in Java, in double, non-finite
     * elements counted and left out (see the class comment). Arrays that are not contiguous float32
     * are copied and measured in Java.
     */
    public GradientStats measure(INDArray flat, double scale) {
        return measure(flat, scale, Figures.ALL);
    }

    /** Which figures a native measurement computes besides Σx² (each costs one more pass). */
    public enum Figures {
        /** Σx², Σ|x| and max|x|. */
        ALL(true, true),
        /** Σx² and max|x| (a gradient: norms and largest element); {@link #paramMeanAbs} is NaN. */
        NORMS_AND_MAX(false, true),
        /** Σx² and Σ|x| (updates and parameters: norms and mean magnitudes); {@link #maxAbs} is NaN. */
        NORMS_AND_MEAN_ABS(true, false);

        final boolean abs;
        final boolean max;

        Figures(boolean abs, boolean max) {
            this.abs = abs;
            this.max = max;
        }
    }

    /** {@link #measure(INDArray, double)} computing only the given figures (the others read NaN). */
    public GradientStats measure(INDArray flat, double scale, Figures figures) {
        if (flat.dataType() != DataType.FLOAT || flat.elementWiseStride() != 1 || flat.length() != layout.length()) {
            return measure(flat.reshape(flat.length()).toFloatVector(), scale);
        }
        this.scale = Math.abs(scale);
        maxAbs = 0;
        nonFinite = 0;
        FloatPointer x = new FloatPointer(flat.data().addressPointer());   // the view's first element
        for (int p = 0; p < layout.size(); p++) {
            ParamLayout.Param param = layout.get(p);
            int n = param.length();
            FloatPointer v = alignedView(x, param.offset(), n);
            double sq = cblas_sdot(n, v, 1, v, 1);
            double abs = figures.abs ? cblas_sasum(n, v, 1) : Double.NaN;
            if (Double.isFinite(sq) && (Double.isFinite(abs) || !figures.abs)) {
                lastSq = sq;
                lastAbs = abs;
                lastMax = figures.max ? Math.abs(v.get(cblas_isamax(n, v, 1))) : Float.NaN;
                lastBad = 0;
            } else {
                float[] values = new float[n];
                v.get(values, 0, n);
                countNonFinite(values, 0, n);
            }
            record(p);
        }
        return this;
    }

    /** Bytes of the boundary OpenBLAS's SIMD kernels align to before their main loop. */
    static final int KERNEL_ALIGNMENT = 64;
    /** A native scratch buffer starting on a {@value #KERNEL_ALIGNMENT}-byte boundary, its allocation and capacity in floats. */
    private FloatPointer aligned;
    private FloatPointer alignedAllocation;
    private long alignedCapacity;

    /**
     * The n floats at element {@code offset} of {@code x}, starting on a {@value #KERNEL_ALIGNMENT}-byte boundary: {@code x} itself
     * when it does, else a copy (a memcpy, about 20 µs for the first layer's 100,352 weights) in a
     * scratch buffer that does. OpenBLAS's {@code cblas_sdot} and {@code cblas_sasum} first sum the
     * elements up to the next 64-byte boundary on their own, so their float32 results depend on the
     * vector's address: the same 100,352 values gave 5 different sums at 16 different offsets. The
     * second point trained in one JVM therefore recorded update:parameter ratios differing in the 8th
     * digit from a lone run's, with identical parameters, and a sweep point was not bit-identical to
     * {@code train} (issue 19). Always summing from an aligned start makes the figures depend on the
     * values only.
     */
    FloatPointer alignedView(FloatPointer x, int offset, int n) {
        x.position(0);
        if ((x.address() + offset * (long) Float.BYTES) % KERNEL_ALIGNMENT == 0) return x.position(offset);
        if (alignedCapacity < n) {
            alignedAllocation = new FloatPointer(n + KERNEL_ALIGNMENT / Float.BYTES);
            long skip = ((KERNEL_ALIGNMENT - (alignedAllocation.address() % KERNEL_ALIGNMENT)) % KERNEL_ALIGNMENT) / Float.BYTES;
            aligned = alignedAllocation.getPointer(skip);        // address + skip floats, position 0
            alignedCapacity = n;
        }
        Pointer.memcpy(aligned, x.getPointer(offset), (long) n * Float.BYTES);   // memcpy takes addresses: positions 0
        return aligned;
    }

    /** Stores the last parameter's sums as parameter p's figures. */
    private void record(int p) {
        paramSumSq[p] = lastSq;
        paramSumAbs[p] = lastAbs;
        paramNonFinite[p] = lastBad;
        if (!layout.get(p).lossGradient()) return;      // whole-network figures cover the loss gradient only
        nonFinite += lastBad;
        maxAbs = Math.max(maxAbs, lastMax);
    }

    /**
     * Measures {@code v} (laid out as {@link ParamLayout}), each figure times {@code scale}.
     *
     * <p>The hot loop has no branch per element: four independent double accumulators for Σx² and
     * Σ|x| and a running float max, so the JIT can overlap the additions. A NaN or ±Inf element makes
     * those sums non-finite; only then is the parameter counted again element by element, with the
     * non-finite elements left out of its sums (see the class comment).
     */
    public GradientStats measure(float[] v, double scale) {
        this.scale = Math.abs(scale);
        maxAbs = 0;
        nonFinite = 0;
        for (int p = 0; p < layout.size(); p++) {
            ParamLayout.Param param = layout.get(p);
            int from = param.offset();
            int to = from + param.length();
            sums(v, from, to);
            if (!Double.isFinite(lastSq) || !Double.isFinite(lastAbs)) countNonFinite(v, from, to);
            record(p);
        }
        return this;
    }

    private double lastSq;
    private double lastAbs;
    private float lastMax;
    private long lastBad;

    private void sums(float[] v, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        float m0 = 0, m1 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            float x0 = Math.abs(v[i]), x1 = Math.abs(v[i + 1]), x2 = Math.abs(v[i + 2]), x3 = Math.abs(v[i + 3]);
            s0 += (double) x0 * x0;
            s1 += (double) x1 * x1;
            s2 += (double) x2 * x2;
            s3 += (double) x3 * x3;
            a0 += x0;
            a1 += x1;
            a2 += x2;
            a3 += x3;
            m0 = Math.max(m0, Math.max(x0, x1));
            m1 = Math.max(m1, Math.max(x2, x3));
        }
        for (; i < to; i++) {
            float x = Math.abs(v[i]);
            s0 += (double) x * x;
            a0 += x;
            m0 = Math.max(m0, x);
        }
        lastSq = (s0 + s1) + (s2 + s3);
        lastAbs = (a0 + a1) + (a2 + a3);
        lastMax = Math.max(m0, m1);
        lastBad = 0;
    }

    /** The slow path: sums over the finite elements only, and the number of the others. */
    private void countNonFinite(float[] a, int from, int to) {
        double sq = 0;
        double abs = 0;
        float max = 0;
        long bad = 0;
        for (int i = from; i < to; i++) {
            float x = a[i];
            if (Float.isFinite(x)) {
                float m = Math.abs(x);
                sq += (double) x * x;
                abs += m;
                if (m > max) max = m;
            } else {
                bad++;
            }
        }
        lastSq = sq;
        lastAbs = abs;
        lastMax = max;
        lastBad = bad;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** ‖v_p‖₂ of parameter p, scaled; NaN when p has non-finite elements. */
    public double paramL2(int p) {
        return paramNonFinite[p] > 0 ? Double.NaN : Math.sqrt(paramSumSq[p]) * scaleOf(p);
    }

    /** mean|v_p| of parameter p (finite elements over all elements), scaled. */
    public double paramMeanAbs(int p) {
        return paramSumAbs[p] / layout.get(p).length() * scaleOf(p);
    }

    /** Non-finite elements of parameter p. */
    public long paramNonFinite(int p) {
        return paramNonFinite[p];
    }

    /**
     * ‖v_layer‖₂ over the layer's loss-gradient parameters together (W and b), scaled; NaN if they hold
     * non-finite elements. {@code layer} counts the layers with parameters ({@link ParamLayout#layerIndices()}).
     */
    public double layerL2(int layer) {
        double sq = 0;
        long bad = 0;
        for (int p = 0; p < layout.size(); p++) {
            if (layerOrdinal[p] == layer && layout.get(p).lossGradient()) {
                sq += paramSumSq[p];
                bad += paramNonFinite[p];
            }
        }
        return bad > 0 ? Double.NaN : Math.sqrt(sq) * scale;
    }

    /** Squared L2 over every finite element, scaled² (what a global-norm rule needs). */
    public double globalSumSq() {
        double sq = 0;
        for (int p = 0; p < layout.size(); p++) if (layout.get(p).lossGradient()) sq += paramSumSq[p];
        return sq * scale * scale;
    }

    /** ‖v‖₂ over the whole network, scaled; NaN when any element is non-finite. */
    public double globalL2() {
        return nonFinite > 0 ? Double.NaN : Math.sqrt(globalSumSq());
    }

    /** max |v| over finite elements, scaled. */
    public double maxAbs() {
        return maxAbs * scale;
    }

    /** Number of NaN/±Inf elements. */
    public long nonFinite() {
        return nonFinite;
    }
}
