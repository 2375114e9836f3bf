package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.spec.ExperimentSpec;

/**
 * The remedies an {@link ExperimentSpec} asks for, in the order they act on DL4J's raw
 * (minibatch-sum) gradient, before DL4J's own updater:
 * <ol>
 *   <li>skip-non-finite: a gradient with NaN/Inf is not applied at all (nothing below runs);</li>
 *   <li>spike skipping: a step whose loss or raw norm spikes is not applied ({@link SpikeSkip});</li>
 *   <li>the whole-network clipping rule of {@link ExperimentSpec#clipping()} (global_l2, agc,
 *       autoclip or zclip);</li>
 * </ol>
 * then DL4J continues: ÷ minibatch → per-layer {@code GradientNormalization} → L1/L2 → updater →
 * params −= update → weight constraints. Also carries the remedies' state across a checkpoint.
 */
public final class RemedyChain {
    private final ClippingRemedy clipping;
    private final SkipNonFinite skip;
    private final SpikeSkip spikeSkip;

    private RemedyChain(ClippingRemedy clipping, SkipNonFinite skip, SpikeSkip spikeSkip) {
        this.clipping = clipping;
        this.skip = skip;
        this.spikeSkip = spikeSkip;
    }

    /** The chain a spec asks for (not installed yet). */
    public static RemedyChain of(ExperimentSpec s) {
        ClippingRule rule = switch (s.clip().clipping()) {
            case NONE -> null;
            case GLOBAL_L2 -> new GlobalNormClipping(s.clip().clipThreshold());
            case AGC -> new AdaptiveGradientClipping(s.clip().agcLambda(), s.clip().agcEps(), s.clip().agcExcludeOutput());
            case AUTOCLIP -> new AutoClipping(s.clip().autoClipPercentile());
            case ZCLIP -> new ZClip(s.clip().zClipAlpha(), s.clip().zClipZThreshold(), s.clip().zClipWarmupSteps(), s.clip().zClipMaxGradNorm());
        };
        return new RemedyChain(rule == null ? null : new ClippingRemedy(rule),
                s.skip().skipNonFinite() ? new SkipNonFinite(s.skip().maxConsecutiveSkips()) : null,
                s.skip().spikeSkip() ? new SpikeSkip(s.skip().spikeSkipSigma(), s.skip().spikeSkipWindow(), s.skip().spikeSkipMinSteps()) : null);
    }

    /** The remedies in the order they act. */
    public List<Remedy> remedies() {
        List<Remedy> list = new ArrayList<>();
        if (skip != null) list.add(skip);
        if (spikeSkip != null) list.add(spikeSkip);
        if (clipping != null) list.add(clipping);
        return list;
    }

    /** Installs every remedy on {@code net}, in order; nothing is installed when the chain is empty. */
    public RemedyChain installOn(MultiLayerNetwork net) {
        for (Remedy r : remedies()) r.installOn(net);                 // each in its fixed stage (Remedy)
        return this;
    }

    /** True once skip-non-finite has skipped its maximum number of steps in a row. */
    public boolean gaveUp() {
        return skip != null && skip.givenUp();
    }

    /** Steps skip-non-finite has dropped so far (0 without it). */
    public long nonFiniteSkips() {
        return skip == null ? 0 : skip.total();
    }

    /** Steps spike skipping has dropped so far (0 without it). */
    public long spikeSkips() {
        return spikeSkip == null ? 0 : spikeSkip.total();
    }

    /** Remedy state that a resumed run must continue from (AutoClip history, ZClip EMA, skip counters and windows). */
    public State state() {
        return new State(clipping != null && clipping.rule() instanceof AutoClipping a ? a.history() : null,
                skip == null ? 0 : skip.consecutive(), skip == null ? 0 : skip.total(),
                clipping != null && clipping.rule() instanceof ZClip z ? z.state() : null,
                spikeSkip == null ? null : spikeSkip.state());
    }

    /** Continues from a checkpointed {@link State}. */
    public void restore(State state) {
        if (state.autoClipHistory() != null && clipping != null && clipping.rule() instanceof AutoClipping a) a.restore(state.autoClipHistory());
        if (state.zClip() != null && clipping != null && clipping.rule() instanceof ZClip z) z.restore(state.zClip());
        if (skip != null) skip.restore(state.skipConsecutive(), state.skipTotal());
        if (state.spikeSkip() != null && spikeSkip != null) spikeSkip.restore(state.spikeSkip());
    }

    /**
     * @param autoClipHistory AutoClip's norms so far, or null
     * @param skipConsecutive skip-non-finite's current run of skipped steps
     * @param skipTotal       skip-non-finite's total skipped steps
     * @param zClip           ZClip's EMA and warm-up norms, or null
     * @param spikeSkip       spike skipping's window and counters, or null
     */
    public record State(double[] autoClipHistory, int skipConsecutive, long skipTotal, ZClip.State zClip, SpikeSkip.State spikeSkip) {
    }
}
