package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.ScheduleSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.SigmoidSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * Each {@link ScheduleSpec} becomes the DL4J {@link ISchedule} with the same formula and parameters,
 * on the updater of every layer. Expected learning rates are computed here from the formulas in the
 * spec's Javadoc (and TensorFlow's {@code exponential_decay}), with {@link Math#pow}/{@link Math#exp}.
 */
class ScheduleFactoryTest {
    private static final double LR0 = 0.001;

    /** The schedule on the Adam updater of every layer; all layers carry an equal one. */
    private static ISchedule scheduleOf(String schedule) {
        ExperimentSpec s = TestSpecs.seedWith("{'learningRate': " + LR0 + ", 'lrSchedule': " + schedule + "}");
        ISchedule first = null;
        for (BaseLayer l : TestSpecs.layers(s)) {
            ISchedule sch = ((Adam) l.getIUpdater()).getLearningRateSchedule();
            if (first == null) first = sch;
            for (int i : new int[] {0, 1, 17, 250, 999, 5000}) assertEquals(first.valueAt(i, 2), sch.valueAt(i, 2));
        }
        return first;
    }

    private static void assertRel(double expected, double actual, String what) {
        assertEquals(expected, actual, Math.abs(expected) * 1e-9 + 1e-300, what);
    }

    @Test
    void noScheduleKeepsThePlainLearningRate() {
        assertNull(ScheduleFactory.create(null, LR0));
        Adam a = (Adam) TestSpecs.layers(TestSpecs.seedWith("{}")).get(0).getIUpdater();
        assertNull(a.getLearningRateSchedule());
        assertEquals(LR0, a.getLearningRate(1234, 5));
    }

    @Test
    void fixed() {
        FixedSchedule f = assertInstanceOf(FixedSchedule.class, scheduleOf("{'type': 'fixed'}"));
        assertEquals(LR0, f.getValue());
        assertEquals(LR0, f.valueAt(10_000, 9));
    }

    @Test
    void exponential() {
        ExponentialSchedule e = assertInstanceOf(ExponentialSchedule.class, scheduleOf("{'type': 'exponential', 'gamma': 0.99}"));
        assertEquals(ScheduleType.ITERATION, e.getScheduleType());
        assertEquals(LR0, e.getInitialValue());
        assertEquals(0.99, e.getGamma());
        for (int i : new int[] {0, 1, 100, 1000}) assertRel(LR0 * Math.pow(0.99, i), e.valueAt(i, 7), "i=" + i);
    }

    @Test
    void exponentialByEpoch() {
        ExponentialSchedule e = assertInstanceOf(ExponentialSchedule.class,
                scheduleOf("{'type': 'exponential', 'scheduleType': 'EPOCH', 'gamma': 0.5}"));
        assertEquals(ScheduleType.EPOCH, e.getScheduleType());
        assertRel(LR0 * 0.125, e.valueAt(1000, 3), "epoch 3");
    }

    @Test
    void step() {
        StepSchedule s = assertInstanceOf(StepSchedule.class, scheduleOf("{'type': 'step', 'decayRate': 0.5, 'step': 250}"));
        assertEquals(LR0, s.getInitialValue());
        assertEquals(0.5, s.getDecayRate());
        assertEquals(250.0, s.getStep());
        assertRel(LR0, s.valueAt(249, 0), "249");
        assertRel(LR0 / 2, s.valueAt(250, 0), "250");
        assertRel(LR0 / 8, s.valueAt(999, 0), "999");
    }

    @Test
    void inverse() {
        InverseSchedule s = assertInstanceOf(InverseSchedule.class, scheduleOf("{'type': 'inverse', 'gamma': 0.01, 'power': 0.75}"));
        assertEquals(LR0, s.getInitialValue());
        assertEquals(0.01, s.getGamma());
        assertEquals(0.75, s.getPower());
        for (int i : new int[] {0, 100, 1000}) assertRel(LR0 / Math.pow(1 + 0.01 * i, 0.75), s.valueAt(i, 0), "i=" + i);
    }

    @Test
    void polyDecaysToZeroAtMaxIter() {
        PolyDecaySchedule p = assertInstanceOf(PolyDecaySchedule.class, scheduleOf("{'type': 'poly', 'power': 2, 'maxIter': 1000}"));
        assertEquals(LR0, p.getInitialValue());
        assertEquals(2.0, p.getPower());
        assertEquals(1000, p.getMaxIter());
        // lr₀·(1 − i/1000)²: 0.001, 0.00025 at 500, 0.001·0.01² = 1e-7 at 990, 0 from 1000 on
        assertRel(LR0, p.valueAt(0, 0), "0");
        assertRel(0.00025, p.valueAt(500, 0), "500");
        assertRel(1e-7, p.valueAt(990, 0), "990");
        assertEquals(0.0, p.valueAt(1000, 0));
        assertEquals(0.0, p.valueAt(5000, 0));
        for (int i = 1; i < 1000; i++) assertTrue(p.valueAt(i, 0) < p.valueAt(i - 1, 0), "decreasing at " + i);
    }

    @Test
    void sigmoid() {
        SigmoidSchedule s = assertInstanceOf(SigmoidSchedule.class, scheduleOf("{'type': 'sigmoid', 'gamma': 0.05, 'stepSize': 300}"));
        assertEquals(LR0, s.getInitialValue());
        assertEquals(0.05, s.getGamma());
        assertEquals(300, s.getStepSize());
        assertRel(LR0 / 2, s.valueAt(300, 0), "half way at stepSize");
        for (int i : new int[] {0, 100, 600}) assertRel(LR0 / (1 + Math.exp(-0.05 * (i - 300))), s.valueAt(i, 0), "i=" + i);
    }

    @Test
    void mapStartsAtTheLearningRate() {
        MapSchedule m = assertInstanceOf(MapSchedule.class, scheduleOf("{'type': 'map', 'values': {'100': 0.0005, '500': 0.0001}}"));
        assertEquals(Map.of(0, LR0, 100, 0.0005, 500, 0.0001), m.getValues());
        assertEquals(LR0, m.valueAt(99, 0));
        assertEquals(0.0005, m.valueAt(100, 0));
        assertEquals(0.0005, m.valueAt(499, 0));
        assertEquals(0.0001, m.valueAt(10_000, 0));
    }

    @Test
    void mapKeepsAnExplicitValueAtZero() {
        MapSchedule m = assertInstanceOf(MapSchedule.class, scheduleOf("{'type': 'map', 'values': {'0': 0.01, '10': 0.001}}"));
        assertEquals(0.01, m.valueAt(0, 0));
    }

    @Test
    void cycle() {
        CycleSchedule c = assertInstanceOf(CycleSchedule.class, scheduleOf(
                "{'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 1000, 'annealingLength': 100, 'annealingDecay': 0.9}"));
        assertEquals(LR0, c.getInitialLearningRate());
        assertEquals(0.01, c.getMaxLearningRate());
        assertEquals(1000, c.getCycleLength());
        assertEquals(100, c.getAnnealingLength());
        assertEquals(0.9, c.getAnnealingDecay());
        // rise over (1000−100)/2 = 450 iterations by (0.01−0.001)/450 = 2e-5 each, fall over 450, then lr₀·0.9^(i−900)
        assertRel(LR0, c.valueAt(0, 0), "start");
        assertRel(0.0055, c.valueAt(225, 0), "half way up");
        assertRel(0.01, c.valueAt(450, 0), "peak");
        assertRel(0.0055, c.valueAt(675, 0), "half way down");
        assertRel(LR0, c.valueAt(900, 0), "annealing starts");
        assertRel(LR0 * Math.pow(0.9, 50), c.valueAt(950, 0), "annealing");
        assertRel(LR0, c.valueAt(1000, 0), "next cycle");
    }

    @Test
    void rampWarmsUpItsBase() {
        WarmupRampSchedule r = assertInstanceOf(WarmupRampSchedule.class, scheduleOf(
                "{'type': 'ramp', 'rampIterations': 100, 'base': {'type': 'step', 'decayRate': 0.5, 'step': 250}}"));
        assertEquals(100, r.getNumIter());
        StepSchedule base = assertInstanceOf(StepSchedule.class, r.getBaseSchedule());
        assertEquals(LR0, base.getInitialValue());
        assertEquals(0.5, base.getDecayRate());
        // base(i)·min(1, (i+1)/100)
        assertRel(LR0 / 100, r.valueAt(0, 0), "0");
        assertRel(LR0 * 50 / 100, r.valueAt(49, 0), "49");
        assertRel(LR0, r.valueAt(99, 0), "99");
        assertRel(LR0 / 2, r.valueAt(300, 0), "base takes over");
    }

    @Test
    void rampWithoutBaseWarmsUpAConstant() {
        WarmupRampSchedule r = assertInstanceOf(WarmupRampSchedule.class, scheduleOf("{'type': 'ramp', 'rampIterations': 10}"));
        assertEquals(new FixedSchedule(LR0), r.getBaseSchedule());
        assertRel(LR0 * 0.3, r.valueAt(2, 0), "2");
        assertRel(LR0, r.valueAt(9, 0), "9");
        assertRel(LR0, r.valueAt(10_000, 0), "after");
    }

    @Test
    void tfStaircaseIsDl4jStepSchedule() {
        StepSchedule s = assertInstanceOf(StepSchedule.class,
                scheduleOf("{'type': 'tf_exponential_decay', 'decaySteps': 100, 'decayRate': 0.96, 'staircase': true}"));
        assertEquals(LR0, s.getInitialValue());
        assertEquals(0.96, s.getDecayRate());
        assertEquals(100.0, s.getStep());
    }

    @Test
    void tfSmoothIsDl4jExponentialScheduleWithPerStepGamma() {
        ExponentialSchedule e = assertInstanceOf(ExponentialSchedule.class,
                scheduleOf("{'type': 'tf_exponential_decay', 'decaySteps': 100, 'decayRate': 0.96, 'staircase': false}"));
        assertEquals(LR0, e.getInitialValue());
        assertRel(Math.exp(Math.log(0.96) / 100), e.getGamma(), "γ = 0.96^(1/100)");
    }

    static Stream<Arguments> tfCases() {
        return Stream.of(
                Arguments.of(100.0, 0.96, true), Arguments.of(100.0, 0.96, false),
                Arguments.of(1000.0, 0.5, true), Arguments.of(1000.0, 0.5, false),
                Arguments.of(7.0, 0.9, true), Arguments.of(7.0, 0.9, false),
                Arguments.of(1.0, 0.1, true), Arguments.of(1.0, 0.1, false),
                Arguments.of(2500.0, 0.99, true), Arguments.of(2500.0, 0.99, false),
                Arguments.of(10.0, 1.5, true), Arguments.of(10.0, 1.5, false));
    }

    /**
     * tf.compat.v1.train.exponential_decay: lr₀·rate^(step/decay_steps), ⌊step/decay_steps⌋ when staircase,
     * at steps 0, 1, steps−1, steps, 2.5·steps and 10·steps, relative 1e-6.
     */
    @ParameterizedTest(name = "steps={0} rate={1} staircase={2}")
    @MethodSource("tfCases")
    void tfExponentialDecayMatchesTensorflowsFormula(double steps, double rate, boolean staircase) {
        double lr0 = 0.1;
        ISchedule s = ScheduleFactory.create(new ScheduleSpec.TfExponentialDecay(ScheduleType.ITERATION, steps, rate, staircase), lr0);
        int[] at = {0, 1, (int) steps - 1, (int) steps, (int) (2.5 * steps), (int) (10 * steps)};
        for (int i : at) {
            double p = i / steps;
            double expected = lr0 * Math.pow(rate, staircase ? Math.floor(p) : p);
            assertEquals(expected, s.valueAt(i, 0), Math.abs(expected) * 1e-6, "step " + i);
        }
        if (staircase && steps > 1) assertEquals(lr0, s.valueAt((int) steps - 1, 0), 0.0, "flat until the first boundary");
    }

    @Test
    void tfExponentialDecayByEpochReadsTheEpoch() {
        ISchedule s = ScheduleFactory.create(new ScheduleSpec.TfExponentialDecay(ScheduleType.EPOCH, 2, 0.5, false), 0.1);
        assertEquals(0.1 * Math.pow(0.5, 3 / 2.0), s.valueAt(12_345, 3), 1e-12);
    }

    @Test
    void tfExponentialDecayRecordDocumentsTheSameFormula() {
        var tf = new ScheduleSpec.TfExponentialDecay(null, 100, 0.96, true);
        assertEquals(ScheduleType.ITERATION, tf.scheduleType());
        assertEquals(0.1 * 0.96 * 0.96, tf.tensorflowValue(0.1, 250), 1e-15);
    }

    /** This project's own classes ({@link PolyDecaySchedule}, {@link ScheduledAdaGrad}) serialise with DL4J's configuration JSON. */
    @Test
    void scheduledConfigurationSurvivesDl4jJson() {
        for (String fields : new String[] {"'lrSchedule': {'type': 'poly', 'power': 2, 'maxIter': 1000}",
                "'lrSchedule': {'type': 'tf_exponential_decay', 'decaySteps': 100, 'decayRate': 0.96, 'staircase': false}",
                "'updater': 'ADAGRAD', 'lrSchedule': {'type': 'poly', 'power': 1, 'maxIter': 100}"}) {
            String sch = fields;
            MultiLayerConfiguration conf = NetworkFactory.configuration(TestSpecs.seedWith("{" + fields + "}"));
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            for (int l = 0; l < 3; l++) {
                var before = ((BaseLayer) conf.getConf(l).getLayer()).getIUpdater();
                var after = ((BaseLayer) back.getConf(l).getLayer()).getIUpdater();
                assertEquals(before.getClass(), after.getClass(), sch);
                for (int i : new int[] {0, 5, 50, 500, 999, 2000}) assertEquals(before.getLearningRate(i, 1), after.getLearningRate(i, 1), sch);
                assertTrue(after.getLearningRate(50, 1) < after.getLearningRate(0, 1), "the schedule survived: " + sch);
            }
        }
    }
}
