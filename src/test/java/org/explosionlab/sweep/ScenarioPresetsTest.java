package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Regression tests of what each preset demonstrates, on short runs (one epoch of at most
 * {@link #SHORT} minibatches; the effects show early) and from the recorded metrics, not the printed
 * text. Every number is deterministic (fixed seeds); the accuracy floors are the accuracies measured
 * with these settings (in the comments) minus a margin. The full five-epoch runs are in
 * {@link ScenarioPresetsFullTest}.
 */
class ScenarioPresetsTest {
    /** Minibatches per short run: 100 × 32 = 3,200 examples, 40 % of one epoch. */
    static final int SHORT = 100;
    static MnistLikeDataset data;

    @BeforeAll
    static void load() {
        data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
    }

    static RunResult shortRun(String preset, int maxBatches) {
        ExperimentSpec spec = SpecOverrides.with(Presets.load(preset), "epochs", 1);
        return new Trainer(null).run(spec, data, RunOptions.inMemory(maxBatches));
    }

    @Test
    void everyIndexedPresetLoadsAndDescribesItself() {
        List<String> names = Presets.names();
        assertEquals(25, names.size());
        for (String n : names) {
            ExperimentSpec s = Presets.load(n);
            assertEquals(n, s.name());
            assertTrue(s.description().length() > 80, n + " says what it demonstrates");
        }
    }

    @Test
    void seedBaselineDoesNotExplode() {
        RunResult r = shortRun("seed-baseline", SHORT);
        assertEquals(Verdict.Kind.HEALTHY, r.summary().verdict().kind());
        assertTrue(r.summary().results().maxGradL2Global() < 10, "the baseline's norms stay in single digits");
        assertTrue(r.summary().results().testAccuracy() > 0.80, "measured 0.855 after 100 minibatches");
    }

    @Test
    void badInitExplodesAtItsFirstStep() {
        RunResult r = shortRun("bad-init", 20);
        Verdict v = r.summary().verdict();
        assertEquals("explosion", v.kind().label());
        assertEquals(0L, v.firstIteration(), "N(0, 1) weights: the very first gradient is far above the ceiling");
        double first = r.metrics().get(0).gradL2Global();
        assertTrue(first > 100 && first > 50 * shortRun("seed-baseline", 1).metrics().get(0).gradL2Global(),
                "~312 against the baseline's ~2; was " + first);
    }

    /** Measured: high-lr does not explode in this model; it throws ReLUs away and trains badly. */
    @Test
    void highLrTrainsBadlyWithoutAClipOfItsSteps() {
        RunResult plain = shortRun("high-lr", SHORT);
        RunResult clipped = shortRun("high-lr-clip-global", SHORT);
        assertTrue(plain.summary().results().testAccuracy() < 0.35, "measured 0.22");
        assertTrue(clipped.summary().results().testAccuracy() > plain.summary().results().testAccuracy() + 0.3, "measured 0.79");
    }

    @ParameterizedTest(name = "{0} stays out of explosion and reaches {1}")
    @CsvSource({
        "bad-init-he-init,     0.75",  // 0.852
        "high-lr-clip-global,  0.65",  // 0.791
        "high-lr-clip-layer,   0.65",  // 0.795
        "high-lr-clip-value,   0.75",  // 0.863
        "high-lr-agc,          0.70",  // 0.818
        "high-lr-autoclip,     0.65",  // 0.772
        "high-lr-lr-decay,     0.70",  // 0.839
    })
    void remedyKeepsTheRunHealthy(String preset, double accuracyFloor) {
        RunResult r = shortRun(preset, SHORT);
        assertEquals(Verdict.Kind.HEALTHY, r.summary().verdict().kind(), preset + ": " + r.summary().verdict().advice());
        assertTrue(r.summary().results().testAccuracy() >= accuracyFloor,
                preset + " accuracy " + r.summary().results().testAccuracy() + " < " + accuracyFloor);
    }

    /**
     * Clipping on bad-init: the optimizer's steps are bounded and the run learns, but the raw gradient is still ~300
     * (the weights are still N(0, 1)). The verdict judges the raw gradient: an explosion at the first step, contained
     * or not yet recovered from; never healthy.
     */
    @ParameterizedTest(name = "{0} learns (>= {1}) but its cause stays")
    @CsvSource({
        "bad-init-clip-global, 0.22",  // measured 0.293 (the clipped steps are short: it learns slowly)
        "bad-init-clip-layer,  0.33",  // 0.412
        "bad-init-clip-value,  0.50",  // 0.599
        "bad-init-agc,         0.40",  // 0.502
    })
    void clippingBadInitHelpsButTheCauseStays(String preset, double accuracyFloor) {
        RunResult r = shortRun(preset, SHORT);
        Verdict v = r.summary().verdict();
        assertTrue(v.exploded(), preset + ": " + v.summary());
        assertEquals(0L, v.events().get(0).iteration());
        assertTrue(v.kind() == Verdict.Kind.CONTAINED || v.kind() == Verdict.Kind.EXPLOSION, preset + ": " + v.summary());
        assertTrue(r.summary().results().testAccuracy() >= accuracyFloor,
                preset + " accuracy " + r.summary().results().testAccuracy() + " < " + accuracyFloor);
    }

    /** The remedies that do not rescue high-lr, as their descriptions say, are not called healthy either. */
    @Test
    void remediesThatDoNotRescueHighLrAreNotHealthy() {
        Verdict maxNorm = shortRun("high-lr-max-norm", SHORT).summary().verdict();
        assertEquals(Verdict.Kind.LARGE_UPDATES, maxNorm.kind(), maxNorm.summary());
        assertEquals("layer 2 (OutputLayer)", maxNorm.decidingEvent().layer(), "the output layer moves by a third of its weights");
        RunResult heInit = shortRun("high-lr-he-init", SHORT);
        assertTrue(heInit.summary().results().testAccuracy() >= 0.35, "measured 0.500");
        // Not learning either way; which rule fires first is decided by the last float digits of OpenBLAS's kernels,
        // which it picks per CPU: not_learning on the machine this test was written on, stalled at iteration 50 (loss 2.01 -> 1.94,
        // improvement 0.035 < 0.05) on an AVX-512 AMD EPYC.
        assertTrue(java.util.Set.of(Verdict.Kind.NOT_LEARNING, Verdict.Kind.STALLED).contains(heInit.summary().verdict().kind()),
                heInit.summary().verdict().summary());
    }

    /** The two remedies whose descriptions say they cannot rescue bad-init: the first step is not theirs to change. */
    @ParameterizedTest
    @CsvSource({"bad-init-autoclip", "bad-init-lr-decay"})
    void remedyThatActsTooLateStillExplodesAtTheFirstStep(String preset) {
        Verdict v = shortRun(preset, 5).summary().verdict();
        assertEquals("explosion", v.kind().label());
        assertEquals(0L, v.firstIteration());
    }

    /**
     * A max-norm constraint acts on the weights after each update, not on the gradient: the first
     * gradient (of the N(0, 1) weights) is still flagged, but the weights are pulled back to norm 2
     * per unit and the run recovers.
     */
    @Test
    void maxNormIsFlaggedAtTheFirstStepButRecovers() {
        RunResult r = shortRun("bad-init-max-norm", SHORT);
        // end to end through real training: flagged at its first step, then normal steps at an accuracy
        // above halfway from chance, so the explosion is marked recovered and the run is not a failure
        assertEquals("recovered", r.summary().verdict().kind().label());
        assertEquals(0L, r.summary().verdict().firstIteration());
        assertEquals(1, r.summary().verdict().events().size(), "nothing after the first step");
        ExplosionEvent event = r.summary().verdict().events().get(0);
        assertTrue(event.recoveredAt() != null && event.recoveredAt() > 0, "recovered_at " + event.recoveredAt());
        assertTrue(r.summary().verdict().exploded() && !r.summary().verdict().failed());
        assertTrue(r.summary().results().testAccuracy() >= 0.75, "measured 0.860: " + r.summary().results().testAccuracy());
    }

    @Test
    void deepGradientsGrowLayerByLayerTowardTheInput() {
        RunResult r = shortRun("deep", 20);
        LayerGradientProfile p = LayerGradientProfile.of(r.metrics(), 20);
        assertEquals(17, p.layers());
        for (int l = 0; l + 1 < p.layers() - 1; l++) {
            assertTrue(p.medianNorm()[l] > p.medianNorm()[l + 1], "layer " + l + " > layer " + (l + 1) + ": " + p);
        }
        assertTrue(p.inputOverLastHidden() > 10, "measured ~21: " + p);
        assertTrue(p.factorPerLayer() > 1.15, "measured ~1.23 per layer: " + p);
    }

    @Test
    void saturatingSoftmaxWithMseVanishesInsteadOfExploding() {
        RunResult saturating = shortRun("saturating", SHORT);
        ExperimentSpec crossEntropy = SpecOverrides.with(Presets.load("saturating"), "lossFunction", "MCXENT");
        double badInitFirst = new Trainer(null).run(SpecOverrides.with(crossEntropy, "epochs", 1), data, RunOptions.inMemory(1)).metrics().get(0).gradL2Global();
        assertFalse(saturating.summary().verdict().exploded(), "nothing explodes");
        assertTrue(saturating.summary().verdict().failed(), "but it fails: " + saturating.summary().verdict().summary());
        double max = saturating.summary().results().maxGradL2Global();
        assertTrue(max < badInitFirst / 50, "same weights, MSE instead of cross-entropy: max " + max + " vs " + badInitFirst);
        assertTrue(saturating.summary().results().testAccuracy() < 0.25, "measured 0.14: stuck near chance");
    }
}
