package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.Presets;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunSummary;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The presets' full five-epoch runs, as in {@code bench/sweep-all-presets.md} (5.6 minutes on a quiet
 * 2-core machine): run with {@code mvn test -Dtest=ScenarioPresetsFullTest -Dexplosionlab.full=true}. Floors
 * are the measured accuracies (comments) minus a margin.
 */
@EnabledIfSystemProperty(named = "explosionlab.full", matches = "true")
class ScenarioPresetsFullTest {
    static MnistLikeDataset data;

    @BeforeAll
    static void load() {
        data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
    }

    static RunSummary fullRun(String preset) {
        return new Trainer(null).run(Presets.load(preset), data, RunOptions.inMemory(0)).summary();
    }

    @ParameterizedTest(name = "{0}: healthy, accuracy >= {1}")
    @CsvSource({
        "seed-baseline,        0.92",  // measured 0.9406
        "bad-init-he-init,     0.90",  // 0.9366
        "high-lr-clip-global,  0.90",  // 0.9366
        "high-lr-clip-layer,   0.89",  // 0.9227
        "high-lr-clip-value,   0.90",  // 0.9406
        "high-lr-agc,          0.90",  // 0.9371
        "high-lr-autoclip,     0.92",  // 0.9546
    })
    void healthyAndAccurate(String preset, double floor) {
        RunSummary s = fullRun(preset);
        assertEquals(Verdict.Kind.HEALTHY, s.verdict().kind(), preset + ": " + s.verdict().advice());
        assertTrue(s.results().testAccuracy() >= floor, preset + ": " + s.results().testAccuracy());
    }

    /** Clipping on bad-init learns, but the raw gradient stays ~300: contained (bench/verdict-table.md), never healthy. */
    @ParameterizedTest(name = "{0}: contained, accuracy >= {1}")
    @CsvSource({
        "bad-init-clip-global, 0.70",  // 0.7525
        "bad-init-clip-layer,  0.73",  // 0.7735
        "bad-init-clip-value,  0.78",  // 0.8373
        "bad-init-agc,         0.76",  // 0.8204
    })
    void clippedBadInitIsContained(String preset, double floor) {
        RunSummary s = fullRun(preset);
        assertEquals(Verdict.Kind.CONTAINED, s.verdict().kind(), preset + ": " + s.verdict().summary());
        assertTrue(s.results().testAccuracy() >= floor, preset + ": " + s.results().testAccuracy());
    }

    /** The false alarms of the old relative test: 20 epochs (a ratio to a tiny late median), and batch sizes 16 and 256. */
    @ParameterizedTest(name = "seed-baseline {0}: healthy")
    @CsvSource({"epochs=20", "batchSize=16", "batchSize=256"})
    void seedBaselineStaysHealthyLongAndAtOtherBatchSizes(String override) {
        RunSummary s = new Trainer(null).run(org.explosionlab.spec.SpecOverrides.apply(Presets.load("seed-baseline"),
                java.util.List.of(override)), data, RunOptions.inMemory(0)).summary();
        assertEquals(Verdict.Kind.HEALTHY, s.verdict().kind(), override + ": " + s.verdict().advice());
        assertTrue(s.results().testAccuracy() > 0.9, override + ": " + s.results().testAccuracy());
    }

    @Test
    void badInitExplodesAtIterationZeroAndStaysLow() {
        RunSummary s = fullRun("bad-init");
        assertEquals("explosion", s.verdict().kind().label());
        assertEquals(0L, s.verdict().firstIteration());
        assertTrue(s.results().testAccuracy() < 0.35, "measured 0.2570");
    }

    @Test
    void maxNormIsFlaggedAtTheFirstStepButRecovers() {
        RunSummary s = fullRun("bad-init-max-norm");
        assertEquals(Verdict.Kind.RECOVERED, s.verdict().kind());
        assertEquals(0L, s.verdict().firstIteration());
        assertEquals(1, s.verdict().events().size());
        assertTrue(s.results().testAccuracy() > 0.9, "measured 0.9356");
    }

    /**
     * high-lr is chaotic: where its first spike lands depends on float32 rounding. On seed 42 its first long steps
     * kill most of the first layer's ReLUs (dead_units from iteration 203) and the spikes that follow are single
     * steps the next ones shrug off (not confirmed as explosions); it ends at 0.2011 (PyTorch: 0.386). What is
     * asserted: a failure after a healthy start, and an accuracy far below the baseline's 0.94.
     */
    @Test
    void highLrSpikesAfterAHealthyStartAndTrainsWorseThanTheBaseline() {
        RunSummary s = fullRun("high-lr");
        assertEquals(Verdict.Kind.DEAD_UNITS, s.verdict().kind(), s.verdict().summary());
        assertTrue(s.verdict().firstIteration() >= 100, "measured 203, " + s.verdict().firstIteration());
        assertTrue(s.results().testAccuracy() < 0.8, "measured 0.2011");
    }

    @Test
    void deepExplodesFromTheFirstStepYetLearnsSlowly() {
        RunSummary s = fullRun("deep");
        assertEquals(Verdict.Kind.RECOVERED, s.verdict().kind(), "above the ceiling at its first step, learning again from 501");
        assertEquals(0L, s.verdict().firstIteration());
        assertTrue(s.results().testAccuracy() > 0.5 && s.results().testAccuracy() < 0.85, "measured 0.6582");
    }

    @Test
    void saturatingNeverExplodesYetStalls() {
        RunSummary s = fullRun("saturating");
        assertEquals("stalled", s.verdict().kind().label(), "measured: stalled from iteration 294");
        assertEquals(0, s.verdict().events().get(0).layerMost(), "layer 0's update ratio 8e-5 is furthest from 1e-3");
        assertTrue(s.results().maxGradL2Global() < 2, "measured 0.796");
        assertTrue(s.results().testAccuracy() < 0.5, "measured 0.3403");
    }

    @Test
    void remediesThatCannotRescueSaySoAndDoNot() {
        RunSummary autoclip = fullRun("bad-init-autoclip");
        assertEquals(0L, autoclip.verdict().firstIteration());
        assertTrue(autoclip.results().testAccuracy() < 0.35, "no better than bad-init: measured 0.1876");
        RunSummary decay = fullRun("bad-init-lr-decay");
        assertEquals(0L, decay.verdict().firstIteration());
        assertTrue(decay.results().testAccuracy() < 0.35, "stays low: measured 0.2166");
        // He init under lr 1.0 still spikes, right at the detector's 10x line (10.2x at iteration 271 on
        // DL4J's step, then recovered; seed 43 ends at 0.40, unrecovered): the verdict is not asserted
        RunSummary he = fullRun("high-lr-he-init");
        assertTrue(he.results().testAccuracy() > 0.75, "measured 0.8124");
        RunSummary maxNorm = fullRun("high-lr-max-norm");
        assertEquals("stalled", maxNorm.verdict().kind().label(), "bounded weights, steps too long: stalled from 267");
        assertTrue(maxNorm.results().testAccuracy() < 0.5, "no better than high-lr: measured 0.3378");
        RunSummary lrDecay = fullRun("high-lr-lr-decay");
        assertEquals("vanishing", lrDecay.verdict().kind().label(), "the rate decays to ~1e-10: the updates vanish");
        assertTrue(lrDecay.results().testAccuracy() > 0.8, "measured 0.8478");
    }
}
