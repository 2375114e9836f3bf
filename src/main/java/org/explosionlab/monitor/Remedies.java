package org.explosionlab.monitor;

/**
 * The remedies DL4J lacks, each ready to {@link Remedy#installOn(org.deeplearning4j.nn.multilayer.MultiLayerNetwork)
 * install} on a {@code MultiLayerNetwork} or a {@code ComputationGraph}:
 * <pre>
 * Remedies.globalNorm(1.0).installOn(net);     // or zClip(), autoClip(10), agc(0.01)
 * Remedies.spikeSkip().installOn(net);         // runs before any clipping: a spike step is dropped on its raw norm
 * Remedies.skipNonFinite(5).installOn(net);    // runs first: a NaN step is dropped before anything else sees it
 * </pre>
 * The order they act in is fixed, whatever order they are installed in (see {@link Remedy}). Thresholds are
 * on the mean-loss scale, as PyTorch and Keras state them. None of them is saved in DL4J's model file:
 * install them again after loading a model ({@link Remedy}).
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

    /**
     * Clip the global norm when its z-score against an EMA of past norms exceeds {@code zThreshold}
     * ({@link ZClip}; Kumar et al. 2025). {@code maxGradNorm} ≤ 0: no fixed cap.
     */
    public static Remedy zClip(double alpha, double zThreshold, int warmupSteps, double maxGradNorm) {
        return new ClippingRemedy(new ZClip(alpha, zThreshold, warmupSteps, maxGradNorm));
    }

    /** ZClip with the paper's defaults: α 0.97, z 2.5, 25 warm-up steps, no fixed cap. */
    public static Remedy zClip() {
        return new ClippingRemedy(new ZClip());
    }

    /**
     * Skip a step whose loss or raw global norm is more than {@code sigma} standard deviations above
     * the mean of the previous {@code window} steps ({@link SpikeSkip}; OLMo-core's SkipStepOptimizer).
     */
    public static Remedy spikeSkip(double sigma, int window, int minSteps) {
        return new SpikeSkip(sigma, window, minSteps);
    }

    /** Spike skipping with OLMo-core's σ = 6 over 128 steps, acting from 20 steps on. */
    public static Remedy spikeSkip() {
        return new SpikeSkip(6, 128, 20);
    }

    /** Drop a step whose gradient holds NaN or ±Inf ({@link SkipNonFinite}; Optax {@code apply_if_finite}). */
    public static Remedy skipNonFinite(int maxConsecutive) {
        return new SkipNonFinite(maxConsecutive);
    }
}
