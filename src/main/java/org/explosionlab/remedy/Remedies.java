package org.explosionlab.remedy;

/**
 * The remedies DL4J lacks, each ready to {@link Remedy#installOn install} on a network:
 * <pre>
 * Remedies.skipNonFinite(5).installOn(net);   // first: a NaN step is dropped before anything clips it
 * Remedies.globalNorm(1.0).installOn(net);
 * </pre>
 * Thresholds are on the mean-loss scale, as PyTorch and Keras state them.
 */
public final class Remedies {
    private Remedies() {
    }

    /** Clip the whole network's gradient to L2 norm τ ({@link GlobalNormClipping}; PyTorch {@code clip_grad_norm_}). */
    public static Remedy globalNorm(double threshold) {
        return new ClippingRemedy(new GlobalNormClipping(threshold));
    }

    /** Unit-wise adaptive gradient clipping ({@link AdaptiveGradientClipping}; Brock et al. 2021). */
    public static Remedy agc(double lambda, double eps, boolean excludeOutput) {
        return new ClippingRemedy(new AdaptiveGradientClipping(lambda, eps, excludeOutput));
    }

    /** AGC with NFNets' ε = 1e-3, the output layer left unclipped. */
    public static Remedy agc(double lambda) {
        return agc(lambda, 1e-3, true);
    }

    /** Clip the global norm to the p-th percentile of the norms seen so far ({@link AutoClipping}; Seetharaman et al. 2020). */
    public static Remedy autoClip(double percentile) {
        return new ClippingRemedy(new AutoClipping(percentile));
    }

    /** Drop a step whose gradient holds NaN or ±Inf ({@link SkipNonFinite}; Optax {@code apply_if_finite}). */
    public static SkipNonFinite skipNonFinite(int maxConsecutive) {
        return new SkipNonFinite(maxConsecutive);
    }
}
