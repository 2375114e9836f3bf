package org.explosionlab.monitor;

/**
 * One step's gradient as backprop left it, handed to each {@link GradientHook} before DL4J's updater
 * runs: a Java copy of DL4J's flattened gradient view, on DL4J's minibatch-<em>sum</em> scale (k × the
 * mean-loss gradient), with the parameters θ the step starts from. A hook rewrites {@link #gradient()}
 * in place; {@link HookedUpdater} writes it back into DL4J's view when a hook says it changed it.
 */
final class RawGradient {
    private final ParamLayout layout;
    private final float[] gradient;
    private final float[] params;
    private final int k;
    private final double loss;
    private long nonFinite = -1;

    /**
     * @param layout   where each parameter lies in the two vectors
     * @param gradient the minibatch-sum gradient (modified in place by hooks)
     * @param params   the parameters before this step's update
     * @param k        the minibatch size
     */
    public RawGradient(ParamLayout layout, float[] gradient, float[] params, int k) {
        this(layout, gradient, params, k, Double.NaN);
    }

    /**
     * @param loss the minibatch loss of this step's forward pass ({@code model.score()}, set by DL4J's
     *             {@code computeGradientAndScore} before the updater runs), NaN when unknown
     */
    public RawGradient(ParamLayout layout, float[] gradient, float[] params, int k, double loss) {
        if (gradient.length != layout.length() || params.length != layout.length()) {
            throw new IllegalArgumentException("gradient " + gradient.length + " and params " + params.length
                    + " must both have the layout's " + layout.length() + " elements");
        }
        if (k < 1) throw new IllegalArgumentException("minibatch size must be >= 1, got " + k);
        this.layout = layout;
        this.gradient = gradient;
        this.params = params;
        this.k = k;
        this.loss = loss;
    }

    /** This step's minibatch loss ({@code model.score()}: mean loss + L1/L2 terms), NaN when not given. */
    public double loss() {
        return loss;
    }

    /** ‖g‖₂ of the loss gradient on the mean-loss scale (√Σg² ÷ k), as the hooks received it. */
    public double globalNorm() {
        double s = 0;
        for (ParamLayout.Param p : layout.params()) {
            if (!p.lossGradient()) continue;
            for (int i = p.offset(), end = p.offset() + p.length(); i < end; i++) s += (double) gradient[i] * gradient[i];
        }
        return Math.sqrt(s) / k;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** The minibatch-sum gradient, in DL4J's flattened order; hooks may rewrite it in place. */
    public float[] gradient() {
        return gradient;
    }

    /** θ before this step's update, in the same order. */
    public float[] params() {
        return params;
    }

    /** The minibatch size k. */
    public int k() {
        return k;
    }

    /** NaN and ±Inf elements of the loss gradient (counted once, before any hook changed it). */
    public long nonFinite() {
        if (nonFinite < 0) {
            long bad = 0;
            for (ParamLayout.Param p : layout.params()) {
                if (!p.lossGradient()) continue;
                for (int i = p.offset(), end = p.offset() + p.length(); i < end; i++) if (!Float.isFinite(gradient[i])) bad++;
            }
            nonFinite = bad;
        }
        return nonFinite;
    }
}
