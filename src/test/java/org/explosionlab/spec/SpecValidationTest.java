package org.explosionlab.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;

/**
 * Every rule of {@link ExperimentSpec}'s records and of the nested types ({@link ScheduleSpec},
 * {@link DistributionSpec}, {@link ConstraintSpec}): one bad value, written as the JSON fragment a
 * user would write on top of {@code seed-baseline}, is rejected with one {@link SpecException} line
 * that names the field ("field must be …"). Values JSON cannot express (NaN, ±Infinity) go through
 * {@link SpecOverrides#with} or the record constructors. Boundary values that are valid are checked
 * to be accepted, so the rules are neither too loose nor too strict.
 */
class SpecValidationTest {

    static Stream<Arguments> badFragments() {
        return Stream.of(
                // layers
                row("layerSizes[0]", "{'layerSizes': [100, 128, 64, 10]}"),
                row("layerSizes[3]", "{'layerSizes': [784, 128, 64, 9]}"),
                row("layerSizes", "{'layerSizes': [784], 'activations': []}"),
                row("layerSizes[1]", "{'layerSizes': [784, 0, 64, 10]}"),
                row("layerSizes[1]", "{'layerSizes': [784, 70000, 64, 10]}"),
                row("layerSizes[2]", "{'layerSizes': [784, 128, null, 10]}"),
                row("activations", "{'activations': ['RELU', 'SOFTMAX']}"),
                row("activations", "{'activations': ['RELU', 'RELU', 'RELU', 'SOFTMAX']}"),
                row("activations[1]", "{'activations': ['RELU', null, 'SOFTMAX']}"),
                row("activations[2]", "{'activations': ['RELU', 'RELU', 'RELU']}"),
                row("activations[2]", "{'lossFunction': 'NEGATIVELOGLIKELIHOOD', 'activations': ['RELU', 'RELU', 'TANH']}"),
                row("lossFunction", "{'lossFunction': 'SPARSE_MCXENT'}"),
                row("lossFunction", "{'lossFunction': 'RECONSTRUCTION_CROSSENTROPY'}"),
                // optimizer
                row("learningRate", "{'learningRate': -0.001}"),
                row("learningRate", "{'learningRate': 0}"),
                row("beta1", "{'beta1': 1.0}"),
                row("beta1", "{'beta1': 0.0}"),
                row("beta2", "{'beta2': 1.0}"),
                row("beta2", "{'beta2': -0.9}"),
                row("epsilon", "{'epsilon': 0}"),
                row("momentum", "{'momentum': 1.0}"),
                row("momentum", "{'momentum': -0.5}"),
                row("rmsDecay", "{'rmsDecay': 1.5}"),
                row("l1", "{'l1': -0.1}"),
                row("l2", "{'l2': -0.0001}"),
                row("lrSchedule", "{'updater': 'ADADELTA', 'lrSchedule': {'type': 'exponential', 'gamma': 0.99}}"),
                row("lrSchedule.maxLearningRate", "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.001, 'cycleLength': 100, 'annealingLength': 10, 'annealingDecay': 0.1}}"),
                // schedules
                row("lrSchedule.gamma", "{'lrSchedule': {'type': 'exponential', 'gamma': 0}}"),
                row("lrSchedule.gamma", "{'lrSchedule': {'type': 'exponential'}}"),       // absent
                row("constraint.maxNorm", "{'constraint': {'type': 'max_norm'}}"),
                row("lrSchedule.decayRate", "{'lrSchedule': {'type': 'step', 'decayRate': -0.5, 'step': 10}}"),
                row("lrSchedule.step", "{'lrSchedule': {'type': 'step', 'decayRate': 0.5, 'step': 0}}"),
                row("lrSchedule.gamma", "{'lrSchedule': {'type': 'inverse', 'gamma': -1, 'power': 2}}"),
                row("lrSchedule.power", "{'lrSchedule': {'type': 'inverse', 'gamma': 0.1, 'power': 0}}"),
                row("lrSchedule.power", "{'lrSchedule': {'type': 'poly', 'power': 0, 'maxIter': 100}}"),
                row("lrSchedule.maxIter", "{'lrSchedule': {'type': 'poly', 'power': 1, 'maxIter': 0}}"),
                row("lrSchedule.gamma", "{'lrSchedule': {'type': 'sigmoid', 'gamma': 0, 'stepSize': 10}}"),
                row("lrSchedule.stepSize", "{'lrSchedule': {'type': 'sigmoid', 'gamma': 0.1, 'stepSize': -1}}"),
                row("lrSchedule.values", "{'lrSchedule': {'type': 'map', 'values': {}}}"),
                row("lrSchedule.values key", "{'lrSchedule': {'type': 'map', 'values': {'-1': 0.1}}}"),
                row("lrSchedule.values[5]", "{'lrSchedule': {'type': 'map', 'values': {'0': 0.1, '5': 0}}}"),
                row("lrSchedule.cycleLength", "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 0, 'annealingLength': 0, 'annealingDecay': 0.1}}"),
                row("lrSchedule.annealingLength", "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 100, 'annealingLength': 100, 'annealingDecay': 0.1}}"),
                row("lrSchedule.annealingLength", "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 11, 'annealingLength': 10, 'annealingDecay': 0.1}}"),
                row("lrSchedule.annealingLength", "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 100, 'annealingLength': -1, 'annealingDecay': 0.1}}"),
                row("lrSchedule.annealingDecay", "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 100, 'annealingLength': 10, 'annealingDecay': 0}}"),
                row("lrSchedule.rampIterations", "{'lrSchedule': {'type': 'ramp', 'rampIterations': 0}}"),
                row("lrSchedule.base", "{'lrSchedule': {'type': 'ramp', 'rampIterations': 10, 'base': {'type': 'ramp', 'rampIterations': 5}}}"),
                row("lrSchedule.gamma", "{'lrSchedule': {'type': 'ramp', 'rampIterations': 10, 'base': {'type': 'exponential', 'gamma': 0}}}"),
                row("lrSchedule.decaySteps", "{'lrSchedule': {'type': 'tf_exponential_decay', 'decaySteps': 0, 'decayRate': 0.96, 'staircase': true}}"),
                row("lrSchedule.decayRate", "{'lrSchedule': {'type': 'tf_exponential_decay', 'decaySteps': 100, 'decayRate': 0, 'staircase': false}}"),
                // initialisation
                row("weightInitDistribution", "{'weightInit': 'DISTRIBUTION'}"),
                row("weightInitDistribution", "{'weightInitDistribution': {'type': 'normal', 'mean': 0, 'std': 1}}"),
                row("weightInit", "{'weightInit': 'IDENTITY'}"),
                row("weightInitDistribution.std", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'normal', 'mean': 0, 'std': 0}}"),
                row("weightInitDistribution.std", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'normal', 'mean': 0, 'std': -1}}"),
                row("weightInitDistribution.upper", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'uniform', 'lower': 1, 'upper': 1}}"),
                row("weightInitDistribution.upper", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'uniform', 'lower': 1, 'upper': 0}}"),
                row("weightInitDistribution.std", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'truncated_normal', 'mean': 0, 'std': 0}}"),
                row("weightInitDistribution.std", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'log_normal', 'mean': 0, 'std': -2}}"),
                row("weightInitDistribution.gain", "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'orthogonal', 'gain': 0}}"),
                // DL4J's per-layer gradient normalization
                row("gradientNormalizationThreshold", "{'gradientNormalization': 'ClipL2PerLayer', 'gradientNormalizationThreshold': 0}"),
                row("gradientNormalizationThreshold", "{'gradientNormalization': 'ClipL2PerParamType', 'gradientNormalizationThreshold': 0}"),
                row("gradientNormalizationThreshold", "{'gradientNormalization': 'ClipElementWiseAbsoluteValue', 'gradientNormalizationThreshold': -1}"),
                row("gradientNormalizationThreshold", "{'gradientNormalization': 'None', 'gradientNormalizationThreshold': -1}"),
                // constraints
                row("constraint.maxNorm", "{'constraint': {'type': 'max_norm', 'maxNorm': 0, 'dimension': 0}}"),
                row("constraint.dimension", "{'constraint': {'type': 'max_norm', 'maxNorm': 2, 'dimension': 2}}"),
                row("constraint.max", "{'constraint': {'type': 'min_max_norm', 'min': 1, 'max': 1, 'dimension': 0}}"),
                row("constraint.max", "{'constraint': {'type': 'min_max_norm', 'min': 2, 'max': 1, 'dimension': 0}}"),
                row("constraint.min", "{'constraint': {'type': 'min_max_norm', 'min': -1, 'max': 1, 'dimension': 0}}"),
                row("constraint.rate", "{'constraint': {'type': 'min_max_norm', 'min': 0, 'max': 1, 'rate': 0, 'dimension': 0}}"),
                row("constraint.rate", "{'constraint': {'type': 'min_max_norm', 'min': 0, 'max': 1, 'rate': 1.5, 'dimension': 0}}"),
                row("constraint.dimension", "{'constraint': {'type': 'min_max_norm', 'min': 0, 'max': 1, 'dimension': 2}}"),
                row("constraint.dimension", "{'constraint': {'type': 'unit_norm', 'dimension': 2}}"),
                row("constraint.dimension", "{'constraint': {'type': 'unit_norm', 'dimension': -1}}"),
                // this project's remedies
                row("clipThreshold", "{'clipping': 'global_l2', 'clipThreshold': 0}"),
                row("clipThreshold", "{'clipThreshold': -1}"),
                row("agcLambda", "{'clipping': 'agc', 'agcLambda': 0}"),
                row("agcEps", "{'clipping': 'agc', 'agcEps': 0}"),
                row("autoClipPercentile", "{'clipping': 'autoclip', 'autoClipPercentile': 0}"),
                row("autoClipPercentile", "{'clipping': 'autoclip', 'autoClipPercentile': 101}"),
                row("maxConsecutiveSkips", "{'maxConsecutiveSkips': 0}"),
                row("zClipAlpha", "{'clipping': 'zclip', 'zClipAlpha': 1}"),
                row("zClipAlpha", "{'zClipAlpha': 0}"),
                row("zClipZThreshold", "{'clipping': 'zclip', 'zClipZThreshold': 0}"),
                row("zClipWarmupSteps", "{'clipping': 'zclip', 'zClipWarmupSteps': 0}"),
                row("zClipMaxGradNorm", "{'clipping': 'zclip', 'zClipMaxGradNorm': -1}"),
                row("spikeSkipSigma", "{'spikeSkip': true, 'spikeSkipSigma': 0}"),
                row("spikeSkipWindow", "{'spikeSkip': true, 'spikeSkipWindow': 1}"),
                row("spikeSkipMinSteps", "{'spikeSkip': true, 'spikeSkipMinSteps': 1}"),
                row("spikeSkipMinSteps", "{'spikeSkip': true, 'spikeSkipWindow': 16, 'spikeSkipMinSteps': 20}"),
                // the run
                row("batchSize", "{'batchSize': 0}"),
                row("batchSize", "{'batchSize': 60001}"),
                row("epochs", "{'epochs': 0}"),
                row("epochs", "{'epochs': 10001}"),
                row("dataset", "{'dataset': '   '}"),
                row("metricsEvery", "{'metricsEvery': 0}"),
                row("name", "{'name': 'bad name!'}"),
                row("name", "{'name': ''}"),
                row("name", "{'name': null}"),
                // the detector
                row("explosionFactor", "{'explosionFactor': 1.0}"),
                row("explosionCeiling", "{'explosionCeiling': 0}"),
                row("stopOn", "{'stopOn': ['explosion', 'boom']}"),
                row("stopOn", "{'stopOn': [null]}"));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("badFragments")
    void badValueInJsonIsRejectedNamingTheField(String field, String fragment) {
        SpecException e = assertThrows(SpecException.class, () -> TestSpecs.seedWith(fragment));
        assertNamesField(field, e);
    }

    static Stream<Arguments> badNonJsonValues() {
        return Stream.of(
                row("biasInit", Map.of("biasInit", Double.NaN)),
                row("biasInit", Map.of("biasInit", Double.POSITIVE_INFINITY)),
                row("learningRate", Map.of("learningRate", Double.POSITIVE_INFINITY)),
                row("learningRate", Map.of("learningRate", Double.NaN)),
                row("epsilon", Map.of("epsilon", Double.POSITIVE_INFINITY)),
                row("l1", Map.of("l1", Double.NaN)),
                row("l2", Map.of("l2", Double.POSITIVE_INFINITY)),
                row("gradientNormalizationThreshold", Map.of("gradientNormalizationThreshold", Double.NaN)),
                row("clipThreshold", Map.of("clipThreshold", Double.NaN)),
                row("explosionFactor", Map.of("explosionFactor", Double.POSITIVE_INFINITY)),
                row("explosionCeiling", Map.of("explosionCeiling", Double.NaN)));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("badNonJsonValues")
    void badNonFiniteValueIsRejectedNamingTheField(String field, Map<String, Object> change) {
        ExperimentSpec seed = Presets.load("seed-baseline");
        var entry = change.entrySet().iterator().next();
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.with(seed, entry.getKey(), entry.getValue()));
        assertNamesField(field, e);
    }

    static Stream<Arguments> badRecords() {
        return Stream.of(
                row("weightInitDistribution.mean", (Executable) () -> new DistributionSpec.Normal(Double.NaN, 1)),
                row("weightInitDistribution.std", (Executable) () -> new DistributionSpec.Normal(0, Double.POSITIVE_INFINITY)),
                row("weightInitDistribution.lower", (Executable) () -> new DistributionSpec.Uniform(Double.NEGATIVE_INFINITY, 1)),
                row("weightInitDistribution.mean", (Executable) () -> new DistributionSpec.LogNormal(Double.NaN, 1)),
                row("weightInitDistribution.value", (Executable) () -> new DistributionSpec.Constant(Double.POSITIVE_INFINITY)),
                row("constraint.maxNorm", (Executable) () -> new ConstraintSpec.MaxNorm(Double.POSITIVE_INFINITY, 0, false)),
                row("constraint.max", (Executable) () -> new ConstraintSpec.MinMaxNorm(0, Double.POSITIVE_INFINITY, 1.0, 0, false)),
                row("lrSchedule.gamma", (Executable) () -> new ScheduleSpec.Exponential(null, Double.NaN)),
                row("lrSchedule.decaySteps", (Executable) () -> new ScheduleSpec.TfExponentialDecay(null, Double.POSITIVE_INFINITY, 0.5, true)),
                row("lrSchedule.values", (Executable) () -> new ScheduleSpec.MapSchedule(null, null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void badRecordIsRejectedNamingTheField(String field, Executable construct) {
        SpecException e = assertThrows(SpecException.class, construct);
        assertNamesField(field, e);
    }

    @Test
    void moreThanTwoHundredHiddenLayersIsRejected() {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(784);
        sizes.addAll(Collections.nCopies(ExperimentSpec.MAX_HIDDEN_LAYERS + 1, 16));
        sizes.add(10);
        List<String> acts = new ArrayList<>(Collections.nCopies(sizes.size() - 2, "RELU"));
        acts.add("SOFTMAX");
        ExperimentSpec seed = Presets.load("seed-baseline");
        SpecException e = assertThrows(SpecException.class,
                () -> SpecOverrides.apply(seed, List.of("layerSizes=" + join(sizes), "activations=" + String.join(",", acts))));
        assertNamesField("layerSizes", e);
        assertTrue(e.getMessage().contains("201 hidden layers"), e.getMessage());
    }

    static Stream<Arguments> validBoundaries() {
        return Stream.of(
                Arguments.of("{'momentum': 0}"),
                Arguments.of("{'updater': 'NESTEROVS', 'momentum': 0.99}"),
                Arguments.of("{'beta1': 1e-9, 'beta2': 0.999999}"),
                Arguments.of("{'batchSize': 1, 'epochs': 1}"),
                Arguments.of("{'batchSize': 60000, 'epochs': 10000}"),
                Arguments.of("{'layerSizes': [784, 10], 'activations': ['SOFTMAX']}"),
                Arguments.of("{'lossFunction': 'MSE', 'activations': ['RELU', 'RELU', 'SIGMOID']}"),
                Arguments.of("{'clipping': 'autoclip', 'autoClipPercentile': 100}"),
                Arguments.of("{'clipping': 'none', 'clipThreshold': 0}"),
                Arguments.of("{'gradientNormalization': 'RenormalizeL2PerLayer', 'gradientNormalizationThreshold': 0}"),
                Arguments.of("{'constraint': {'type': 'min_max_norm', 'min': 0, 'max': 1, 'rate': 1, 'dimension': 1}}"),
                Arguments.of("{'constraint': {'type': 'non_negative', 'biases': true}}"),
                Arguments.of("{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 12, 'annealingLength': 10, 'annealingDecay': 0.1}}"),
                Arguments.of("{'lrSchedule': {'type': 'sigmoid', 'gamma': 0.1, 'stepSize': 0}}"),
                Arguments.of("{'updater': 'ADADELTA'}"),
                Arguments.of("{'stopOn': ['NONFINITE', 'explosion', 'Collapse']}"),
                Arguments.of("{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'constant', 'value': -3}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validBoundaries")
    void validBoundaryValueIsAccepted(String fragment) {
        assertDoesNotThrow(() -> TestSpecs.seedWith(fragment));
    }

    @Test
    void defaultsFillAbsentOptionalValues() {
        ExperimentSpec s = TestSpecs.seedWith("{'description': null, 'gradientNormalization': null, 'clipping': null,"
                + " 'dataset': null, 'stopOn': null}");
        assertEquals("", s.description());
        assertEquals(org.deeplearning4j.nn.conf.GradientNormalization.None, s.regularization().gradientNormalization());
        assertEquals(Clipping.NONE, s.clip().clipping());
        assertEquals("mnist-embedded", s.training().dataset());
        assertEquals(List.of(), s.detector().stopOn());
        assertEquals(List.of(Activation.RELU, Activation.RELU, Activation.SOFTMAX), s.layers().activations());
    }

    private static void assertNamesField(String field, SpecException e) {
        String m = e.getMessage();
        assertTrue(m.contains(field + " must") || m.contains("field '" + field + "'"), "message should name '" + field + "': " + m);
        assertFalse(m.contains("\n"), "message should be one line: " + m);
    }

    private static Arguments row(String field, Object input) {
        return Arguments.of(field, input);
    }

    private static String join(List<Integer> xs) {
        return String.join(",", xs.stream().map(String::valueOf).toList());
    }
}
