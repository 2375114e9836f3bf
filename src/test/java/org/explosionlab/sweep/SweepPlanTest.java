package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.weights.WeightInit;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecException;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

    @Test
    void gridIsTheCartesianProductFirstAxisSlowest() {
        ExperimentSpec base = Presets.load("seed-baseline");
        List<SweepPoint> points = SweepPlan.grid(base,
                List.of(GridAxis.parse("weightInit=XAVIER_UNIFORM,RELU"), GridAxis.parse("learningRate=0.01,0.1,1.0")),
                List.of("epochs=1"));
        assertEquals(6, points.size());
        assertEquals("seed-baseline[weightInit=XAVIER_UNIFORM,learningRate=0.01]", points.get(0).label());
        assertEquals("seed-baseline[weightInit=RELU,learningRate=1.0]", points.get(5).label());
        String[] inits = {"XAVIER_UNIFORM", "XAVIER_UNIFORM", "XAVIER_UNIFORM", "RELU", "RELU", "RELU"};
        double[] lrs = {0.01, 0.1, 1.0, 0.01, 0.1, 1.0};
        for (int i = 0; i < 6; i++) {
            ExperimentSpec s = points.get(i).spec();
            assertEquals(WeightInit.valueOf(inits[i]), s.init().weightInit());
            assertEquals(lrs[i], s.optimizer().learningRate());
            assertEquals(1, s.training().epochs(), "common overrides reach every point");
            assertEquals(base.training().batchSize(), s.training().batchSize(), "everything else stays the base's");
        }
        assertEquals("seed-baseline_weightInit-RELU_learningRate-0.1", points.get(4).dirName());
    }

    @Test
    void presetsRunInTheOrderGiven() {
        List<SweepPoint> points = SweepPlan.presets(List.of("bad-init", "seed-baseline"), List.of("epochs=2"));
        assertEquals(List.of("bad-init", "seed-baseline"), points.stream().map(SweepPoint::label).toList());
        assertEquals(2, points.get(0).spec().training().epochs());
        assertEquals(Presets.load("bad-init").optimizer().learningRate(), points.get(0).spec().optimizer().learningRate(), "bad-init keeps its own learning rate");
        assertEquals(0.001, points.get(1).spec().optimizer().learningRate(), "seed-baseline keeps Adam's 1e-3");
    }

    @Test
    void badInputFailsBeforeAnythingRuns() {
        assertThrows(SpecException.class, () -> SweepPlan.presets(List.of("seed-baseline", "no-such-preset"), List.of()));
        assertThrows(SpecException.class, () -> SweepPlan.presets(List.of("seed-baseline", "seed-baseline"), List.of()));
        assertThrows(SpecException.class, () -> SweepPlan.presets(List.of(), List.of()));
        ExperimentSpec base = Presets.load("seed-baseline");
        assertThrows(SpecException.class, () -> SweepPlan.grid(base, List.of(GridAxis.parse("learningRate=0.1,-1")), List.of()),
                "a value the validator rejects");
        assertThrows(SpecException.class, () -> SweepPlan.grid(base, List.of(GridAxis.parse("weightInit=NOPE")), List.of()));
        assertThrows(SpecException.class, () -> SweepPlan.grid(base,
                List.of(GridAxis.parse("learningRate=0.1"), GridAxis.parse("learningRate=0.2")), List.of()));
    }

    @Test
    void dirNamesAreSafe() {
        assertEquals("b_weightInit-RELU_learningRate-0.1", SweepPlan.dirName("b[weightInit=RELU,learningRate=0.1]"));
        assertEquals("b_lrSchedule-_type_fixed", SweepPlan.dirName("b[lrSchedule={\"type\":\"fixed\"}]"));
        String longLabel = "b[" + "x".repeat(200) + "]";
        String d = SweepPlan.dirName(longLabel);
        assertEquals(SweepPlan.MAX_NAME, d.length());
        assertTrue(d.matches("[A-Za-z0-9._-]+"));
    }

    @Test
    void seedsRepeatEveryPointFromItsOwnSeedAndShareAGroup() {
        List<SweepPoint> points = SweepPlan.withSeeds(SweepPlan.grid(Presets.load("seed-baseline"),
                List.of(GridAxis.parse("learningRate=0.01,0.1")), List.of()), 3);
        assertEquals(6, points.size());
        assertEquals("seed-baseline[learningRate=0.01,seed=42]", points.get(0).label());
        assertEquals("seed-baseline[learningRate=0.1,seed=44]", points.get(5).label());
        assertEquals(44, points.get(5).spec().training().seed());
        assertEquals("seed-baseline_learningRate-0.1_seed-44", points.get(5).dirName());
        assertEquals("seed-baseline[learningRate=0.1]", points.get(5).group());
        assertEquals("high-lr", SweepPlan.withSeeds(SweepPlan.presets(List.of("high-lr"), List.of()), 2).get(1).group());
        assertEquals("base[learningRate=0.1]", SweepPoint.groupOf("base[seed=1,learningRate=0.1]"), "a --grid seed=... axis groups too");
        assertEquals("base", SweepPoint.groupOf("base[seed=7]"));
    }

    @Test
    void countIsKnownBeforeAnySpecIsBuiltAndSaturates() {
        GridAxis thousand = new GridAxis("learningRate", java.util.stream.IntStream.rangeClosed(1, 1000).mapToObj(i -> "0." + i).toList());
        assertEquals(1_000_000L * 5, SweepPlan.count(1, List.of(thousand, thousand), 5));
        assertEquals(3 * 2, SweepPlan.count(3, List.of(), 2));
        List<GridAxis> huge = java.util.Collections.nCopies(7, thousand);
        assertEquals(Long.MAX_VALUE, SweepPlan.count(1, huge, 1));
    }
}
