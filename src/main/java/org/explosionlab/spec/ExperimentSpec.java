package org.explosionlab.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Everything one experiment trains with, immutable and validated when built. Field names follow
 * DL4J's builder vocabulary so that {@code --set learningRate=0.1} reads like the builder call it
 * becomes. Defaults live in the {@code seed-baseline} preset (the tutorial's Keras model, Keras
 * defaults made explicit); see {@code src/main/resources/presets/seed-baseline.json}.
 *
 * <p>Where each group of fields acts in one DL4J training step:
 * <ol>
 *   <li>{@code layerSizes}, {@code activations}, {@code lossFunction}, {@code weightInit}
 *       (+{@code weightInitDistribution}), {@code biasInit}: the network itself.</li>
 *   <li>{@code skipNonFinite}, {@code spikeSkip*} and {@code clipping} (+ {@code clipThreshold},
 *       {@code agc*}, {@code autoClipPercentile}, {@code zClip*}): this project's whole-network rules, on
 *       the raw gradient, before DL4J's updater.</li>
 *   <li>DL4J's updater: divide by the minibatch size → {@code gradientNormalization} per layer
 *       (threshold on the mean-loss scale) → {@code l1}/{@code l2} → {@code updater} with
 *       {@code learningRate}/{@code lrSchedule} → params −= update.</li>
 *   <li>{@code constraint}: after the update.</li>
 * </ol>
 *
 * @param name                           preset or run name (letters, digits, '-', '_', '.')
 * @param description                    what this experiment demonstrates and what to look for
 * @param layerSizes                     input size, hidden sizes…, output size (784 … 10 for MNIST)
 * @param activations                    one DL4J {@link Activation} per non-input layer
 * @param lossFunction                   DL4J {@link LossFunction} of the output layer
 * @param updater                        optimizer, see {@link UpdaterKind}
 * @param learningRate                   initial learning rate (the schedule's lr₀)
 * @param beta1                          Adam-family first-moment decay
 * @param beta2                          Adam-family second-moment decay
 * @param epsilon                        Adam/RMSProp/AdaGrad ε (Keras 1e-7; DL4J's own default is 1e-8)
 * @param momentum                       Nesterov momentum
 * @param rmsDecay                       RMSProp decay ρ
 * @param lrSchedule                     learning-rate schedule, null = constant
 * @param weightInit                     DL4J {@link WeightInit}; {@code DISTRIBUTION} reads {@code weightInitDistribution}
 * @param weightInitDistribution         distribution for {@code DISTRIBUTION}, else null
 * @param biasInit                       initial bias value
 * @param gradientNormalization          DL4J {@link GradientNormalization}, per layer
 * @param gradientNormalizationThreshold its threshold (mean-loss scale), used by the Clip* modes
 * @param constraint                     weight constraint, null = none
 * @param l1                             L1 coefficient
 * @param l2                             L2 coefficient
 * @param clipping                       whole-network clipping rule, see {@link Clipping}
 * @param clipThreshold                  τ of {@code global_l2} (mean-loss scale)
 * @param agcLambda                      λ of AGC
 * @param agcEps                         ε of AGC
 * @param agcExcludeOutput               leave the output layer unclipped, as the AGC paper does
 * @param autoClipPercentile             p of AutoClip, in (0, 100]
 * @param zClipAlpha                     α of ZClip's EMA of the norm's mean and variance, in (0, 1)
 * @param zClipZThreshold                z-score above which ZClip clips
 * @param zClipWarmupSteps               steps whose norms seed ZClip's EMA (only zClipMaxGradNorm applies meanwhile)
 * @param zClipMaxGradNorm               ZClip's fixed cap on the norm (mean-loss scale), 0 = none
 * @param skipNonFinite                  skip an update whose gradient has NaN/Inf (Optax apply_if_finite)
 * @param maxConsecutiveSkips            give up after this many skipped steps in a row
 * @param spikeSkip                      skip an update whose loss or raw norm spikes (OLMo-core SkipStepOptimizer)
 * @param spikeSkipSigma                 a spike is this many standard deviations above the window's mean
 * @param spikeSkipWindow                previous steps the mean and standard deviation are taken over
 * @param spikeSkipMinSteps              previous steps needed in the window before a step is skipped
 * @param batchSize                      minibatch size
 * @param epochs                         passes over the training set
 * @param seed                           seeds weights, shuffling and everything random
 * @param dataset                        {@code mnist-embedded}, {@code mnist}, {@code fashion-mnist} or an IDX directory
 * @param metricsEvery                   record metrics every N iterations (1 = every iteration)
 * @param recordActivations              also record activation mean/std per layer (costs a pass over activations)
 * @param earlyWarning                   measure the early-warning instruments Adam update RMS, cos(update, −gradient) and
 *                                       the spike score of log ‖g‖ (the monitor's {@code instruments}); off by default
 * @param sharpnessEvery                 measure the directional sharpness every N iterations (a finite-difference
 *                                       Hessian-vector product on a fixed probe minibatch, two extra gradient
 *                                       evaluations; see the monitor's {@code sharpnessEvery}); 0 = off (the default)
 * @param explosionFactor                the detector's "far above the recent median" factor
 * @param explosionCeiling               the detector's absolute global-norm ceiling (mean-loss scale)
 * @param stopOn                         verdict kinds that stop training early: nonfinite, explosion, collapse
 */

public record ExperimentSpec(
        String name,
        String description,
        List<Integer> layerSizes,
        List<Activation> activations,
        LossFunction lossFunction,
        UpdaterKind updater,
        double learningRate,
        double beta1,
        double beta2,
        double epsilon,
        double momentum,
        double rmsDecay,
        ScheduleSpec lrSchedule,
        WeightInit weightInit,
        DistributionSpec weightInitDistribution,
        double biasInit,
        GradientNormalization gradientNormalization,
        double gradientNormalizationThreshold,
        ConstraintSpec constraint,
        double l1,
        double l2,
        Clipping clipping,
        double clipThreshold,
        double agcLambda,
        double agcEps,
        boolean agcExcludeOutput,
        double autoClipPercentile,
        double zClipAlpha,
        double zClipZThreshold,
        int zClipWarmupSteps,
        double zClipMaxGradNorm,
        boolean skipNonFinite,
        int maxConsecutiveSkips,
        boolean spikeSkip,
        double spikeSkipSigma,
        int spikeSkipWindow,
        int spikeSkipMinSteps,
        int batchSize,
        int epochs,
        long seed,
        String dataset,
        int metricsEvery,
        boolean recordActivations,
        boolean earlyWarning,
        int sharpnessEvery,
        double explosionFactor,
        double explosionCeiling,
        List<String> stopOn) {

    /** Input size of every MNIST-like dataset this project reads (28×28 pixels). */
    public static final int MNIST_INPUTS = 784;
    /** Number of classes of every MNIST-like dataset. */
    public static final int MNIST_CLASSES = 10;
    /** A layer wider than this is almost certainly a typo (and would not fit a tutorial run). */
    public static final int MAX_LAYER_WIDTH = 65_536;
    /** Deeper than this is no longer a depth experiment but a typo. */
    public static final int MAX_HIDDEN_LAYERS = 200;
    /** Verdict kinds {@link #stopOn} may name. */
    public static final Set<String> VERDICT_KINDS = Set.of("nonfinite", "explosion", "collapse");

    /** Canonical constructor: normalises defaults, assigns, then validates the finished record. */
    public ExperimentSpec(String name,
            String description,
            List<Integer> layerSizes,
            List<Activation> activations,
            LossFunction lossFunction,
            UpdaterKind updater,
            double learningRate,
            double beta1,
            double beta2,
            double epsilon,
            double momentum,
            double rmsDecay,
            ScheduleSpec lrSchedule,
            WeightInit weightInit,
            DistributionSpec weightInitDistribution,
            double biasInit,
            GradientNormalization gradientNormalization,
            double gradientNormalizationThreshold,
            ConstraintSpec constraint,
            double l1,
            double l2,
            Clipping clipping,
            double clipThreshold,
            double agcLambda,
            double agcEps,
            boolean agcExcludeOutput,
            double autoClipPercentile,
            double zClipAlpha,
            double zClipZThreshold,
            int zClipWarmupSteps,
            double zClipMaxGradNorm,
            boolean skipNonFinite,
            int maxConsecutiveSkips,
            boolean spikeSkip,
            double spikeSkipSigma,
            int spikeSkipWindow,
            int spikeSkipMinSteps,
            int batchSize,
            int epochs,
            long seed,
            String dataset,
            int metricsEvery,
            boolean recordActivations,
            boolean earlyWarning,
            int sharpnessEvery,
            double explosionFactor,
            double explosionCeiling,
            List<String> stopOn) {
        this.name = name;
        this.description = description == null ? "" : description;
        this.layerSizes = layerSizes == null ? null : nullableCopy(layerSizes);
        this.activations = activations == null ? null : nullableCopy(activations);
        this.lossFunction = lossFunction;
        this.updater = updater;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.momentum = momentum;
        this.rmsDecay = rmsDecay;
        this.lrSchedule = lrSchedule;
        this.weightInit = weightInit;
        this.weightInitDistribution = weightInitDistribution;
        this.biasInit = biasInit;
        this.gradientNormalization = gradientNormalization == null ? GradientNormalization.None : gradientNormalization;
        this.gradientNormalizationThreshold = gradientNormalizationThreshold;
        this.constraint = constraint;
        this.l1 = l1;
        this.l2 = l2;
        this.clipping = clipping == null ? Clipping.NONE : clipping;
        this.clipThreshold = clipThreshold;
        this.agcLambda = agcLambda;
        this.agcEps = agcEps;
        this.agcExcludeOutput = agcExcludeOutput;
        this.autoClipPercentile = autoClipPercentile;
        this.zClipAlpha = zClipAlpha;
        this.zClipZThreshold = zClipZThreshold;
        this.zClipWarmupSteps = zClipWarmupSteps;
        this.zClipMaxGradNorm = zClipMaxGradNorm;
        this.skipNonFinite = skipNonFinite;
        this.maxConsecutiveSkips = maxConsecutiveSkips;
        this.spikeSkip = spikeSkip;
        this.spikeSkipSigma = spikeSkipSigma;
        this.spikeSkipWindow = spikeSkipWindow;
        this.spikeSkipMinSteps = spikeSkipMinSteps;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
        this.dataset = dataset == null ? "mnist-embedded" : dataset;
        this.metricsEvery = metricsEvery;
        this.recordActivations = recordActivations;
        this.earlyWarning = earlyWarning;
        this.sharpnessEvery = sharpnessEvery;
        this.explosionFactor = explosionFactor;
        this.explosionCeiling = explosionCeiling;
        this.stopOn = stopOn == null ? List.of() : nullableCopy(stopOn);
        new SpecValidator(this).validate();
    }

    /** An unmodifiable copy that keeps null elements, so that the validator can name them (List.copyOf would throw). */
    private static <T> List<T> nullableCopy(List<T> list) {
        return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(list));
    }

    /** Number of hidden layers (all layers but input and output). */
    public int hiddenLayers() {
        return layerSizes.size() - 2;
    }

    /** Number of weight layers (hidden + output), i.e. DL4J layer count. */
    public int weightLayers() {
        return layerSizes.size() - 1;
    }

    /** The stop-on kinds, lower case. */
    public Set<String> stopOnKinds() {
        return Set.copyOf(stopOn.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }
}
