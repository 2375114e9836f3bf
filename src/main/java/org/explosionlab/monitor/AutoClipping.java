package org.explosionlab.monitor;


/**
 * AutoClip (Seetharaman, Wichern, Pardo, Le Roux 2020, "AutoClip: Adaptive Gradient Clipping for
 * Source Separation Networks"): each step, add the mean-loss global gradient norm to the history of
 * all norms seen in this run, then clip the global norm to the p-th percentile of that history
 * (as the paper's code: {@code grad_history.append(norm); clip_grad_norm_(params,
 * np.percentile(grad_history, p))}). Non-finite norms are not added to the history. The history is a
 * {@link PercentileHistory}: O(log n) per step, no sort.
 */
final class AutoClipping implements ClippingRule {
    private final PercentileHistory history;

    public AutoClipping(double percentile) {
        this.history = new PercentileHistory(percentile);
    }

    @Override
    public ClipResult apply(float[] gradient, float[] params, int k, ParamLayout layout) {
        double norm = Math.sqrt(ClippingRule.lossSumSq(gradient, layout)) / k;
        if (!Double.isFinite(norm)) return ClipResult.NOT_CLIPPED;
        history.add(norm);
        return GlobalNormClipping.clipTo(gradient, k, history.percentile(), layout);
    }

    /** Number of norms in the history. */
    public int historySize() {
        return history.size();
    }

    /** The history's values, for a checkpoint. */
    public double[] history() {
        return history.values();
    }

    /** Restores a checkpointed history (into an empty one). */
    public void restore(double[] values) {
        for (double v : values) history.add(v);
    }

    @Override
    public String toString() {
        return "AutoClip p" + history.p();
    }
}
