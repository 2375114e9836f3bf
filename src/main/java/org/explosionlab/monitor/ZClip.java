package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * ZClip (Kumar, Owen, Roy Chowdhury, Güra 2025, "ZClip: Adaptive Spike Mitigation for LLM
 * Pre-Training", arXiv:2504.02507), z-score mode with reciprocal clipping. With g the mean-loss global
 * gradient norm (DL4J's raw minibatch-sum norm ÷ k) of step t:
 * <pre>
 *   warm-up (the first N = warmupSteps finite norms): collect g; clip to maxGradNorm if g exceeds it.
 *            After the N-th: μ = mean(g_1..g_N),  σ² = (1/N)·Σ (g_i − μ)²   (population variance)
 *   then:    σ = √σ²,  z = (g − μ) / (σ + 1e-6)
 *            z > zThreshold:  g' = μ + (zThreshold / z)·σ      (reciprocal: the larger the outlier, the closer to μ)
 *            else:            g' = g
 *            clip the gradient to norm g* = min(g', maxGradNorm)   (torch clip_grad_norm_: × τ/(g + 1e-6))
 *            μ  ← α·μ + (1 − α)·g*
 *            σ² ← α·σ² + (1 − α)·(g* − μ)²      with the μ just updated
 * </pre>
 * The clip value is the one the paper's first reference code ({@code bluorion-com/ZClip},
 * {@code mean + clip_factor·std·(z_thresh / z)}) computes; a later revision of that code multiplies by
 * zThreshold once more (μ + zThreshold²·σ/z). The EMA is updated with the norm the gradient has after
 * clipping, g*; the warm-up statistics are seeded from the raw norms. The cap applies during and after
 * warm-up; maxGradNorm ≤ 0 means no cap. Non-finite norms are left alone and do not enter the statistics
 * (as {@link AutoClipping}).
 *
 * <p>Where it acts in DL4J's step: on the raw gradient in {@code HookedUpdater.update}, after
 * backprop and before DL4J's ÷k, {@code GradientNormalization} and the optimizer.
 * {@link ClipResult#threshold()} reports the norm above which ZClip clips this step:
 * min(μ + zThreshold·(σ + 1e-6), maxGradNorm) after warm-up, maxGradNorm (or NaN) during it.
 */
final class ZClip implements ClippingRule {
    /** The reference code's ε in z = (g − μ)/(σ + ε). */
    public static final double EPS = 1e-6;
    private final double alpha;
    private final double zThreshold;
    private final int warmupSteps;
    private final double maxGradNorm;
    private final List<Double> warmup = new ArrayList<>();
    private boolean initialized;
    private double mean;
    private double var;

    /**
     * @param alpha       EMA factor (paper: 0.97)
     * @param zThreshold  z-score above which a norm is clipped (paper: 2.5)
     * @param warmupSteps norms collected before the EMA starts (paper: 25)
     * @param maxGradNorm fixed cap on the norm, applied always; ≤ 0 = none
     */
    public ZClip(double alpha, double zThreshold, int warmupSteps, double maxGradNorm) {
        if (!(alpha > 0 && alpha < 1)) throw new IllegalArgumentException("ZClip alpha must be in (0, 1), got " + alpha);
        if (!(zThreshold > 0) || Double.isInfinite(zThreshold)) throw new IllegalArgumentException("ZClip zThreshold must be > 0, got " + zThreshold);
        if (warmupSteps < 1) throw new IllegalArgumentException("ZClip warmupSteps must be >= 1, got " + warmupSteps);
        if (Double.isNaN(maxGradNorm)) throw new IllegalArgumentException("ZClip maxGradNorm must be a number (<= 0 = no cap)");
        this.alpha = alpha;
        this.zThreshold = zThreshold;
        this.warmupSteps = warmupSteps;
        this.maxGradNorm = maxGradNorm;
    }

    /** The paper's defaults: α 0.97, z 2.5, 25 warm-up steps, no cap. */
    public ZClip() {
        this(0.97, 2.5, 25, 0);
    }

    @Override
    public ClipResult apply(float[] gradient, float[] params, int k, ParamLayout layout) {
        double norm = Math.sqrt(ClippingRule.lossSumSq(gradient, layout)) / k;
        if (!Double.isFinite(norm)) return ClipResult.NOT_CLIPPED;
        double cap = maxGradNorm > 0 ? maxGradNorm : Double.POSITIVE_INFINITY;
        if (!initialized) {
            warmup.add(norm);
            if (warmup.size() >= warmupSteps) initialize();
            if (norm <= cap) return new ClipResult(false, maxGradNorm > 0 ? maxGradNorm : Double.NaN);
            return GlobalNormClipping.clipTo(gradient, k, cap, layout);
        }
        double std = Math.sqrt(var);
        double z = (norm - mean) / (std + EPS);
        double target = z > zThreshold ? mean + (zThreshold / z) * std : norm;
        double boundary = Math.min(mean + zThreshold * (std + EPS), cap);
        boolean clipped = false;
        double tau = Math.min(target, cap);
        if (tau < norm) clipped = GlobalNormClipping.clipTo(gradient, k, tau, layout).clipped();
        mean = alpha * mean + (1 - alpha) * tau;                       // the EMA follows the clipped norm g*
        var = alpha * var + (1 - alpha) * (tau - mean) * (tau - mean);
        return new ClipResult(clipped, boundary);
    }

    private void initialize() {
        double s = 0;
        for (double g : warmup) s += g;
        mean = s / warmup.size();
        double ss = 0;
        for (double g : warmup) ss += (g - mean) * (g - mean);
        var = ss / warmup.size();
        initialized = true;
        warmup.clear();
    }

    /** Whether warm-up is over and the EMA is in force. */
    public boolean initialized() {
        return initialized;
    }

    /** EMA mean μ of the norm (NaN during warm-up). */
    public double mean() {
        return initialized ? mean : Double.NaN;
    }

    /** EMA variance σ² of the norm (NaN during warm-up). */
    public double variance() {
        return initialized ? var : Double.NaN;
    }

    /** The state a checkpoint must carry. */
    public State state() {
        return new State(initialized, mean, var, warmup.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Continues from a checkpointed state. */
    public void restore(State s) {
        initialized = s.initialized();
        mean = s.mean();
        var = s.variance();
        warmup.clear();
        if (s.warmupNorms() != null) for (double g : s.warmupNorms()) warmup.add(g);
    }

    /**
     * @param initialized whether warm-up is over
     * @param mean        μ
     * @param variance    σ²
     * @param warmupNorms the warm-up norms collected so far (empty once initialized)
     */
    public record State(boolean initialized, double mean, double variance, double[] warmupNorms) {
    }

    @Override
    public String toString() {
        return "ZClip z " + zThreshold;
    }
}
