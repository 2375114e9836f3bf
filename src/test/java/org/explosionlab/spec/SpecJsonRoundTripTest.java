package org.explosionlab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A spec written with {@link SpecJson#write} reads back as an equal record (records compare their
 * lists and maps by content), for every preset and for a spec carrying each schedule, distribution
 * and constraint type; a run's {@code summary.json} shape is read through its {@code spec} field.
 * The presets themselves are checked against the values written in their resource files.
 */
class SpecJsonRoundTripTest {

    static Stream<String> presetNames() {
        return Presets.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presetNames")
    void everyPresetSurvivesWriteAndParse(String name) {
        ExperimentSpec preset = Presets.all().get(name);
        ExperimentSpec back = SpecJson.parse(SpecJson.write(preset), "written " + name);
        assertEquals(preset, back);
    }

    @Test
    void presetsAreListedInTeachingOrderAndAllLoad() {
        List<String> names = Presets.names();
        assertEquals("seed-baseline", names.get(0));
        assertTrue(names.containsAll(List.of("bad-init", "bad-init-clip-global")), names.toString());
        assertEquals(names, List.copyOf(Presets.all().keySet()));
        Presets.all().forEach((n, s) -> assertEquals(n, s.name(), "a preset's name is its file name"));
    }

    @Test
    void seedBaselineIsTheTutorialModelWithKerasDefaults() {
        ExperimentSpec s = Presets.load("seed-baseline");
        assertEquals(List.of(784, 128, 64, 10), s.layers().layerSizes());
        assertEquals(List.of(Activation.RELU, Activation.RELU, Activation.SOFTMAX), s.layers().activations());
        assertEquals(LossFunction.MCXENT, s.layers().lossFunction());
        assertEquals(UpdaterKind.ADAM, s.optimizer().updater());
        assertEquals(1e-3, s.optimizer().learningRate());
        assertEquals(0.9, s.optimizer().beta1());
        assertEquals(0.999, s.optimizer().beta2());
        assertEquals(1e-7, s.optimizer().epsilon());
        assertEquals(WeightInit.XAVIER_UNIFORM, s.init().weightInit());
        assertEquals(0.0, s.init().biasInit());
        assertEquals(GradientNormalization.None, s.regularization().gradientNormalization());
        assertNull(s.optimizer().lrSchedule());
        assertNull(s.regularization().constraint());
        assertEquals(Clipping.NONE, s.clip().clipping());
        assertEquals(32, s.training().batchSize());
        assertEquals(5, s.training().epochs());
        assertEquals(42L, s.training().seed());
        assertEquals("mnist-embedded", s.training().dataset());
        assertEquals(2, s.hiddenLayers());
        assertEquals(3, s.weightLayers());
    }

    @Test
    void extendsChainsResolveOverrideByOverride() {
        ExperimentSpec badInit = Presets.load("bad-init");
        assertEquals(UpdaterKind.SGD, badInit.optimizer().updater());
        assertEquals(0.1, badInit.optimizer().learningRate());
        assertEquals(WeightInit.DISTRIBUTION, badInit.init().weightInit());
        assertEquals(new DistributionSpec.Normal(0, 1), badInit.init().weightInitDistribution());
        assertEquals(List.of(784, 128, 64, 10), badInit.layers().layerSizes(), "inherited from seed-baseline");
        ExperimentSpec clipped = Presets.load("bad-init-clip-global");
        assertEquals(Clipping.GLOBAL_L2, clipped.clip().clipping());
        assertEquals(1.0, clipped.clip().clipThreshold());
        assertEquals(UpdaterKind.SGD, clipped.optimizer().updater(), "inherited from bad-init");
        assertEquals(new DistributionSpec.Normal(0, 1), clipped.init().weightInitDistribution());
    }

    static Stream<String> nestedFragments() {
        return Stream.of(
                "{'lrSchedule': {'type': 'fixed'}}",
                "{'lrSchedule': {'type': 'exponential', 'scheduleType': 'EPOCH', 'gamma': 0.9}}",
                "{'lrSchedule': {'type': 'step', 'decayRate': 0.5, 'step': 250}}",
                "{'lrSchedule': {'type': 'inverse', 'gamma': 0.01, 'power': 0.75}}",
                "{'lrSchedule': {'type': 'poly', 'power': 2, 'maxIter': 1000}}",
                "{'lrSchedule': {'type': 'sigmoid', 'gamma': 0.05, 'stepSize': 300}}",
                "{'lrSchedule': {'type': 'map', 'values': {'500': 0.0001, '100': 0.0005}}}",
                "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 1000, 'annealingLength': 100, 'annealingDecay': 0.1}}",
                "{'lrSchedule': {'type': 'ramp', 'rampIterations': 100, 'base': {'type': 'step', 'decayRate': 0.5, 'step': 250}}}",
                "{'lrSchedule': {'type': 'ramp', 'rampIterations': 100}}",
                "{'lrSchedule': {'type': 'tf_exponential_decay', 'decaySteps': 100, 'decayRate': 0.96, 'staircase': true}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'normal', 'mean': 0.1, 'std': 0.5}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'uniform', 'lower': -0.2, 'upper': 0.3}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'truncated_normal', 'mean': 0, 'std': 0.05}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'log_normal', 'mean': -3, 'std': 0.5}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'orthogonal', 'gain': 1.4142135623730951}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'constant', 'value': 0.01}}",
                "{'constraint': {'type': 'max_norm', 'maxNorm': 3, 'dimension': 0, 'biases': true}}",
                "{'constraint': {'type': 'min_max_norm', 'min': 0.5, 'max': 2, 'rate': 0.5, 'dimension': 1}}",
                "{'constraint': {'type': 'unit_norm'}}",
                "{'constraint': {'type': 'non_negative', 'biases': false}}",
                "{'stopOn': ['explosion', 'nonfinite'], 'clipping': 'autoclip', 'autoClipPercentile': 25, 'skipNonFinite': true}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nestedFragments")
    void everyNestedTypeSurvivesWriteAndParse(String fragment) {
        ExperimentSpec s = TestSpecs.seedWith(fragment);
        assertEquals(s, SpecJson.parse(SpecJson.write(s), "written"));
    }

    @Test
    void nestedValuesAreReadAsWritten() {
        ScheduleSpec map = TestSpecs.seedWith("{'lrSchedule': {'type': 'map', 'values': {'500': 0.0001, '100': 0.0005}}}").optimizer().lrSchedule();
        assertEquals(Map.of(100, 0.0005, 500, 0.0001), ((ScheduleSpec.MapSchedule) map).values());
        ConstraintSpec unit = TestSpecs.seedWith("{'constraint': {'type': 'unit_norm'}}").regularization().constraint();
        assertEquals(new ConstraintSpec.UnitNorm(0, false), unit, "dimension 0 and no biases when absent");
        ConstraintSpec minMax = TestSpecs.seedWith("{'constraint': {'type': 'min_max_norm', 'min': 0.5, 'max': 2}}").regularization().constraint();
        assertEquals(new ConstraintSpec.MinMaxNorm(0.5, 2, 1.0, 0, false), minMax, "rate 1 when absent");
    }

    @Test
    void writtenJsonHoldsEveryFieldIncludingNulls() {
        JsonNode tree = SpecJson.toTree(Presets.load("seed-baseline"));
        assertEquals(SpecOverrides.fieldNames().size(), tree.size());
        for (String f : SpecOverrides.fieldNames()) assertTrue(tree.has(f), f);
        assertTrue(tree.get("lrSchedule").isNull());
        assertEquals("none", tree.get("clipping").asText());
        assertEquals(1e-7, tree.get("epsilon").asDouble());
    }

    @Test
    void aRunSummaryIsReadThroughItsSpecField() {
        ExperimentSpec badInit = Presets.load("bad-init");
        ObjectNode summary = SpecJson.mapper().createObjectNode();
        summary.set("spec", SpecJson.toTree(badInit));
        summary.putObject("provenance").put("dl4j_version", "1.0.0-M2.1").put("seed", 42);
        summary.putObject("results").put("test_accuracy", 0.1);
        summary.putObject("verdict").put("kind", "explosion");
        ExperimentSpec back = SpecJson.parse(summary.toString(), "summary.json");
        assertEquals(badInit, back);
    }

    @Test
    void anObjectWithASpecFieldButNoProvenanceIsNotASummary() {
        ObjectNode notSummary = SpecJson.mapper().createObjectNode();
        notSummary.put("extends", "seed-baseline");
        notSummary.set("spec", SpecJson.toTree(Presets.load("seed-baseline")));
        String m = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
                () -> SpecJson.parse(notSummary.toString(), "x.json")).getMessage();
        assertTrue(m.contains("unknown field 'spec'"), m);
    }
}
