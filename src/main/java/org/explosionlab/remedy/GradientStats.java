package org.explosionlab.remedy;

/**
 * L2 norms and extremes of a flattened gradient (or update, or parameter) vector, in one pass:
 * per parameter ‖g_p‖₂ = √Σ g², per layer √(Σ_{p∈layer} ‖g_p‖²), whole network √Σ_p ‖g_p‖², the
 * largest |g| and the number of NaN/±Inf elements. Every figure is multiplied by {@code scale}: pass
 * 1/k to read DL4J's minibatch-<em>sum</em> gradient on the mean-loss scale PyTorch and Keras report.
 * Sums are accumulated in double. Non-finite elements are counted; any norm that would include one
 * is NaN (as in PyTorch), so nothing downstream mistakes the gradient for finite, while
 * {@link #maxAbs} stays the largest <em>finite</em> magnitude.
 */
public final class GradientStats {
    private final ParamLayout layout;
    private final double[] paramSumSq;
    private final double[] paramSumAbs;
    private final long[] paramNonFinite;
    private double maxAbs;
    private long nonFinite;
    private double scale;

    public GradientStats(ParamLayout layout) {
        this.layout = layout;
        this.paramSumSq = new double[layout.size()];
        this.paramSumAbs = new double[layout.size()];
        this.paramNonFinite = new long[layout.size()];
    }

    /** Measures {@code v} (laid out as {@link ParamLayout}), each figure times {@code scale}. */
    public GradientStats measure(float[] v, double scale) {
        this.scale = Math.abs(scale);
        maxAbs = 0;
        nonFinite = 0;
        for (int p = 0; p < layout.size(); p++) {
            ParamLayout.Param param = layout.get(p);
            double sq = 0;
            double abs = 0;
            float max = 0;
            long bad = 0;
            for (int i = param.offset(), end = param.offset() + param.length(); i < end; i++) {
                float x = v[i];
                if (Float.isFinite(x)) {
                    float a = Math.abs(x);
                    sq += (double) x * x;
                    abs += a;
                    if (a > max) max = a;
                } else {
                    bad++;
                }
            }
            paramSumSq[p] = sq;
            paramSumAbs[p] = abs;
            paramNonFinite[p] = bad;
            nonFinite += bad;
            maxAbs = Math.max(maxAbs, max);
        }
        return this;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** ‖v_p‖₂ of parameter p, scaled; NaN when p has non-finite elements. */
    public double paramL2(int p) {
        return paramNonFinite[p] > 0 ? Double.NaN : Math.sqrt(paramSumSq[p]) * scale;
    }

    /** mean|v_p| of parameter p (finite elements over all elements), scaled. */
    public double paramMeanAbs(int p) {
        return paramSumAbs[p] / layout.get(p).length() * scale;
    }

    /** Non-finite elements of parameter p. */
    public long paramNonFinite(int p) {
        return paramNonFinite[p];
    }

    /** ‖v_layer‖₂ over the layer's W and b together, scaled; NaN if the layer has non-finite elements. */
    public double layerL2(int layer) {
        double sq = 0;
        long bad = 0;
        for (int p = 0; p < layout.size(); p++) {
            if (layout.get(p).layer() == layer) {
                sq += paramSumSq[p];
                bad += paramNonFinite[p];
            }
        }
        return bad > 0 ? Double.NaN : Math.sqrt(sq) * scale;
    }

    /** Squared L2 over every finite element, scaled² (what a global-norm rule needs). */
    public double globalSumSq() {
        double sq = 0;
        for (double s : paramSumSq) sq += s;
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
