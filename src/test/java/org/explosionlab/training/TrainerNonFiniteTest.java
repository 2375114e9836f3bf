package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A run whose weights turn NaN must end like any other run — with a summary, an accuracy and the
 * detector's verdict — not with an exception (DL4J's {@code Evaluation} throws on NaN predictions).
 *
 * <p>The run: the baseline network with plain SGD at learning rate 1e30, 8 minibatches. Step 0's
 * gradient is the healthy baseline's (glorot init, norm about 2, under the detector's ceiling 100), so
 * nothing fires there; that step multiplies it by 1e30, and step 1's forward pass overflows float
 * (|w| ~ 1e29 squared is past 3.4e38): loss and gradient are NaN, the first event is "nonfinite" at
 * iteration 1.
 */
class TrainerNonFiniteTest {
    private static final int BATCHES = 8;
    private static MnistLikeDataset data;

    @BeforeAll
    static void load() {
        data = DatasetResolver.resolve("mnist-embedded");
    }

    private static ExperimentSpec blowUp(String... more) {
        List<String> overrides = new ArrayList<>(List.of("updater=SGD", "learningRate=1e30", "epochs=1"));
        overrides.addAll(List.of(more));
        return SpecOverrides.apply(Presets.load("seed-baseline"), overrides);
    }

    @Test
    void aNonFiniteRunEndsWithAVerdictNotAnException() {
        RunResult r = new Trainer(null).run(blowUp(), data, RunOptions.inMemory(BATCHES));
        Verdict v = r.summary().verdict();
        assertEquals("nonfinite", v.kind().label());
        assertEquals(1L, v.firstIteration());
        assertEquals(BATCHES, r.summary().results().iterations());
        assertTrue(r.metrics().get(1).gradNonFinite() > 0);
        // every test prediction is NaN, so by the documented rule (non-finite rows count as wrong)
        // the accuracy is exactly 0
        INDArray predicted = r.network().output(data.test().getFeatures(), false);
        assertTrue(predicted.isNaN().all(), "every prediction is NaN");
        assertEquals(0.0, r.summary().results().testAccuracy());
    }

    /**
     * Weights drawn from N(0, 1e30) make the loss NaN from step 0: no finite sample reaches the detector, and
     * the final verdict (with the test accuracy 0 that NaN predictions score) is "nonfinite" at iteration 0 —
     * it used to throw ArrayIndexOutOfBoundsException in the not-learning rule.
     */
    @Test
    void aRunNonFiniteFromStepZeroEndsWithANonFiniteVerdict() {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), List.of("epochs=1",
                "weightInit=DISTRIBUTION", "weightInitDistribution={\"type\":\"normal\",\"mean\":0,\"std\":1e30}"));
        RunResult r = new Trainer(null).run(spec, data, RunOptions.inMemory(3));
        assertTrue(Double.isNaN(r.metrics().get(0).loss()), "the loss is NaN at step 0");
        Verdict v = r.summary().verdict();
        assertEquals("nonfinite", v.kind().label());
        assertEquals(0L, v.firstIteration());
        assertEquals(0.0, r.summary().results().testAccuracy());
    }

    @Test
    void skipNonFiniteStopsTheRunWhenItGivesUp() {
        int max = 3;
        RunResult r = new Trainer(null).run(blowUp("skipNonFinite=true", "maxConsecutiveSkips=" + max), data,
                RunOptions.inMemory(BATCHES));
        RunResults res = r.summary().results();
        // step 0 applied (finite), steps 1..3 skipped, then the trainer stops
        assertEquals(1 + max, res.iterations());
        assertTrue(res.stoppedEarly());
        assertTrue(res.stopReason().contains("skipNonFinite gave up"), res.stopReason());
        assertEquals("nonfinite", r.summary().verdict().kind().label());
        assertTrue(r.metrics().subList(1, 1 + max).stream().allMatch(IterationMetrics::skipped));
        // nothing non-finite was applied: the weights are huge (step 0 times 1e30) but finite
        assertFalse(r.network().params().isNaN().any(), "no NaN parameter");
        assertFalse(r.network().params().isInfinite().any(), "no infinite parameter");
    }

    @Test
    void evaluationOfAHealthyNetworkIsDl4jsAccuracy() {
        RunResult r = new Trainer(null).run(SpecOverrides.apply(Presets.load("seed-baseline"), List.of("epochs=1")),
                data, RunOptions.inMemory(20));
        double dl4j = r.network().evaluate(data.testIterator(1000)).accuracy();
        assertEquals(dl4j, r.summary().results().testAccuracy(), 0.0);
    }
}
