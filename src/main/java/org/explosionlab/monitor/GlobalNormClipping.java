package org.explosionlab.monitor;


/**
 * Clipping by global norm with PyTorch's semantics ({@code torch.nn.utils.clip_grad_norm_},
 * {@code tf.clip_by_global_norm}, Optax {@code clip_by_global_norm}; Pascanu et al. 2013, "On the
 * difficulty of training recurrent neural networks"):
 * <pre>  g ← g · min(1, τ / (‖g‖₂ + 1e-6))   over all parameters at once</pre>
 * with ‖g‖₂ the mean-loss gradient's norm (the raw minibatch-sum norm divided by k). The direction of
 * the step is kept; only its length is capped.
 */
final class GlobalNormClipping implements ClippingRule {
    /** PyTorch's guard against division by zero in {@code clip_grad_norm_}. */
    public static final double EPS = 1e-6;
    private final double threshold;

    public GlobalNormClipping(double threshold) {
        if (!(threshold > 0)) throw new IllegalArgumentException("global-norm threshold must be > 0, got " + threshold);
        this.threshold = threshold;
    }

    @Override
    public ClipResult apply(float[] gradient, float[] params, int k, ParamLayout layout) {
        return clipTo(gradient, k, threshold, layout);
    }

    /** Clips {@code gradient} (sum scale, minibatch k) to mean-scale global norm {@code tau}. */
    static ClipResult clipTo(float[] gradient, int k, double tau, ParamLayout layout) {
        double norm = Math.sqrt(ClippingRule.lossSumSq(gradient, layout)) / k;
        double coef = tau / (norm + EPS);
        if (!(coef < 1.0)) return new ClipResult(false, tau);   // also leaves a NaN norm alone
        ClippingRule.scaleLoss(gradient, layout, coef);
        return new ClipResult(true, tau);
    }

    @Override
    public String toString() {
        return "global-norm clipping " + threshold;
    }
}
