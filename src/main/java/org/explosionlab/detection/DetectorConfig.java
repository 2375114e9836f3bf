package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Thresholds of {@link ExplosionDetector}, all on the mean-loss scale and validated when built.
 * Windows count recorded samples, not iterations (with {@code metricsEvery = 10} a window of 50
 * samples spans 500 iterations).
 *
 * <p>Every default is a field of {@link Builder}, with the reason for its value.
 *
 * @param explosionFactor       explosion when ‖g‖ > factor × median of the previous {@code medianWindow} norms
 * @param medianWindow          number of previous samples the trailing median is taken over
 * @param warmupSamples         samples the trailing window must hold before the relative test applies
 * @param explosionFloor        the relative test also needs ‖g‖ > this
 * @param absoluteCeiling       explosion when ‖g‖ > this, from the first sample on (+Infinity disables it)
 * @param collapseGradMax       a sample is dead when min(‖g‖, min_l ‖g_l‖) ≤ this
 * @param collapseLoss          the chance-level loss, ln(number of classes)
 * @param collapseLossTolerance a sample is at chance level when |loss − collapseLoss| ≤ this
 * @param collapseWindow        collapse after this many dead, chance-level samples in a row
 * @param chanceAccuracyMax     a collapse is kept in the verdict only when the final accuracy is NaN or ≤ this
 * @param referenceFraction     the relative test also needs ‖g‖ > factor × this × the median of the run's early norms
 * @param vanishingRatioMax     vanishing when a layer's median update:parameter ratio over {@code vanishingWindow} samples is below this
 * @param vanishingWindow       samples the vanishing median is taken over
 * @param stallWindow           samples per window of the stall test (two windows are compared)
 * @param stallMinImprovement   stalled when the mean loss improved by less than this fraction between the windows ...
 * @param stallAccuracyMax      ... while the newer window's mean minibatch accuracy is below this
 * @param recoveryWindow        healthy samples in a row after which an explosion counts as recovered
 * @param largeUpdateRatioMin   large updates when a layer's median update:parameter ratio over {@code largeUpdateWindow} is above this (0 turns it off)
 * @param largeUpdateWindow     samples the large-update median is taken over (also the not-learning end window)
 * @param deadUnitFractionMin   dead units when this fraction of a ReLU-family layer's units is dead (0 turns it off)
 * @param deadUnitWindow        a unit is dead after this many recorded minibatches in a row with zero output on every example
 * @param containedFractionMin  contained when a remedy changed at least this fraction of the last {@code containedWindow} steps ...
 * @param containedShrinkMin    ... and the median raw / applied norm of those steps is at least this
 * @param containedWindow       samples the contained test looks back over
 * @param minJudgedSamples      below this many recorded samples the windowed rules are not judged (too_short)
 * @param notLearningMinImprovement without an accuracy: not learning when the loss fell by less than this fraction from the first to the last window
 * @param confirmWindow         samples after a relative spike below the ceiling that must confirm it ({@link PendingSpike}); 0: no confirmation
 */
public record DetectorConfig(
        @JsonProperty("explosion_factor") double explosionFactor,
        @JsonProperty("median_window") int medianWindow,
        @JsonProperty("warmup_samples") int warmupSamples,
        @JsonProperty("explosion_floor") double explosionFloor,
        @JsonProperty("absolute_ceiling") double absoluteCeiling,
        @JsonProperty("collapse_grad_max") double collapseGradMax,
        @JsonProperty("collapse_loss") double collapseLoss,
        @JsonProperty("collapse_loss_tolerance") double collapseLossTolerance,
        @JsonProperty("collapse_window") int collapseWindow,
        @JsonProperty("chance_accuracy_max") double chanceAccuracyMax,
        @JsonProperty("reference_fraction") double referenceFraction,
        @JsonProperty("vanishing_ratio_max") double vanishingRatioMax,
        @JsonProperty("vanishing_window") int vanishingWindow,
        @JsonProperty("stall_window") int stallWindow,
        @JsonProperty("stall_min_improvement") double stallMinImprovement,
        @JsonProperty("stall_accuracy_max") double stallAccuracyMax,
        @JsonProperty("recovery_window") int recoveryWindow,
        @JsonProperty("large_update_ratio_min") double largeUpdateRatioMin,
        @JsonProperty("large_update_window") int largeUpdateWindow,
        @JsonProperty("dead_unit_fraction_min") double deadUnitFractionMin,
        @JsonProperty("dead_unit_window") int deadUnitWindow,
        @JsonProperty("contained_fraction_min") double containedFractionMin,
        @JsonProperty("contained_shrink_min") double containedShrinkMin,
        @JsonProperty("contained_window") int containedWindow,
        @JsonProperty("min_judged_samples") int minJudgedSamples,
        @JsonProperty("not_learning_min_improvement") double notLearningMinImprovement,
        @JsonProperty("confirm_window") int confirmWindow) {

    /** Loss of a uniform prediction over MNIST's 10 classes: ln 10. */
    public static final double LN_10 = Math.log(10);

    public DetectorConfig {
        if (!(explosionFactor > 1) || Double.isInfinite(explosionFactor)) {
            throw invalid("explosionFactor", "a finite number > 1", explosionFactor);
        }
        samples("medianWindow", medianWindow);
        if (warmupSamples < 1 || warmupSamples > medianWindow) {
            throw invalid("warmupSamples", "between 1 and medianWindow (" + medianWindow + ")", warmupSamples);
        }
        nonNegative("explosionFloor", explosionFloor, "");
        if (!(absoluteCeiling > 0)) throw invalid("absoluteCeiling", "a number > 0 (Infinity disables it)", absoluteCeiling);
        nonNegative("collapseGradMax", collapseGradMax, "");
        finite("collapseLoss", collapseLoss, "a finite number (ln of the class count)");
        nonNegative("collapseLossTolerance", collapseLossTolerance, "");
        samples("collapseWindow", collapseWindow);
        between0And1("chanceAccuracyMax", chanceAccuracyMax, "an accuracy between 0 and 1");
        nonNegative("referenceFraction", referenceFraction, " (0 turns the early reference off)");
        nonNegative("vanishingRatioMax", vanishingRatioMax, OFF);
        samples("vanishingWindow", vanishingWindow);
        samples("stallWindow", stallWindow);
        finite("stallMinImprovement", stallMinImprovement, "a finite fraction");
        between0And1("stallAccuracyMax", stallAccuracyMax, "an accuracy between 0 and 1" + OFF);
        samples("recoveryWindow", recoveryWindow);
        nonNegative("largeUpdateRatioMin", largeUpdateRatioMin, OFF);
        samples("largeUpdateWindow", largeUpdateWindow);
        between0And1("deadUnitFractionMin", deadUnitFractionMin, "a fraction between 0 and 1" + OFF);
        samples("deadUnitWindow", deadUnitWindow);
        between0And1("containedFractionMin", containedFractionMin, "a fraction between 0 and 1" + OFF);
        if (!(containedShrinkMin >= 1) || Double.isInfinite(containedShrinkMin)) {
            throw invalid("containedShrinkMin", "a finite factor >= 1", containedShrinkMin);
        }
        samples("containedWindow", containedWindow);
        samples("minJudgedSamples", minJudgedSamples);
        finite("notLearningMinImprovement", notLearningMinImprovement, "a finite fraction");
        if (confirmWindow < 0) throw invalid("confirmWindow", "at least 0 samples (0: no confirmation)", confirmWindow);
    }

    private static final String OFF = " (0 turns the test off)";

    private static void samples(String field, int window) {
        if (window < 1) throw invalid(field, "at least 1 sample", window);
    }

    private static void nonNegative(String field, double v, String note) {
        if (!(v >= 0) || Double.isInfinite(v)) throw invalid(field, "a finite number >= 0" + note, v);
    }

    private static void between0And1(String field, double v, String expected) {
        if (!(v >= 0 && v <= 1)) throw invalid(field, expected, v);
    }

    private static void finite(String field, double v, String expected) {
        if (!Double.isFinite(v)) throw invalid(field, expected, v);
    }

    /** The documented defaults (see {@link Builder} for the reasons). */
    public static DetectorConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults: {@code DetectorConfig.builder().explosionFactor(5).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config: {@code DetectorConfig.defaults().toBuilder().explosionFactor(5).build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** This config with another explosion factor (the spec's {@code explosionFactor}). */
    public DetectorConfig withExplosionFactor(double factor) {
        return toBuilder().explosionFactor(factor).build();
    }

    /** This config with another absolute ceiling (the spec's {@code explosionCeiling}). */
    public DetectorConfig withAbsoluteCeiling(double ceiling) {
        return toBuilder().absoluteCeiling(ceiling).build();
    }

    /**
     * This config for a classifier with {@code classes} outputs: chance loss ln C, chance accuracy at most
     * 1.5 / C, and the stall test's accuracy limit halfway between chance and perfect, (1 + 1/C) / 2.
     * For C = 10 these are the defaults.
     */
    public DetectorConfig forClasses(int classes) {
        if (classes < 2) throw invalid("classes", "at least 2 for a classifier", classes);
        return toBuilder().collapseLoss(Math.log(classes)).chanceAccuracyMax(Math.min(1, 1.5 / classes))
                .stallAccuracyMax((1 + 1.0 / classes) / 2).build();
    }

    /** Named setters, starting from the defaults or from a copy of a config; {@link #build()} validates. */
    public static final class Builder {
        /**
         * The seed model (Adam 1e-3, Glorot) wanders between global norms of about 0.3 and 5
         * and has occasional 3× bumps; an exploding one jumps by 100× or more (N(0,1) init + SGD 0.1: from a few to ~950
         * in one step).
         */
        private double explosionFactor = 10.0;
        /**
         * Long enough that one bump does not move the median, short enough to follow the slow
         * decay of the norm during training.
         */
        private int medianWindow = 50;
        /**
         * The N(0,1) + SGD 0.1 run spikes at iteration 3 and is dead afterwards, so the
         * relative test must be live by then; the median of 3 values already ignores one outlier, and the early, larger
         * norms only raise it.
         */
        private int warmupSamples = 3;
        /**
         * The relative test also needs the norm above 1.0, the usual clip threshold; a norm
         * clipping at 1.0 would not even touch is no explosion, and this keeps a dead network's noise (1e-7 → 1e-6 is 10×)
         * from raising one.
         */
        private double explosionFloor = 1.0;
        /**
         * About 30× the seed model's largest healthy norm (3.1 in 5 epochs), and the presets'
         * {@code explosionCeiling}; catches a blow-up in the very first iterations, before any median exists (N(0, 1) init
         * starts at 312), and keeps those first norms out of the early reference.
         */
        private double absoluteCeiling = 100.0;
        /**
         * A dead ReLU network passes no gradient to the layers below its dead layer, so
         * the smallest of the global and per-layer norms drops to ~0 (1e-7 in the PyTorch N(0,1) + SGD 0.1 run), four
         * orders below the seed model's smallest healthy layer norm. Taking the smallest per-layer norm, not only the
         * global one, matters because the output bias keeps a small gradient from minibatch class frequencies even in a
         * dead network.
         */
        private double collapseGradMax = 1e-4;
        /**
         * {@code collapseLoss = ln 10 ≈ 2.3026} with {@code collapseLossTolerance = 0.05}: a dead network predicts
         * (nearly) uniform classes over MNIST's 10 classes; predicting the class priors instead gives ≈ 2.301, well inside
         * the tolerance.
         */
        private double collapseLoss = LN_10;
        private double collapseLossTolerance = 0.05;
        /**
         * A healthy run leaves ln 10 within a few dozen iterations, and its gradients are
         * never that small; 100 dead samples in a row is not a fluke.
         */
        private int collapseWindow = 100;
        /**
         * Chance on 10 classes is 0.10 (0.11 with MNIST's largest class); a collapse is
         * confirmed only when the final accuracy, if known, is at most this.
         */
        private double chanceAccuracyMax = 0.15;
        /**
         * The relative test compares ‖g‖ with max(med_W, 0.25 · med_early), med_early =
         * the median of the run's first {@code medianWindow} non-explosive norms. Late in a healthy run the norm's median
         * falls ten-fold (seed model: from ~1.3 to ~0.12 after 20 epochs), and an ordinary hard minibatch is then "10× its
         * recent median" (1.40 against 0.138) without being large for this run; it must also be 2.5× the run's early
         * norms.
         */
        private double referenceFraction = 0.25;
        /**
         * {@code vanishingRatioMax = 1e-5} over {@code vanishingWindow = 100} samples: DL4J's training UI guidance
         * ("Visualizing network training": the update:parameter ratio mean|Δθ|/mean|θ| should be about 1e-3, below 1e-4
         * parameters "change too slowly to learn useful features"); 1e-5 is a decade further, so a slow but learning layer
         * (the saturating preset's first layer: 5e-5) is not called vanishing, while a dead or frozen one (1e-6 and below)
         * is.
         */
        private double vanishingRatioMax = 1e-5;
        private int vanishingWindow = 100;
        /**
         * {@code stallWindow = 250}, {@code stallMinImprovement = 0.05}, {@code stallAccuracyMax = 0.55}: DL4J's guidance
         * "if the score is flat or decreases very slowly (over a few hundred iterations), your learning rate may be too
         * low, or you might be having difficulties with optimization": the mean loss of the last 250 samples is less than
         * 5 % below that of the 250 before, while the minibatch accuracy is below halfway between chance and perfect, (1 +
         * 1/C) / 2 (0.55 for C = 10 classes; {@link DetectorConfig#forClasses}). A healthy MNIST run passes 0.55 within its first 100
         * steps.
         */
        private int stallWindow = 250;
        private double stallMinImprovement = 0.05;
        private double stallAccuracyMax = 0.55;
        /**
         * An explosion is recovered once 50 samples in a row are finite, none meets the
         * explosion test, and their mean minibatch accuracy is at least {@code stallAccuracyMax} (without an accuracy:
         * their mean loss is at most the mean loss before the explosion, or half the loss at it when it came first).
         */
        private int recoveryWindow = 50;
        /**
         * {@code largeUpdateRatioMin = 0.1} over {@code largeUpdateWindow = 50} samples: the counterpart of vanishing.
         * DL4J's guidance puts a healthy update:parameter ratio near 1e-3; a layer whose median ratio stays above 0.1
         * (100x that) rewrites a tenth of its weights every step and cannot settle. The seed model's largest layer median
         * is ~0.02 in its first 50 steps (Adam's first steps are lr-sized) and falls from there; high-lr-max-norm's output
         * layer sits at ~0.37.
         */
        private double largeUpdateRatioMin = 0.1;
        private int largeUpdateWindow = 50;
        /**
         * {@code deadUnitFractionMin = 0.7} over {@code deadUnitWindow = 50} samples: a ReLU-family unit is dead when its
         * output was 0 for every example of the last 50 recorded minibatches; a layer with at least 70 % dead units has
         * lost most of its capacity. 70 % is AutoTrainer's dying-ReLU threshold (Zhang et al., ICSE 2021: "AUTOTRAINER: An
         * Automatic DNN Training Problem Detection and Repair System", which flags a layer when at least 70 % of its
         * gradient entries are zero).
         */
        private double deadUnitFractionMin = 0.7;
        private int deadUnitWindow = 50;
        /**
         * {@code containedFractionMin = 0.5}, {@code containedShrinkMin = 10} over {@code containedWindow = 100} samples:
         * an explosion is contained when a remedy (clipping, DL4J's GradientNormalization, skipping) changed at least half
         * of the steps and the median of raw ‖g‖ / applied ‖g‖ over those steps is at least 10: the raw gradient stays an
         * order of magnitude above what the optimizer is allowed to see, so the cause (init, learning rate) is still
         * there. The healthy seed model clipped at 1.0 shrinks by ~1.2.
         */
        private double containedFractionMin = 0.5;
        private double containedShrinkMin = 10.0;
        private int containedWindow = 100;
        /**
         * Below 20 recorded samples the windowed rules cannot be judged and the verdict
         * says so ({@code too_short}); from 20 samples on every windowed rule is judged at {@code verdict()} time over the
         * samples it holds, if its full window was not reached (one epoch of the embedded MNIST at batch 256 is 32
         * iterations).
         */
        private int minJudgedSamples = 20;
        /**
         * Without a minibatch accuracy (not a classifier) a run whose mean loss
         * over its last {@code largeUpdateWindow} samples is not 1 % below that of its first is not learning.
         */
        private double notLearningMinImprovement = 0.01;
        /**
         * A relative spike below the ceiling is an explosion only when the 5 samples after it
         * confirm it ({@link PendingSpike}): the seed model at batch 16 has single late norms 13x its reference that
         * change nothing; high-lr's explosions are followed by more spikes and a loss that stays up.
         */
        private int confirmWindow = 5;

        private Builder() {
        }

        private Builder(DetectorConfig c) {
            explosionFactor = c.explosionFactor;
            medianWindow = c.medianWindow;
            warmupSamples = c.warmupSamples;
            explosionFloor = c.explosionFloor;
            absoluteCeiling = c.absoluteCeiling;
            collapseGradMax = c.collapseGradMax;
            collapseLoss = c.collapseLoss;
            collapseLossTolerance = c.collapseLossTolerance;
            collapseWindow = c.collapseWindow;
            chanceAccuracyMax = c.chanceAccuracyMax;
            referenceFraction = c.referenceFraction;
            vanishingRatioMax = c.vanishingRatioMax;
            vanishingWindow = c.vanishingWindow;
            stallWindow = c.stallWindow;
            stallMinImprovement = c.stallMinImprovement;
            stallAccuracyMax = c.stallAccuracyMax;
            recoveryWindow = c.recoveryWindow;
            largeUpdateRatioMin = c.largeUpdateRatioMin;
            largeUpdateWindow = c.largeUpdateWindow;
            deadUnitFractionMin = c.deadUnitFractionMin;
            deadUnitWindow = c.deadUnitWindow;
            containedFractionMin = c.containedFractionMin;
            containedShrinkMin = c.containedShrinkMin;
            containedWindow = c.containedWindow;
            minJudgedSamples = c.minJudgedSamples;
            notLearningMinImprovement = c.notLearningMinImprovement;
            confirmWindow = c.confirmWindow;
        }

        public Builder explosionFactor(double v) { explosionFactor = v; return this; }
        public Builder medianWindow(int v) { medianWindow = v; return this; }
        public Builder warmupSamples(int v) { warmupSamples = v; return this; }
        public Builder explosionFloor(double v) { explosionFloor = v; return this; }
        public Builder absoluteCeiling(double v) { absoluteCeiling = v; return this; }
        public Builder collapseGradMax(double v) { collapseGradMax = v; return this; }
        public Builder collapseLoss(double v) { collapseLoss = v; return this; }
        public Builder collapseLossTolerance(double v) { collapseLossTolerance = v; return this; }
        public Builder collapseWindow(int v) { collapseWindow = v; return this; }
        public Builder chanceAccuracyMax(double v) { chanceAccuracyMax = v; return this; }
        public Builder referenceFraction(double v) { referenceFraction = v; return this; }
        public Builder vanishingRatioMax(double v) { vanishingRatioMax = v; return this; }
        public Builder vanishingWindow(int v) { vanishingWindow = v; return this; }
        public Builder stallWindow(int v) { stallWindow = v; return this; }
        public Builder stallMinImprovement(double v) { stallMinImprovement = v; return this; }
        public Builder stallAccuracyMax(double v) { stallAccuracyMax = v; return this; }
        public Builder recoveryWindow(int v) { recoveryWindow = v; return this; }
        public Builder largeUpdateRatioMin(double v) { largeUpdateRatioMin = v; return this; }
        public Builder largeUpdateWindow(int v) { largeUpdateWindow = v; return this; }
        public Builder deadUnitFractionMin(double v) { deadUnitFractionMin = v; return this; }
        public Builder deadUnitWindow(int v) { deadUnitWindow = v; return this; }
        public Builder containedFractionMin(double v) { containedFractionMin = v; return this; }
        public Builder containedShrinkMin(double v) { containedShrinkMin = v; return this; }
        public Builder containedWindow(int v) { containedWindow = v; return this; }
        public Builder minJudgedSamples(int v) { minJudgedSamples = v; return this; }
        public Builder notLearningMinImprovement(double v) { notLearningMinImprovement = v; return this; }
        public Builder confirmWindow(int v) { confirmWindow = v; return this; }

        /** The config, validated (one {@code IllegalArgumentException} naming the first bad field). */
        public DetectorConfig build() {
            return new DetectorConfig(explosionFactor, medianWindow, warmupSamples, explosionFloor, absoluteCeiling,
                    collapseGradMax, collapseLoss, collapseLossTolerance, collapseWindow, chanceAccuracyMax,
                    referenceFraction, vanishingRatioMax, vanishingWindow, stallWindow, stallMinImprovement, stallAccuracyMax,
                    recoveryWindow, largeUpdateRatioMin, largeUpdateWindow, deadUnitFractionMin, deadUnitWindow,
                    containedFractionMin, containedShrinkMin, containedWindow, minJudgedSamples, notLearningMinImprovement,
                    confirmWindow);
        }
    }

    private static IllegalArgumentException invalid(String field, String expected, Object got) {
        return new IllegalArgumentException("detector " + field + " must be " + expected + ", got " + got);
    }
}
