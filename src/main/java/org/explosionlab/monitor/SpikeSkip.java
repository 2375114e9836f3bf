package org.explosionlab.monitor;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Spike skipping, the rule of OLMo-core's {@code SkipStepOptimizer} (allenai/OLMo-core,
 * {@code olmo_core/optim/skip_step_optimizer.py}, used by its {@code SkipStepAdamW}): a step is not
 * applied when its loss ℓ or its raw global gradient norm g is a spike against the previous
 * {@code window} steps,
 * <pre>
 *   skip  ⇔  n ≥ minSteps  and  ( ℓ − mean(ℓ_prev) > σ·std(ℓ_prev)   or   g − mean(g_prev) > σ·std(g_prev) )
 * </pre>
 * with ℓ_prev, g_prev the last n ≤ {@code window} values before this step and std the sample standard
 * deviation (n − 1 in the denominator, {@code torch.std_mean}'s default). Defaults as OLMo-core: σ = 6,
 * window 128; OLMo-core starts acting at max(20, window/2) values including the current one, this
 * class at {@code minSteps} (20) previous ones. g is ‖g‖₂ of the raw gradient on the mean-loss scale
 * (DL4J's minibatch sum ÷ k), before any clipping; ℓ is DL4J's {@code model.score()} (mean loss + L1/L2).
 *
 * <p><b>Skipped steps enter the window</b>, as in OLMo-core, whose {@code latest_loss} and
 * {@code latest_grad_norm} setters append every step's values before {@code step()} decides: a run
 * whose loss has moved to a new level for good stops being skipped once the window has seen enough of
 * it. Non-finite values do not enter the window (one NaN would make every later mean NaN); a step with a
 * non-finite loss or norm is skipped once the rule acts, as OLMo-core's comparison with NaN does, and is
 * applied before (install {@link SkipNonFinite} first to drop it always).
 *
 * <p>Where it acts in DL4J's step: on the raw gradient in {@code HookedUpdater.update}, after backprop
 * and before DL4J's updater; a skip zeroes the gradient view and DL4J's updater does not run, so the
 * parameters and the optimizer state (Adam's m and v) stay bit for bit as they were. DL4J's iteration
 * counter still advances (the learning-rate schedule and Adam's bias correction count the step), as
 * with {@link SkipNonFinite}. Install it before any clipping rule, so that it sees the raw norm.
 */
final class SpikeSkip extends Remedy {
    /** {@code skip_reason} of a loss spike. */
    public static final String LOSS = "loss_spike";
    /** {@code skip_reason} of a gradient-norm spike. */
    public static final String GRAD_NORM = "grad_norm_spike";
    /** {@code skip_reason} when both spike. */
    public static final String BOTH = "loss_and_grad_norm_spike";

    private final double sigma;
    private final int window;
    private final int minSteps;
    private final Deque<Double> losses = new ArrayDeque<>();
    private final Deque<Double> norms = new ArrayDeque<>();
    private long total;
    private long lossSpikes;
    private long normSpikes;

    /**
     * @param sigma    standard deviations above the mean that make a spike (OLMo-core: 6)
     * @param window   previous steps the mean and standard deviation are taken over (OLMo-core: 128)
     * @param minSteps previous steps needed in the window before any step is skipped (≥ 2; 20 here)
     */
    public SpikeSkip(double sigma, int window, int minSteps) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("spike-skip sigma must be > 0, got " + sigma);
        if (window < 2) throw new IllegalArgumentException("spike-skip window must be >= 2, got " + window);
        if (minSteps < 2 || minSteps > window) {
            throw new IllegalArgumentException("spike-skip minSteps must be in [2, window = " + window + "], got " + minSteps);
        }
        this.sigma = sigma;
        this.window = window;
        this.minSteps = minSteps;
    }

    @Override
    public int stage() {
        return SPIKE_SKIP;
    }

    @Override
    public Outcome apply(RawGradient step) {
        String reason = check(step.loss(), step.globalNorm());
        return reason == null ? Outcome.UNCHANGED : GradientHook.Outcome.skip(reason);
    }

    /**
     * Judges one step against the window, then adds its loss and norm to the window.
     *
     * @return null to apply the step, else the skip reason ({@link #LOSS}, {@link #GRAD_NORM}, {@link #BOTH})
     */
    public String check(double loss, double norm) {
        String reason = null;
        if (losses.size() >= minSteps) {
            boolean lossSpike = spike(losses, loss);
            boolean normSpike = spike(norms, norm);
            if (lossSpike || normSpike) {
                reason = lossSpike && normSpike ? BOTH : lossSpike ? LOSS : GRAD_NORM;
                total++;
                if (lossSpike) lossSpikes++;
                if (normSpike) normSpikes++;
            }
        }
        if (Double.isFinite(loss) && Double.isFinite(norm)) {
            push(losses, loss);
            push(norms, norm);
        }
        return reason;
    }

    /** x − mean > σ·std over {@code prev}; a non-finite x is a spike. */
    private boolean spike(Deque<Double> prev, double x) {
        if (!Double.isFinite(x)) return true;
        int n = prev.size();
        double sum = 0;
        for (double v : prev) sum += v;
        double mean = sum / n;
        double ss = 0;
        for (double v : prev) ss += (v - mean) * (v - mean);
        double std = Math.sqrt(ss / (n - 1));
        return x - mean > sigma * std;
    }

    private void push(Deque<Double> q, double v) {
        q.addLast(v);
        while (q.size() > window) q.removeFirst();
    }

    /** Steps skipped so far. */
    public long total() {
        return total;
    }

    /** Of those, steps whose loss spiked. */
    public long lossSpikes() {
        return lossSpikes;
    }

    /** Of those, steps whose gradient norm spiked. */
    public long normSpikes() {
        return normSpikes;
    }

    /** Number of previous steps in the window. */
    public int windowSize() {
        return losses.size();
    }

    /** The state a checkpoint must carry. */
    public State state() {
        return new State(losses.stream().mapToDouble(Double::doubleValue).toArray(),
                norms.stream().mapToDouble(Double::doubleValue).toArray(), total, lossSpikes, normSpikes);
    }

    /** Continues from a checkpointed state. */
    public void restore(State s) {
        losses.clear();
        norms.clear();
        if (s.losses() != null) for (double v : s.losses()) push(losses, v);
        if (s.norms() != null) for (double v : s.norms()) push(norms, v);
        total = s.total();
        lossSpikes = s.lossSpikes();
        normSpikes = s.normSpikes();
    }

    /**
     * @param losses     the window's losses, oldest first
     * @param norms      the window's gradient norms, oldest first
     * @param total      steps skipped
     * @param lossSpikes of which the loss spiked
     * @param normSpikes of which the norm spiked
     */
    public record State(double[] losses, double[] norms, long total, long lossSpikes, long normSpikes) {
    }

    @Override
    public String toString() {
        return "spike skipping";
    }
}
