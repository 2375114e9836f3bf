package org.explosionlab.remedy;

import org.explosionlab.spec.ExperimentSpec;

/**
 * This project's remedies in the order they act on DL4J's raw (minibatch-sum) gradient, before
 * DL4J's own updater:
 * <ol>
 *   <li>skip-non-finite: a gradient with NaN/Inf is not applied at all (nothing below runs);</li>
 *   <li>the whole-network clipping rule of {@link ExperimentSpec#clipping()} (global_l2, agc or
 *       autoclip);</li>
 * </ol>
 * then DL4J continues: ÷ minibatch → per-layer {@code GradientNormalization} → L1/L2 → updater →
 * params −= update → weight constraints.
 */
public final class RemedyChain {
    private final ClippingRule clipping;
    private final SkipNonFinite skip;

    public RemedyChain(ClippingRule clipping, SkipNonFinite skip) {
        this.clipping = clipping;
        this.skip = skip;
    }

    /** The chain a spec asks for. */
    public static RemedyChain of(ExperimentSpec s, ParamLayout layout) {
        ClippingRule rule = switch (s.clipping()) {
            case NONE -> null;
            case GLOBAL_L2 -> new GlobalNormClipping(s.clipThreshold());
            case AGC -> new AdaptiveGradientClipping(layout, s.agcLambda(), s.agcEps(), s.agcExcludeOutput());
            case AUTOCLIP -> new AutoClipping(s.autoClipPercentile());
        };
        return new RemedyChain(rule, s.skipNonFinite() ? new SkipNonFinite(s.maxConsecutiveSkips()) : null);
    }

    /** True when a clipping rule is configured. */
    public boolean clips() {
        return clipping != null;
    }

    /** The skip rule, or null when steps with non-finite gradients are applied like any other. */
    public SkipNonFinite skip() {
        return skip;
    }

    /** Applies the clipping rule (callers check {@link #skip()} first). */
    public ClipResult clip(float[] gradient, float[] params, int k) {
        return clipping == null ? ClipResult.NOT_CLIPPED : clipping.apply(gradient, params, k);
    }

    /** Remedy state that a resumed run must continue from (AutoClip history, skip counters). */
    public State state() {
        return new State(clipping instanceof AutoClipping a ? a.history() : null,
                skip == null ? 0 : skip.consecutive(), skip == null ? 0 : skip.total());
    }

    /** Continues from a checkpointed {@link State}. */
    public void restore(State state) {
        if (state.autoClipHistory() != null && clipping instanceof AutoClipping a) a.restore(state.autoClipHistory());
        if (skip != null) skip.restore(state.skipConsecutive(), state.skipTotal());
    }

    /**
     * @param autoClipHistory AutoClip's norms so far, or null
     * @param skipConsecutive skip-non-finite's current run of skipped steps
     * @param skipTotal       skip-non-finite's total skipped steps
     */
    public record State(double[] autoClipHistory, int skipConsecutive, long skipTotal) {
    }
}
