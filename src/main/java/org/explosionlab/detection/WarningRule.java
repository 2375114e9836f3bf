package org.explosionlab.detection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the early-warning instruments into {@link Warning}s, one signal at a time:
 * <ul>
 *   <li>{@code sharpness}: the directional sharpness reached its optimizer's stability limit (2/η for SGD,
 *       (2 + 2β₁)/((1 − β₁)η) for Adam's preconditioned value; Cohen et al. 2021, 2022): sharpness ≥
 *       {@code sharpnessRatio} × limit;</li>
 *   <li>{@code update_rms}: Adam's update RMS at or above {@code updateRms} (Wortsman et al. 2023: the second
 *       moment under-estimates the squared gradient 1–8 iterations before a loss spike);</li>
 *   <li>{@code update_cos}: the cosine between update and descent direction at or below {@code updateCos}
 *       (Molybog et al. 2023: the update becomes uncorrelated with the descent direction);</li>
 *   <li>{@code grad_norm_spike}: the spike score of log ‖g‖ at or above {@code gradNormZ} (OLMo 2: 7σ).</li>
 * </ul>
 * A signal warns when it crosses its line (it was on the safe side at its previous measurement, or has never
 * been measured), and at most once per {@code rearm} iterations, so a signal that stays over the line gives one
 * warning, not one per step. A threshold of NaN switches its signal off. The combined rule is any signal.
 * Adam's preconditioned sharpness is not judged before iteration {@value #ADAM_SHARPNESS_WARMUP} (its second
 * moment has not settled); an SGD sharpness is judged from iteration 0.
 */
public final class WarningRule {
    /** The signals' names, as in {@link Warning#signal()}. */
    public static final String SHARPNESS = "sharpness";
    public static final String UPDATE_RMS = "update_rms";
    public static final String UPDATE_COS = "update_cos";
    public static final String GRAD_NORM_SPIKE = "grad_norm_spike";

    /**
     * The lines the signals cross.
     *
     * @param sharpnessRatio sharpness / stability limit at or above which {@code sharpness} warns
     * @param updateRms      Adam update RMS at or above which {@code update_rms} warns
     * @param updateCos      cos(update, −gradient) at or below which {@code update_cos} warns
     * @param gradNormZ      spike score at or above which {@code grad_norm_spike} warns
     * @param rearm          iterations after a warning before the same signal may warn again
     */
    public record Thresholds(double sharpnessRatio, double updateRms, double updateCos, double gradNormZ, int rearm) {
        /** The defaults: see {@code bench/lead-time.md} for how each fares. */
        public static Thresholds defaults() {
            return new Thresholds(1.0, 5.0, Double.NaN, 7.0, 50);
        }
    }

    /**
     * The figures of one recorded iteration (nulls: not measured).
     *
     * @param lr             the learning rate in force
     * @param sharpnessLimit the stability limit the sharpness is held against
     */
    public record Sample(long iteration, double lr, Double updateRms, Double updateCos, Double sharpness,
                         Double sharpnessLimit, Double gradNormZ) {
    }

    private final Thresholds thresholds;
    private final Map<String, Boolean> above = new HashMap<>();
    private final Map<String, Long> lastWarned = new HashMap<>();

    public WarningRule(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public WarningRule() {
        this(Thresholds.defaults());
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    /** The warnings this iteration raises (usually none). */
    public List<Warning> observe(Sample s) {
        List<Warning> out = new ArrayList<>();
        boolean adam = s.updateRms() != null;                       // only Adam-family rows carry the update RMS
        if (s.sharpness() != null && s.sharpnessLimit() != null && s.sharpnessLimit() > 0
                && !(adam && s.iteration() < ADAM_SHARPNESS_WARMUP)) {
            double line = thresholds.sharpnessRatio() * s.sharpnessLimit();
            check(out, SHARPNESS, s.iteration(), s.sharpness(), line, s.sharpness() >= line,
                    () -> sharpnessAdvice(s, adam));
        }
        if (s.updateRms() != null) {
            check(out, UPDATE_RMS, s.iteration(), s.updateRms(), thresholds.updateRms(), s.updateRms() >= thresholds.updateRms(),
                    () -> "Adam's second moment under-estimates the squared gradient (Wortsman et al. 2023: a loss spike often follows"
                            + " within 1-8 iterations): lower the learning rate, lower beta2 (e.g. 0.95), or clip the update"
                            + " (global-norm clipping: Remedies.globalNorm(threshold).installOn(net))");
        }
        if (s.updateCos() != null) {
            check(out, UPDATE_COS, s.iteration(), s.updateCos(), thresholds.updateCos(), s.updateCos() <= thresholds.updateCos(),
                    () -> "the update no longer points down the gradient (Molybog et al. 2023): lower the learning rate or"
                            + " raise Adam's epsilon");
        }
        if (s.gradNormZ() != null) {
            check(out, GRAD_NORM_SPIKE, s.iteration(), s.gradNormZ(), thresholds.gradNormZ(), s.gradNormZ() >= thresholds.gradNormZ(),
                    () -> "the gradient norm jumped far above its recent history (OLMo 2's 7-sigma spike): clip the global norm"
                            + " (Remedies.globalNorm(threshold).installOn(net)) or skip spiking steps"
                            + " (Remedies.spikeSkip().installOn(net)), and lower the learning rate");
        }
        return out;
    }

    /**
     * Iterations before Adam's preconditioned sharpness is judged: at iteration 0 Adam's second moment is a
     * single g², so P = diag(sqrt(v̂) + ε) is |g| itself and λ_max(P⁻¹H) is not yet the quantity Cohen et al.
     * 2022 (arXiv 2207.14484) hold against 38/η (they measure it once the preconditioner has settled). The
     * same warm-up as the spike score ({@code GradNormSpikeScore.MIN_HISTORY}). SGD and momentum are judged
     * from iteration 0: their sharpness gᵀHg/‖g‖² needs no history.
     */
    public static final int ADAM_SHARPNESS_WARMUP = 20;

    /**
     * The learning-rate advice of a sharpness warning, with the stability constant c = η × limit of the
     * updater that produced it (2 for SGD, 2 + 2μ for Nesterov momentum μ, (2 + 2β₁)/(1 − β₁) for Adam: 38 at
     * β₁ = 0.9): the sharpness λ stays below the limit while η &lt; c/λ.
     */
    private static String sharpnessAdvice(Sample s, boolean adam) {
        double c = s.lr() * s.sharpnessLimit();
        String lambda = adam ? "λ_p" : "λ";
        String what = adam
                ? "Adam's preconditioned sharpness λ_p (along the preconditioned gradient) reached its stability limit"
                        + " (2 + 2β₁)/((1 − β₁)η) (Cohen et al. 2022)"
                : "the loss curves more sharply along the step than "
                        + (s.lr() > 0 ? "learning rate " + NetworkFacts.number(s.lr()) : "this learning rate")
                        + " can follow (Cohen et al. 2021)";
        String lower = s.lr() > 0 && Double.isFinite(c) && s.sharpness() > 0
                ? ": lower the learning rate below " + NetworkFacts.number(c) + "/" + lambda + " = "
                        + NetworkFacts.number(c / s.sharpness())
                : ": lower the learning rate";
        return what + lower + ", or clip the global norm (Remedies.globalNorm(threshold).installOn(net))";
    }

    private void check(List<Warning> out, String signal, long iteration, double value, double threshold, boolean crossed,
                       java.util.function.Supplier<String> advice) {
        if (Double.isNaN(threshold)) return;
        boolean was = above.getOrDefault(signal, false);
        above.put(signal, crossed);
        if (!crossed || was) return;
        Long last = lastWarned.get(signal);
        if (last != null && iteration - last < thresholds.rearm()) return;
        lastWarned.put(signal, iteration);
        out.add(new Warning(iteration, signal, value, threshold, advice.get()));
    }
}
