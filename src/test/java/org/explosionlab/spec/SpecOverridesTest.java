package org.explosionlab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * {@code --set key=value} on top of a spec: values are typed by the spec field they land in, lists
 * come from comma lists, dotted keys reach into nested objects, and every mistake is one
 * {@link SpecException} line naming the field.
 */
class SpecOverridesTest {
    private final ExperimentSpec seed = Presets.load("seed-baseline");

    @Test
    void scalarsOfEveryTypeAreSet() {
        ExperimentSpec s = SpecOverrides.apply(seed, List.of("learningRate=0.1", "batchSize=64", "seed=7",
                "skipNonFinite=true", "updater=SGD", "gradientNormalization=ClipL2PerLayer", "clipping=global_l2",
                "dataset=fashion-mnist", "name=my-run"));
        assertEquals(0.1, s.optimizer().learningRate());
        assertEquals(64, s.training().batchSize());
        assertEquals(7L, s.training().seed());
        assertTrue(s.skip().skipNonFinite());
        assertEquals(UpdaterKind.SGD, s.optimizer().updater());
        assertEquals(GradientNormalization.ClipL2PerLayer, s.regularization().gradientNormalization());
        assertEquals(Clipping.GLOBAL_L2, s.clip().clipping());
        assertEquals("fashion-mnist", s.training().dataset());
        assertEquals("my-run", s.name());
        assertEquals(seed.layers().layerSizes(), s.layers().layerSizes(), "fields not set keep their values");
        assertEquals(seed.optimizer().epsilon(), s.optimizer().epsilon());
    }

    @Test
    void noAssignmentsReturnTheSpecItself() {
        assertSame(seed, SpecOverrides.apply(seed, List.of()));
    }

    @Test
    void listFieldsTakeCommaLists() {
        ExperimentSpec s = SpecOverrides.apply(seed, List.of("layerSizes=784,256,10", "activations=TANH,SOFTMAX",
                "stopOn=explosion,nonfinite"));
        assertEquals(List.of(784, 256, 10), s.layers().layerSizes());
        assertEquals(List.of(Activation.TANH, Activation.SOFTMAX), s.layers().activations());
        assertEquals(List.of(EventKind.EXPLOSION, EventKind.NONFINITE), s.detector().stopOn());
    }

    @Test
    void listFieldsTakeJsonArraysAndSpacesAroundCommas() {
        ExperimentSpec s = SpecOverrides.apply(seed, List.of("layerSizes=[784, 32, 10]", "activations=RELU, SOFTMAX"));
        assertEquals(List.of(784, 32, 10), s.layers().layerSizes());
        assertEquals(List.of(Activation.RELU, Activation.SOFTMAX), s.layers().activations());
    }

    @Test
    void anEmptyListClearsAListField() {
        ExperimentSpec withStops = SpecOverrides.apply(seed, List.of("stopOn=explosion"));
        assertEquals(List.of(), SpecOverrides.apply(withStops, List.of("stopOn=")).detector().stopOn());
    }

    @Test
    void aListWhoseSizeDoesNotMatchIsRejectedByTheValidator() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("layerSizes=784,256,10")));
        assertTrue(e.getMessage().contains("activations must be one per non-input layer (2"), e.getMessage());
    }

    @Test
    void jsonObjectLiteralSetsANestedRecord() {
        ExperimentSpec s = SpecOverrides.apply(seed, List.of("weightInit=DISTRIBUTION",
                "weightInitDistribution={\"type\":\"normal\",\"mean\":0,\"std\":2}"));
        assertEquals(WeightInit.DISTRIBUTION, s.init().weightInit());
        assertEquals(new DistributionSpec.Normal(0, 2), s.init().weightInitDistribution());
    }

    @Test
    void dottedKeyChangesOneFieldOfASetSchedule() {
        ExperimentSpec step = SpecOverrides.apply(seed, List.of("lrSchedule={\"type\":\"step\",\"decayRate\":0.1,\"step\":100}"));
        ExperimentSpec s = SpecOverrides.apply(step, List.of("lrSchedule.decayRate=0.5"));
        assertEquals(new ScheduleSpec.Step(ScheduleType.ITERATION, 0.5, 100), s.optimizer().lrSchedule());
    }

    @Test
    void dottedKeysReachTwoLevelsDown() {
        ExperimentSpec ramp = SpecOverrides.apply(seed, List.of(
                "lrSchedule={\"type\":\"ramp\",\"rampIterations\":10,\"base\":{\"type\":\"exponential\",\"gamma\":0.9}}"));
        ExperimentSpec s = SpecOverrides.apply(ramp, List.of("lrSchedule.base.gamma=0.99", "lrSchedule.rampIterations=20"));
        assertEquals(new ScheduleSpec.Ramp(ScheduleType.ITERATION, new ScheduleSpec.Exponential(ScheduleType.ITERATION, 0.99), 20),
                s.optimizer().lrSchedule());
    }

    @Test
    void dottedKeyOnAnUnsetObjectSaysToSetTheWholeObject() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("lrSchedule.decayRate=0.5")));
        assertTrue(e.getMessage().contains("'lrSchedule' is not set"), e.getMessage());
        assertTrue(e.getMessage().contains("--set lrSchedule={"), e.getMessage());
    }

    @Test
    void dottedKeyOnAScalarIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("learningRate.x=1")));
        assertTrue(e.getMessage().contains("'learningRate' is not an object"), e.getMessage());
    }

    @Test
    void unknownNestedFieldIsRejected() {
        ExperimentSpec step = SpecOverrides.apply(seed, List.of("lrSchedule={\"type\":\"step\",\"decayRate\":0.1,\"step\":100}"));
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(step, List.of("lrSchedule.gamma=0.5")));
        assertTrue(e.getMessage().contains("unknown field 'lrSchedule.gamma'"), e.getMessage());
    }

    @Test
    void unknownFieldIsNamedAndTheFieldsAreListed() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("learnignRate=0.1")));
        assertTrue(e.getMessage().contains("unknown spec field 'learnignRate'"), e.getMessage());
        assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
    }

    @Test
    void wrongTypeIsNamed() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("learningRate=abc")));
        assertTrue(e.getMessage().contains("field 'learningRate' must be a number, got \"abc\""), e.getMessage());
        SpecException b = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("batchSize=1.5")));
        assertTrue(b.getMessage().contains("field 'batchSize' must be an integer"), b.getMessage());
        SpecException u = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("updater=LION")));
        assertTrue(u.getMessage().contains("field 'updater' must be one of [SGD, ADAM"), u.getMessage());
    }

    @Test
    void aValueOutOfRangeIsRejectedByTheValidatorNamingTheOverride() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("beta1=1")));
        assertTrue(e.getMessage().startsWith("--set beta1=1: beta1 must be in (0, 1)"), e.getMessage());
    }

    @Test
    void assignmentWithoutEqualsIsRejected() {
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("learningRate")));
        assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
        assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("=0.1")));
    }

    @Test
    void laterAssignmentsWin() {
        assertEquals(0.3, SpecOverrides.apply(seed, List.of("learningRate=0.1", "learningRate=0.3")).optimizer().learningRate());
    }

    @Test
    void aStringFieldTakesWordsAndLiteralsAsText() {
        assertEquals("true", SpecOverrides.apply(seed, List.of("description=true")).description());
        assertEquals("a b", SpecOverrides.apply(seed, List.of("description=a b")).description());
        assertEquals("run-2", SpecOverrides.apply(seed, List.of("name=run-2")).name());
    }

    @Test
    void withSetsAJavaValue() {
        ExperimentSpec s = SpecOverrides.with(seed, "lrSchedule", Map.of("type", "exponential", "gamma", 0.99));
        assertEquals(new ScheduleSpec.Exponential(ScheduleType.ITERATION, 0.99), s.optimizer().lrSchedule());
        assertEquals(0.5, SpecOverrides.with(seed, "learningRate", 0.5).optimizer().learningRate());
        assertEquals(List.of(EventKind.COLLAPSE), SpecOverrides.with(seed, "stopOn", List.of("collapse")).detector().stopOn());
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.with(seed, "epochs", 0));
        assertTrue(e.getMessage().contains("epochs must be between 1 and 10000"), e.getMessage());
    }

    @Test
    void setsTheNewRemediesByName() {
        ExperimentSpec s = SpecOverrides.apply(seed, List.of("clipping=zclip", "zClipAlpha=0.9", "zClipZThreshold=3",
                "zClipWarmupSteps=10", "zClipMaxGradNorm=5", "spikeSkip=true", "spikeSkipSigma=4", "spikeSkipWindow=64",
                "spikeSkipMinSteps=30"));
        assertEquals(Clipping.ZCLIP, s.clip().clipping());
        assertEquals(0.9, s.clip().zClipAlpha());
        assertEquals(3.0, s.clip().zClipZThreshold());
        assertEquals(10, s.clip().zClipWarmupSteps());
        assertEquals(5.0, s.clip().zClipMaxGradNorm());
        assertTrue(s.skip().spikeSkip());
        assertEquals(4.0, s.skip().spikeSkipSigma());
        assertEquals(64, s.skip().spikeSkipWindow());
        assertEquals(30, s.skip().spikeSkipMinSteps());
        SpecException e = assertThrows(SpecException.class, () -> SpecOverrides.apply(seed, List.of("zClipWarmupSteps=1.5")));
        assertTrue(e.getMessage().contains("zClipWarmupSteps"), e.getMessage());
    }

    @Test
    void fieldNamesAreTheRecordComponentsInOrder() {
        List<String> names = SpecOverrides.fieldNames();
        assertEquals(48, names.size());                     // 46 + earlyWarning, sharpnessEvery (issue 24)
        assertEquals("name", names.get(0));
        assertEquals("stopOn", names.get(names.size() - 1));
    }
}
