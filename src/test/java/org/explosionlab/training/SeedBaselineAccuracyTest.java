package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;

/**
 * The tutorial model trains as the tutorial says: {@code seed-baseline} (784-128-64-10, Adam 1e-3,
 * 5 epochs of batch 32) on the embedded MNIST subset reaches at least 92 % test accuracy, and the
 * detector calls the run healthy. One full run (about 15–35 s on two cores).
 */
class SeedBaselineAccuracyTest {

    @Test
    void seedBaselineReachesNinetyTwoPercentAndIsHealthy() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        MnistLikeDataset data = DatasetResolver.resolve("mnist-embedded");
        RunResult run = new Trainer(null).run(spec, data, RunOptions.inMemory(0));
        RunResults results = run.summary().results();

        assertTrue(results.testAccuracy() >= 0.92, "test accuracy " + results.testAccuracy());
        Verdict verdict = run.summary().verdict();
        assertEquals(Verdict.Kind.HEALTHY, verdict.kind(), verdict.advice());
        assertFalse(verdict.exploded());
        assertNull(verdict.firstIteration());

        assertEquals(5, results.epochsCompleted());
        assertFalse(results.stoppedEarly());
        // 7,996 training examples in batches of 32: ⌈7996/32⌉ = 250 steps per epoch, 1,250 in 5 epochs
        assertEquals(7_996, data.provenance().trainCount());
        assertEquals(1_250, results.iterations());
        assertEquals(1_250, run.metrics().size(), "metricsEvery 1 records every step");
        assertTrue(Double.isFinite(results.maxGradL2Global()) && results.maxGradL2Global() < spec.detector().explosionCeiling(),
                "largest global gradient norm " + results.maxGradL2Global());
        assertTrue(results.finalLoss() < run.metrics().get(0).loss(), "loss fell from " + run.metrics().get(0).loss()
                + " to " + results.finalLoss());
        // the process holds at least the JVM and ND4J's natives; a test JVM's peak stays far below its 4g heap cap
        assertTrue(results.peakRssMiB() > 100 && results.peakRssMiB() < 8192, "peak RSS " + results.peakRssMiB());
    }
}
