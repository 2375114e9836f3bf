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
        if (s.sharpness() != null && s.sharpnessLimit() != null && s.sharpnessLimit() > 0) {
            double line = thresholds.sharpnessRatio() * s.sharpnessLimit();
            check(out, SHARPNESS, s.iteration(), s.sharpness(), line, s.sharpness() >= line,
                    () -> "the loss curves more sharply along the step than " + (s.lr() > 0 ? "learning rate " + NetworkFacts.number(s.lr()) : "this learning rate")
                            + " can follow (Cohen et al. 2021): lower the learning rate below "
                            + NetworkFacts.number(s.lr() * s.sharpnessLimit() / s.sharpness()) + " (limit/λ × η, for SGD 2/λ), or clip the global norm");
        }
        if (s.updateRms() != null) {
            check(out, UPDATE_RMS, s.iteration(), s.updateRms(), thresholds.updateRms(), s.updateRms() >= thresholds.updateRms(),
                    () -> "Adam's second moment under-estimates the squared gradient (Wortsman et al. 2023: a loss spike often follows"
                            + " within 1-8 iterations): lower the learning rate, lower beta2 (e.g. 0.95), or clip the update"
                            + " (global-norm clipping: --set clipping=global_l2)");
        }
        if (s.updateCos() != null) {
            check(out, UPDATE_COS, s.iteration(), s.updateCos(), thresholds.updateCos(), s.updateCos() <= thresholds.updateCos(),
                    () -> "the update no longer points down the gradient (Molybog et al. 2023): lower the learning rate or"
                            + " raise Adam's epsilon");
        }
        if (s.gradNormZ() != null) {
            check(out, GRAD_NORM_SPIKE, s.iteration(), s.gradNormZ(), thresholds.gradNormZ(), s.gradNormZ() >= thresholds.gradNormZ(),
                    () -> "the gradient norm jumped far above its recent history (OLMo 2's 7-sigma spike): clip the global norm"
                            + " (--set clipping=global_l2) or skip spiking steps (--set spikeSkip=true), and lower the learning rate");
        }
        return out;
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
