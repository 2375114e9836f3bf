package org.explosionlab.spec;

import static org.explosionlab.spec.SpecException.field;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Everything one experiment trains with, immutable and validated when built: one nested record per
 * concern, each checking its own fields in its compact constructor (the first problem is thrown as a
 * {@link SpecException} naming the field). Field names follow DL4J's builder vocabulary so that
 * {@code --set learningRate=0.1} reads like the builder call it becomes. The JSON form is flat, one
 * object of all the nested records' fields ({@link SpecJson}). Defaults live in the {@code seed-baseline}
 * preset (the tutorial's Keras model, Keras defaults made explicit).
 *
 * <p>Where each group acts in one DL4J training step:
 * <ol>
 *   <li>{@link Layers} and {@link Init}: the network itself.</li>
 *   <li>{@link Skip} and {@link Clip}: this project's whole-network rules, on the raw gradient, before
 *       DL4J's updater.</li>
 *   <li>DL4J's updater: divide by the minibatch size → {@code gradientNormalization} per layer
 *       (threshold on the mean-loss scale) → {@code l1}/{@code l2} ({@link Regularization}) →
 *       {@link Optimizer} → params −= update.</li>
 *   <li>{@code constraint} ({@link Regularization}): after the update.</li>
 * </ol>
 *
 * @param name        preset or run name (letters, digits, '-', '_', '.'; it names the run's directory)
 * @param description what this experiment demonstrates and what to look for
 */
public record ExperimentSpec(String name, String description, Layers layers, Optimizer optimizer, Init init,
        Regularization regularization, Clip clip, Skip skip, Training training, Recording recording, Detector detector) {

    /** Input size of every MNIST-like dataset this project reads (28×28 pixels). */
    public static final int MNIST_INPUTS = 784;
    /** Number of classes of every MNIST-like dataset. */
    public static final int MNIST_CLASSES = 10;
    /** A layer wider than this is almost certainly a typo (and would not fit a tutorial run). */
    public static final int MAX_LAYER_WIDTH = 65_536;
    /** Deeper than this is no longer a depth experiment but a typo. */
    public static final int MAX_HIDDEN_LAYERS = 200;
    /**
     * A run name, which becomes a directory name (see {@code SafePaths}): letters, digits, '.', '-', '_', starting
     * with a letter or digit, so never {@code .}, {@code ..}, a hidden file, an option or a spreadsheet formula.
     */
    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,79}";

    public ExperimentSpec {
        description = description == null ? "" : description;
        if (name == null) throw field("name", "set", null);
        if (!name.matches(NAME)) {
            throw field("name", "1–80 letters, digits, '.', '-' or '_', starting with a letter or digit (it names the run's"
                    + " directory)", "\"" + name + "\"");
        }
        SpecChecks.float32(layers, optimizer, init, regularization, clip, skip, training, recording, detector);
    }

    /** Number of hidden layers (all layers but input and output). */
    public int hiddenLayers() {
        return layers.layerSizes().size() - 2;
    }

    /** Number of weight layers (hidden + output), i.e. DL4J layer count. */
    public int weightLayers() {
        return layers.layerSizes().size() - 1;
    }

    /** The flat JSON object of every field (how specs are written everywhere, {@code summary.json} included). */
    @JsonValue
    ObjectNode json() {
        return SpecJson.toTree(this);
    }

    /** Reads the flat JSON object {@link #json()} writes (a run's {@code summary.json} read as a whole). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ExperimentSpec fromJson(JsonNode flat) {
        if (flat instanceof ObjectNode fields) return SpecJson.bind(fields, "spec");
        throw field("spec", "an object of spec fields", flat.isTextual() ? flat.asText() : flat);
    }

    /**
     * The network itself.
     *
     * @param layerSizes   input size, hidden sizes…, output size (784 … 10 for MNIST)
     * @param activations  one DL4J {@link Activation} per non-input layer
     * @param lossFunction DL4J {@link LossFunction} of the output layer
     */
    public record Layers(List<Integer> layerSizes, List<Activation> activations, LossFunction lossFunction) {
        /** Losses for one-hot classification targets besides multiclass cross-entropy. */
        private static final Set<LossFunction> ONE_HOT = EnumSet.of(LossFunction.MSE, LossFunction.L2, LossFunction.L1,
                LossFunction.MEAN_ABSOLUTE_ERROR, LossFunction.SQUARED_LOSS, LossFunction.XENT, LossFunction.HINGE,
                LossFunction.SQUARED_HINGE, LossFunction.KL_DIVERGENCE, LossFunction.POISSON,
                LossFunction.MEAN_SQUARED_LOGARITHMIC_ERROR, LossFunction.COSINE_PROXIMITY,
                LossFunction.MEAN_ABSOLUTE_PERCENTAGE_ERROR, LossFunction.WASSERSTEIN);

        public Layers {
            if (layerSizes == null) throw field("layerSizes", "a list of layer sizes, e.g. [784, 128, 64, 10]", null);
            if (activations == null) throw field("activations", "a list with one activation per non-input layer", null);
            if (lossFunction == null) throw field("lossFunction", "one of " + Arrays.toString(LossFunction.values()), null);
            layerSizes = nullableCopy(layerSizes);
            activations = nullableCopy(activations);
            int n = layerSizes.size();
            if (n < 2) throw field("layerSizes", "at least an input and an output size", layerSizes);
            if (n - 2 > MAX_HIDDEN_LAYERS) throw field("layerSizes", "at most " + MAX_HIDDEN_LAYERS + " hidden layers", (n - 2) + " hidden layers");
            for (int i = 0; i < n; i++) {
                Integer size = layerSizes.get(i);
                if (size == null || size < 1 || size > MAX_LAYER_WIDTH) throw field("layerSizes[" + i + "]", "between 1 and " + MAX_LAYER_WIDTH, size);
            }
            if (layerSizes.get(0) != MNIST_INPUTS) throw field("layerSizes[0]", MNIST_INPUTS + " (28×28 MNIST pixels)", layerSizes.get(0));
            if (layerSizes.get(n - 1) != MNIST_CLASSES) throw field("layerSizes[" + (n - 1) + "]", MNIST_CLASSES + " (MNIST classes)", layerSizes.get(n - 1));
            if (activations.size() != n - 1) {
                throw field("activations", "one per non-input layer (" + (n - 1) + " for layerSizes " + layerSizes + ")", activations.size() + " activations");
            }
            for (int i = 0; i < activations.size(); i++) {
                if (activations.get(i) == null) throw field("activations[" + i + "]", "an activation name", null);
            }
            Activation out = activations.get(n - 2);
            boolean crossEntropy = lossFunction == LossFunction.MCXENT || lossFunction == LossFunction.NEGATIVELOGLIKELIHOOD;
            if (crossEntropy && out != Activation.SOFTMAX) {
                throw field("activations[" + (n - 2) + "]", "SOFTMAX with lossFunction " + lossFunction + " (multiclass cross-entropy needs probabilities)", out);
            }
            if (!crossEntropy && !ONE_HOT.contains(lossFunction)) throw field("lossFunction", "a loss for one-hot classification targets", lossFunction);
        }
    }

    /**
     * DL4J's updater and its learning rate.
     *
     * @param updater      optimizer, see {@link UpdaterKind}
     * @param learningRate initial learning rate (the schedule's lr₀)
     * @param beta1        Adam-family first-moment decay
     * @param beta2        Adam-family second-moment decay
     * @param epsilon      Adam/RMSProp/AdaGrad ε (Keras 1e-7; DL4J's own default is 1e-8)
     * @param momentum     Nesterov momentum
     * @param rmsDecay     RMSProp decay ρ
     * @param lrSchedule   learning-rate schedule, null = constant
     */
    public record Optimizer(UpdaterKind updater, double learningRate, double beta1, double beta2, double epsilon,
            double momentum, double rmsDecay, ScheduleSpec lrSchedule) {
        public Optimizer {
            if (updater == null) throw field("updater", "one of " + Arrays.toString(UpdaterKind.values()), null);
            SpecChecks.positiveFinite("learningRate", learningRate);
            SpecChecks.openUnit("beta1", beta1);
            SpecChecks.openUnit("beta2", beta2);
            SpecChecks.positiveFinite("epsilon", epsilon);
            if (!(momentum >= 0 && momentum < 1)) throw field("momentum", "in [0, 1)", momentum);
            SpecChecks.openUnit("rmsDecay", rmsDecay);
            if (updater == UpdaterKind.ADADELTA && lrSchedule != null) {
                throw field("lrSchedule", "null with updater ADADELTA (AdaDelta has no learning rate to schedule)", lrSchedule);
            }
            if (lrSchedule instanceof ScheduleSpec.Cycle c && !(c.maxLearningRate() > learningRate)) {
                throw field("lrSchedule.maxLearningRate", "> learningRate (" + learningRate + ")", c.maxLearningRate());
            }
        }
    }

    /**
     * The initial weights and biases.
     *
     * @param weightInit             DL4J {@link WeightInit}; {@code DISTRIBUTION} reads {@code weightInitDistribution}
     * @param weightInitDistribution distribution for {@code DISTRIBUTION}, else null
     * @param biasInit               initial bias value
     */
    public record Init(WeightInit weightInit, DistributionSpec weightInitDistribution, double biasInit) {
        public Init {
            if (weightInit == null) throw field("weightInit", "one of " + Arrays.toString(WeightInit.values()), null);
            if (weightInit == WeightInit.IDENTITY) {
                // DL4J's identity init needs square weights; 784 inputs and 10 outputs make at least one layer non-square
                throw field("weightInit", "anything but IDENTITY (it needs square weight matrices, and a " + MNIST_INPUTS
                        + "→…→" + MNIST_CLASSES + " network always has a non-square one)", weightInit);
            }
            boolean distribution = weightInit == WeightInit.DISTRIBUTION;
            if (distribution && weightInitDistribution == null) {
                throw field("weightInitDistribution", "set when weightInit is DISTRIBUTION, e.g. {\"type\":\"normal\",\"mean\":0,\"std\":1}", null);
            }
            if (!distribution && weightInitDistribution != null) {
                throw field("weightInitDistribution", "null unless weightInit is DISTRIBUTION (weightInit is " + weightInit + ")", "a distribution");
            }
            if (!Double.isFinite(biasInit)) throw field("biasInit", "finite", biasInit);
        }
    }

    /**
     * DL4J's per-layer rules: gradient normalization before the updater, L1/L2 with it, the constraint after it.
     *
     * @param gradientNormalization          DL4J {@link GradientNormalization}, per layer (null = None)
     * @param gradientNormalizationThreshold its threshold (mean-loss scale), used by the Clip* modes
     * @param constraint                     weight constraint, null = none
     * @param l1                             L1 coefficient
     * @param l2                             L2 coefficient
     */
    public record Regularization(GradientNormalization gradientNormalization, double gradientNormalizationThreshold,
            ConstraintSpec constraint, double l1, double l2) {
        public Regularization {
            if (gradientNormalization == null) gradientNormalization = GradientNormalization.None;
            boolean usesThreshold = gradientNormalization == GradientNormalization.ClipL2PerLayer
                    || gradientNormalization == GradientNormalization.ClipL2PerParamType
                    || gradientNormalization == GradientNormalization.ClipElementWiseAbsoluteValue;
            if (usesThreshold) SpecChecks.positiveFinite("gradientNormalizationThreshold", gradientNormalizationThreshold);
            else if (gradientNormalizationThreshold < 0 || Double.isNaN(gradientNormalizationThreshold)) {
                throw field("gradientNormalizationThreshold", ">= 0", gradientNormalizationThreshold);
            }
            if (l1 < 0 || !Double.isFinite(l1)) throw field("l1", "a finite number >= 0", l1);
            if (l2 < 0 || !Double.isFinite(l2)) throw field("l2", "a finite number >= 0", l2);
        }
    }

    /**
     * This project's whole-network clipping, on the raw gradient before DL4J's updater. The parameters of
     * every rule are checked whether or not it is on, so that a preset cannot carry a value that breaks it later.
     *
     * @param clipping           the rule, see {@link Clipping} (null = none)
     * @param clipThreshold      τ of {@code global_l2} (mean-loss scale)
     * @param agcLambda          λ of AGC
     * @param agcEps             ε of AGC
     * @param agcExcludeOutput   leave the output layer unclipped, as the AGC paper does
     * @param autoClipPercentile p of AutoClip, in (0, 100]
     * @param zClipAlpha         α of ZClip's EMA of the norm's mean and variance, in (0, 1)
     * @param zClipZThreshold    z-score above which ZClip clips
     * @param zClipWarmupSteps   steps whose norms seed ZClip's EMA (only zClipMaxGradNorm applies meanwhile)
     * @param zClipMaxGradNorm   ZClip's fixed cap on the norm (mean-loss scale), 0 = none
     */
    public record Clip(Clipping clipping, double clipThreshold, double agcLambda, double agcEps, boolean agcExcludeOutput,
            double autoClipPercentile, double zClipAlpha, double zClipZThreshold, int zClipWarmupSteps, double zClipMaxGradNorm) {
        public Clip {
            if (clipping == null) clipping = Clipping.NONE;
            switch (clipping) {
                case GLOBAL_L2 -> SpecChecks.positiveFinite("clipThreshold", clipThreshold);
                case AGC -> {
                    SpecChecks.positiveFinite("agcLambda", agcLambda);
                    SpecChecks.positiveFinite("agcEps", agcEps);
                }
                case AUTOCLIP -> {
                    if (!(autoClipPercentile > 0 && autoClipPercentile <= 100)) throw field("autoClipPercentile", "in (0, 100]", autoClipPercentile);
                }
                case ZCLIP, NONE -> { }
            }
            if (clipThreshold < 0 || Double.isNaN(clipThreshold)) throw field("clipThreshold", ">= 0", clipThreshold);
            SpecChecks.openUnit("zClipAlpha", zClipAlpha);
            SpecChecks.positiveFinite("zClipZThreshold", zClipZThreshold);
            if (zClipWarmupSteps < 1) throw field("zClipWarmupSteps", ">= 1", zClipWarmupSteps);
            if (!(zClipMaxGradNorm >= 0) || Double.isInfinite(zClipMaxGradNorm)) {
                throw field("zClipMaxGradNorm", "a finite number >= 0 (0 = no cap)", zClipMaxGradNorm);
            }
        }
    }

    /**
     * Skipping an update instead of applying it. The spike parameters are checked whether or not it is on.
     *
     * @param skipNonFinite       skip an update whose gradient has NaN/Inf (Optax apply_if_finite)
     * @param maxConsecutiveSkips give up after this many skipped steps in a row
     * @param spikeSkip           skip an update whose loss or raw norm spikes (OLMo-core SkipStepOptimizer)
     * @param spikeSkipSigma      a spike is this many standard deviations above the window's mean
     * @param spikeSkipWindow     previous steps the mean and standard deviation are taken over
     * @param spikeSkipMinSteps   previous steps needed in the window before a step is skipped
     */
    public record Skip(boolean skipNonFinite, int maxConsecutiveSkips, boolean spikeSkip, double spikeSkipSigma,
            int spikeSkipWindow, int spikeSkipMinSteps) {
        public Skip {
            if (maxConsecutiveSkips < 1) throw field("maxConsecutiveSkips", ">= 1", maxConsecutiveSkips);
            SpecChecks.positiveFinite("spikeSkipSigma", spikeSkipSigma);
            if (spikeSkipWindow < 2) throw field("spikeSkipWindow", ">= 2", spikeSkipWindow);
            if (spikeSkipMinSteps < 2 || spikeSkipMinSteps > spikeSkipWindow) {
                throw field("spikeSkipMinSteps", "between 2 and spikeSkipWindow (" + spikeSkipWindow + ")", spikeSkipMinSteps);
            }
        }
    }

    /**
     * What is trained on, how long, and from which seed.
     *
     * @param batchSize minibatch size
     * @param epochs    passes over the training set
     * @param seed      seeds weights, shuffling and everything random
     * @param dataset   {@code mnist-embedded} (null), {@code mnist}, {@code fashion-mnist} or an IDX directory
     */
    public record Training(int batchSize, int epochs, long seed, String dataset) {
        public Training {
            if (dataset == null) dataset = "mnist-embedded";
            if (batchSize < 1 || batchSize > 60_000) throw field("batchSize", "between 1 and 60000", batchSize);
            if (epochs < 1 || epochs > 10_000) throw field("epochs", "between 1 and 10000", epochs);
            if (dataset.isBlank()) throw field("dataset", "mnist-embedded, mnist, fashion-mnist or an IDX directory", "\"\"");
        }
    }

    /**
     * What the monitor records.
     *
     * @param metricsEvery      record metrics every N iterations (1 = every iteration)
     * @param recordActivations also record activation mean/std per layer (costs a pass over activations)
     * @param earlyWarning      measure the early-warning instruments Adam update RMS, cos(update, −gradient) and
     *                          the spike score of log ‖g‖ (the monitor's {@code instruments}); off by default
     * @param sharpnessEvery    measure the directional sharpness every N iterations (a finite-difference
     *                          Hessian-vector product on a fixed probe minibatch, two extra gradient
     *                          evaluations; see the monitor's {@code sharpnessEvery}); 0 = off (the default)
     */
    public record Recording(int metricsEvery, boolean recordActivations, boolean earlyWarning, int sharpnessEvery) {
        public Recording {
            if (metricsEvery < 1) throw field("metricsEvery", ">= 1", metricsEvery);
            if (sharpnessEvery < 0) throw field("sharpnessEvery", ">= 0 (0 = off)", sharpnessEvery);
        }
    }

    /**
     * The detector's two spec-level thresholds and what stops a run.
     *
     * @param explosionFactor  the detector's "far above the recent median" factor
     * @param explosionCeiling the detector's absolute global-norm ceiling (mean-loss scale)
     * @param stopOn           verdict kinds that stop training early, out of {@link #STOP_KINDS} (null = none)
     */
    public record Detector(double explosionFactor, double explosionCeiling, List<EventKind> stopOn) {
        /** The kinds {@link #stopOn} may name: the verdicts that make the rest of a run worthless. */
        public static final Set<EventKind> STOP_KINDS = Collections.unmodifiableSet(
                EnumSet.of(EventKind.NONFINITE, EventKind.EXPLOSION, EventKind.COLLAPSE));

        public Detector {
            if (!(explosionFactor > 1) || Double.isInfinite(explosionFactor)) throw field("explosionFactor", "a finite number > 1", explosionFactor);
            SpecChecks.positiveFinite("explosionCeiling", explosionCeiling);
            stopOn = stopOn == null ? List.of() : nullableCopy(stopOn);
            for (EventKind kind : stopOn) {
                if (!STOP_KINDS.contains(kind)) throw field("stopOn", "a list of " + labels(), kind == null ? null : kind.label());
            }
        }

        /** Reads {@code stopOn} as labels (any case), so that a kind outside {@link #STOP_KINDS} is named in the error. */
        @JsonCreator
        static Detector fromJson(@JsonProperty("explosionFactor") double explosionFactor,
                @JsonProperty("explosionCeiling") double explosionCeiling, @JsonProperty("stopOn") List<String> stopOn) {
            List<EventKind> kinds = new ArrayList<>();
            for (String label : stopOn == null ? List.<String>of() : stopOn) {
                if (label == null || !labels().contains(label.toLowerCase(Locale.ROOT))) throw field("stopOn", "a list of " + labels(), label);
                kinds.add(EventKind.fromLabel(label));
            }
            return new Detector(explosionFactor, explosionCeiling, kinds);
        }

        private static List<String> labels() {
            return STOP_KINDS.stream().map(EventKind::label).toList();
        }
    }

    /** An unmodifiable copy that keeps null elements, so that the checks can name them (List.copyOf would throw). */
    private static <T> List<T> nullableCopy(List<T> list) {
        return Collections.unmodifiableList(new ArrayList<>(list));
    }
}
