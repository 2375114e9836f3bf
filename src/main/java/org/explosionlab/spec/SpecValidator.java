package org.explosionlab.spec;

import static org.explosionlab.spec.SpecException.field;

import java.util.Locale;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Checks one {@link ExperimentSpec} when it is built: every value in range, the layers chain from
 * 784 inputs to 10 classes, and no two options contradict each other. The first problem found is
 * thrown as a {@link SpecException} naming the field.
 */
final class SpecValidator {
    /**
     * A run name, which becomes a directory name (see {@code SafePaths}): letters, digits, '.', '-', '_', starting
     * with a letter or digit, so never {@code .}, {@code ..}, a hidden file, an option or a spreadsheet formula.
     */
    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,79}";
    private final ExperimentSpec s;

    SpecValidator(ExperimentSpec spec) {
        this.s = spec;
    }

    void validate() {
        required();
        name();
        layers();
        optimizer();
        init();
        normalization();
        remedies();
        run();
        detection();
        float32("", s);
    }

    /**
     * Every real number of the spec (nested ones included) must survive the cast to float32, the
     * network's data type (IEEE 754 binary32): a finite value beyond {@link Float#MAX_VALUE} would become
     * Infinity, a non-zero one below {@link Float#MIN_VALUE} would become 0. Infinity itself is left to
     * the field's own rule.
     */
    private static void float32(String prefix, Record r) {
        for (java.lang.reflect.RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("spec records are public", e);
            }
            check(prefix + c.getName(), v);
        }
    }

    private static void check(String name, Object v) {
        if (v instanceof Double d) {
            double x = d;
            if (Double.isFinite(x) && Float.isInfinite((float) x)) {
                throw field(name, "within float32's range, the network's data type (|x| <= " + Float.MAX_VALUE + ")", x);
            }
            if (x != 0 && (float) x == 0f) {
                throw field(name, "0 or at least " + Float.MIN_VALUE + " in size, the smallest float32 (the network's data type)", x);
            }
        } else if (v instanceof Record nested) {
            float32(name + ".", nested);
        } else if (v instanceof java.util.List<?> list) {
            for (int i = 0; i < list.size(); i++) check(name + "[" + i + "]", list.get(i));
        } else if (v instanceof java.util.Map<?, ?> map) {                 // lrSchedule's values: iteration -> rate
            for (java.util.Map.Entry<?, ?> e : map.entrySet()) check(name + "[" + e.getKey() + "]", e.getValue());
        }
    }

    private void required() {
        if (s.name() == null) throw field("name", "set", null);
        if (s.layerSizes() == null) throw field("layerSizes", "a list of layer sizes, e.g. [784, 128, 64, 10]", null);
        if (s.activations() == null) throw field("activations", "a list with one activation per non-input layer", null);
        if (s.lossFunction() == null) throw field("lossFunction", "one of " + java.util.Arrays.toString(LossFunction.values()), null);
        if (s.updater() == null) throw field("updater", "one of " + java.util.Arrays.toString(UpdaterKind.values()), null);
        if (s.weightInit() == null) throw field("weightInit", "one of " + java.util.Arrays.toString(WeightInit.values()), null);
    }

    private void name() {
        if (!s.name().matches(NAME)) {
            throw field("name", "1–80 letters, digits, '.', '-' or '_', starting with a letter or digit (it names the run's"
                    + " directory)", "\"" + s.name() + "\"");
        }
    }

    private void layers() {
        var sizes = s.layerSizes();
        if (sizes.size() < 2) throw field("layerSizes", "at least an input and an output size", sizes);
        if (sizes.size() - 2 > ExperimentSpec.MAX_HIDDEN_LAYERS) {
            throw field("layerSizes", "at most " + ExperimentSpec.MAX_HIDDEN_LAYERS + " hidden layers", (sizes.size() - 2) + " hidden layers");
        }
        for (int i = 0; i < sizes.size(); i++) {
            Integer n = sizes.get(i);
            if (n == null || n < 1 || n > ExperimentSpec.MAX_LAYER_WIDTH) {
                throw field("layerSizes[" + i + "]", "between 1 and " + ExperimentSpec.MAX_LAYER_WIDTH, n);
            }
        }
        if (sizes.get(0) != ExperimentSpec.MNIST_INPUTS) {
            throw field("layerSizes[0]", ExperimentSpec.MNIST_INPUTS + " (28×28 MNIST pixels)", sizes.get(0));
        }
        if (sizes.get(sizes.size() - 1) != ExperimentSpec.MNIST_CLASSES) {
            throw field("layerSizes[" + (sizes.size() - 1) + "]", ExperimentSpec.MNIST_CLASSES + " (MNIST classes)", sizes.get(sizes.size() - 1));
        }
        var acts = s.activations();
        if (acts.size() != sizes.size() - 1) {
            throw field("activations", "one per non-input layer (" + (sizes.size() - 1) + " for layerSizes " + sizes + ")", acts.size() + " activations");
        }
        for (int i = 0; i < acts.size(); i++) {
            if (acts.get(i) == null) throw field("activations[" + i + "]", "an activation name", null);
        }
        Activation out = acts.get(acts.size() - 1);
        LossFunction loss = s.lossFunction();
        boolean crossEntropy = loss == LossFunction.MCXENT || loss == LossFunction.NEGATIVELOGLIKELIHOOD;
        if (crossEntropy && out != Activation.SOFTMAX) {
            throw field("activations[" + (acts.size() - 1) + "]", "SOFTMAX with lossFunction " + loss + " (multiclass cross-entropy needs probabilities)", out);
        }
        if (!crossEntropy && loss != LossFunction.MSE && loss != LossFunction.L2 && loss != LossFunction.L1
                && loss != LossFunction.MEAN_ABSOLUTE_ERROR && loss != LossFunction.SQUARED_LOSS
                && loss != LossFunction.XENT && loss != LossFunction.HINGE && loss != LossFunction.SQUARED_HINGE
                && loss != LossFunction.KL_DIVERGENCE && loss != LossFunction.POISSON
                && loss != LossFunction.MEAN_SQUARED_LOGARITHMIC_ERROR && loss != LossFunction.COSINE_PROXIMITY
                && loss != LossFunction.MEAN_ABSOLUTE_PERCENTAGE_ERROR && loss != LossFunction.WASSERSTEIN) {
            throw field("lossFunction", "a loss for one-hot classification targets", loss);
        }
    }

    private void optimizer() {
        positiveFinite("learningRate", s.learningRate());
        openUnit("beta1", s.beta1());
        openUnit("beta2", s.beta2());
        positiveFinite("epsilon", s.epsilon());
        if (!(s.momentum() >= 0 && s.momentum() < 1)) throw field("momentum", "in [0, 1)", s.momentum());
        openUnit("rmsDecay", s.rmsDecay());
        if (s.l1() < 0 || !Double.isFinite(s.l1())) throw field("l1", "a finite number >= 0", s.l1());
        if (s.l2() < 0 || !Double.isFinite(s.l2())) throw field("l2", "a finite number >= 0", s.l2());
        if (s.updater() == UpdaterKind.ADADELTA && s.lrSchedule() != null) {
            throw field("lrSchedule", "null with updater ADADELTA (AdaDelta has no learning rate to schedule)", s.lrSchedule());
        }
        if (s.lrSchedule() instanceof ScheduleSpec.Cycle c && !(c.maxLearningRate() > s.learningRate())) {
            throw field("lrSchedule.maxLearningRate", "> learningRate (" + s.learningRate() + ")", c.maxLearningRate());
        }
    }

    private void init() {
        if (s.weightInit() == WeightInit.IDENTITY) {
            // DL4J's identity init needs square weights; 784 inputs and 10 outputs make at least one layer non-square
            throw field("weightInit", "anything but IDENTITY (it needs square weight matrices, and a " + ExperimentSpec.MNIST_INPUTS
                    + "→…→" + ExperimentSpec.MNIST_CLASSES + " network always has a non-square one)", s.weightInit());
        }
        boolean distribution = s.weightInit() == WeightInit.DISTRIBUTION;
        if (distribution && s.weightInitDistribution() == null) {
            throw field("weightInitDistribution", "set when weightInit is DISTRIBUTION, e.g. {\"type\":\"normal\",\"mean\":0,\"std\":1}", null);
        }
        if (!distribution && s.weightInitDistribution() != null) {
            throw field("weightInitDistribution", "null unless weightInit is DISTRIBUTION (weightInit is " + s.weightInit() + ")", "a distribution");
        }
        if (!Double.isFinite(s.biasInit())) throw field("biasInit", "finite", s.biasInit());
    }

    private void normalization() {
        GradientNormalization mode = s.gradientNormalization();
        boolean usesThreshold = mode == GradientNormalization.ClipL2PerLayer || mode == GradientNormalization.ClipL2PerParamType
                || mode == GradientNormalization.ClipElementWiseAbsoluteValue;
        if (usesThreshold) positiveFinite("gradientNormalizationThreshold", s.gradientNormalizationThreshold());
        else if (s.gradientNormalizationThreshold() < 0 || Double.isNaN(s.gradientNormalizationThreshold())) {
            throw field("gradientNormalizationThreshold", ">= 0", s.gradientNormalizationThreshold());
        }
    }

    private void remedies() {
        switch (s.clipping()) {
            case GLOBAL_L2 -> positiveFinite("clipThreshold", s.clipThreshold());
            case AGC -> {
                positiveFinite("agcLambda", s.agcLambda());
                positiveFinite("agcEps", s.agcEps());
            }
            case AUTOCLIP -> {
                if (!(s.autoClipPercentile() > 0 && s.autoClipPercentile() <= 100)) {
                    throw field("autoClipPercentile", "in (0, 100]", s.autoClipPercentile());
                }
            }
            case ZCLIP, NONE -> { }
        }
        if (s.clipThreshold() < 0 || Double.isNaN(s.clipThreshold())) throw field("clipThreshold", ">= 0", s.clipThreshold());
        if (s.maxConsecutiveSkips() < 1) throw field("maxConsecutiveSkips", ">= 1", s.maxConsecutiveSkips());
        // checked whether or not zclip / spikeSkip is on, so that a preset cannot carry a value that breaks it later
        openUnit("zClipAlpha", s.zClipAlpha());
        positiveFinite("zClipZThreshold", s.zClipZThreshold());
        if (s.zClipWarmupSteps() < 1) throw field("zClipWarmupSteps", ">= 1", s.zClipWarmupSteps());
        if (!(s.zClipMaxGradNorm() >= 0) || Double.isInfinite(s.zClipMaxGradNorm())) {
            throw field("zClipMaxGradNorm", "a finite number >= 0 (0 = no cap)", s.zClipMaxGradNorm());
        }
        positiveFinite("spikeSkipSigma", s.spikeSkipSigma());
        if (s.spikeSkipWindow() < 2) throw field("spikeSkipWindow", ">= 2", s.spikeSkipWindow());
        if (s.spikeSkipMinSteps() < 2 || s.spikeSkipMinSteps() > s.spikeSkipWindow()) {
            throw field("spikeSkipMinSteps", "between 2 and spikeSkipWindow (" + s.spikeSkipWindow() + ")", s.spikeSkipMinSteps());
        }
    }

    private void run() {
        if (s.batchSize() < 1 || s.batchSize() > 60_000) throw field("batchSize", "between 1 and 60000", s.batchSize());
        if (s.epochs() < 1 || s.epochs() > 10_000) throw field("epochs", "between 1 and 10000", s.epochs());
        if (s.dataset().isBlank()) throw field("dataset", "mnist-embedded, mnist, fashion-mnist or an IDX directory", "\"\"");
        if (s.metricsEvery() < 1) throw field("metricsEvery", ">= 1", s.metricsEvery());
        if (s.sharpnessEvery() < 0) throw field("sharpnessEvery", ">= 0 (0 = off)", s.sharpnessEvery());
    }

    private void detection() {
        if (!(s.explosionFactor() > 1) || Double.isInfinite(s.explosionFactor())) {
            throw field("explosionFactor", "a finite number > 1", s.explosionFactor());
        }
        positiveFinite("explosionCeiling", s.explosionCeiling());
        for (String kind : s.stopOn()) {
            if (kind == null || !ExperimentSpec.VERDICT_KINDS.contains(kind.toLowerCase(Locale.ROOT))) {
                throw field("stopOn", "a list of " + ExperimentSpec.VERDICT_KINDS, kind);
            }
        }
    }

    private static void positiveFinite(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw field(name, "a finite number > 0", v);
    }

    private static void openUnit(String name, double v) {
        if (!(v > 0 && v < 1)) throw field(name, "in (0, 1)", v);
    }
}
