package org.explosionlab.detection;

import static org.explosionlab.detection.Samples.fromLayers;
import static org.explosionlab.detection.Samples.global;
import static org.explosionlab.detection.Samples.layered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.explosionlab.spec.EventKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExplosionDetectorTest {
    /** The relative test's arithmetic, each spike reported at once (no confirmation window; see VerdictRulesTest for it). */
    private static final DetectorConfig IMMEDIATE = DetectorConfig.defaults().toBuilder().confirmWindow(0).build();


    private static final double LN10 = Math.log(10);
    private static final int ITERATIONS_PER_EPOCH = 300;

    /** Feeds every sample and returns the iterations at which observe() reported something. */
    private static List<ExplosionEvent> feed(ExplosionDetector detector, List<IterationSample> samples) {
        List<ExplosionEvent> returned = new ArrayList<>();
        for (IterationSample s : samples) {
            detector.observe(s).ifPresent(returned::add);
        }
        return returned;
    }

    /**
     * Seed-model-like run: global norm trend 0.5 + 4.5·e^(−t/30) (decaying start), times uniform noise
     * in [0.7, 1.4], times 3 every 97th iteration (bumps). Why no event can fire, by hand:
     * every previous value is ≥ 0.7·trend(t) because the trend only decreases, so the trailing median
     * is ≥ 0.7·trend(t), while g_t ≤ 3·1.4·trend(t): the ratio is at most 4.2/0.7 = 6 < 10. The norm
     * stays ≤ 5·1.4·3 = 21 < 1000 and ≥ 0.5·0.7 ≫ 1e-4, and nothing is non-finite.
     */
    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 42L, 2024L, 31337L})
    void noisyHealthyRunWithDecayingStartAndBumpsRaisesNoEvent(long seed) {
        Random random = new Random(seed);
        List<IterationSample> samples = new ArrayList<>();
        for (int t = 0; t < 5 * ITERATIONS_PER_EPOCH; t++) {
            double trend = 0.5 + 4.5 * Math.exp(-t / 30.0);
            double g = trend * (0.7 + 0.7 * random.nextDouble()) * (t % 97 == 50 ? 3 : 1);
            double loss = 0.05 + 2.25 * Math.exp(-t / 60.0) * (0.9 + 0.2 * random.nextDouble());
            double[] layers = {0.8 * g * (0.8 + 0.45 * random.nextDouble()),
                    0.5 * g * (0.8 + 0.45 * random.nextDouble()),
                    0.3 * g * (0.8 + 0.45 * random.nextDouble())};
            samples.add(layered(t, t / ITERATIONS_PER_EPOCH, loss, g, layers));
        }
        ExplosionDetector detector = new ExplosionDetector();

        assertEquals(List.of(), feed(detector, samples));
        Verdict verdict = detector.verdict(0.97);
        assertFalse(verdict.exploded());
        assertEquals("healthy", verdict.kind().label());
        assertNull(verdict.firstIteration());
    }

    /**
     * Like PyTorch with N(0,1) init + SGD 0.1: norms 4.8, 2.9, 1.7, then 950 at iteration 3, then a dead
     * network (layers 0 and 1 pass no gradient, the output bias ~1e-7) at loss ln 10 for 600 iterations.
     * Explosion at 3: median(4.8, 2.9, 1.7) = 2.9 and 950 > 10·2.9. Collapse: the dead stretch starts at 4,
     * so its 100th sample is iteration 103.
     */
    @Test
    void spikeThenDeadNetworkIsAnExplosionFollowedByACollapse() {
        List<IterationSample> samples = new ArrayList<>();
        samples.add(layered(0, 0, 2.95, 4.8, 3.9, 2.0, 1.5));
        samples.add(layered(1, 0, 2.60, 2.9, 2.4, 1.2, 0.9));
        samples.add(layered(2, 0, 2.45, 1.7, 1.4, 0.7, 0.5));
        samples.add(layered(3, 0, 14.2, 950, 930, 150, 60));
        Random random = new Random(3);
        for (int t = 4; t < 604; t++) {
            double g = 1e-7 * (0.5 + random.nextDouble());
            double loss = LN10 + 1e-5 * (random.nextDouble() - 0.5);
            samples.add(layered(t, t / ITERATIONS_PER_EPOCH, loss, g, 0.0, 0.0, g));
        }
        ExplosionDetector detector = new ExplosionDetector();
        List<Optional<ExplosionEvent>> returned = new ArrayList<>();
        for (IterationSample s : samples) {
            returned.add(detector.observe(s));
        }

        ExplosionEvent explosion = returned.get(3).orElseThrow();
        assertEquals(EventKind.EXPLOSION, explosion.kind());
        assertEquals(3, explosion.iteration());
        assertEquals(0, explosion.epoch());
        // layer ratios at 3: 930/2.4 = 387.5, 150/1.2 = 125, 60/0.9 = 66.7; all grew at 3 → first = 0 (tie), most = 0
        assertEquals(0, explosion.layerFirst());
        assertEquals(0, explosion.layerMost());
        assertEquals(950.0, explosion.trigger().get("global_norm"));
        assertEquals(2.9, explosion.trigger().get("recent_median"));
        assertEquals(950 / 2.9, explosion.trigger().get("ratio"), 1e-9);
        assertEquals(10.0, explosion.trigger().get("factor"));
        assertEquals(100.0, explosion.trigger().get("ceiling"));
        assertTrue(explosion.message().contains("iteration 3"), explosion.message());
        assertTrue(explosion.advice().contains("--set clipping=global_l2 --set clipThreshold=1.0"),
                explosion.advice());

        for (int i = 0; i < samples.size(); i++) {
            if (i != 3 && i != 103) {
                assertTrue(returned.get(i).isEmpty(), "unexpected event at sample " + i + ": " + returned.get(i));
            }
        }
        ExplosionEvent collapse = returned.get(103).orElseThrow();
        assertEquals(EventKind.COLLAPSE, collapse.kind());
        assertEquals(4, collapse.iteration());
        assertEquals(0, collapse.epoch());
        assertNull(collapse.layerFirst());
        assertNull(collapse.layerMost());
        assertEquals(103.0, collapse.trigger().get("detected_at"));
        assertEquals(0.0, collapse.trigger().get("smallest_norm_max"));
        assertEquals(100.0, collapse.trigger().get("window"));
        assertTrue(collapse.trigger().get("loss_deviation_max") <= 0.5e-5);
        assertTrue(collapse.advice().contains("--set weightInit=RELU"), collapse.advice());

        Verdict verdict = detector.verdict(0.11);
        assertTrue(verdict.exploded());
        assertEquals("explosion", verdict.kind().label());
        assertEquals(3L, verdict.firstIteration());
        assertEquals(List.of(EventKind.EXPLOSION, EventKind.COLLAPSE, EventKind.NOT_LEARNING),
                verdict.events().stream().map(ExplosionEvent::kind).toList());
        assertEquals(0.11, verdict.events().get(1).trigger().get("final_accuracy"));
        assertEquals(0.15, verdict.events().get(1).trigger().get("chance_accuracy_max"));
        assertTrue(verdict.advice().contains("explosion at iteration 3"), verdict.advice());
    }

    @Test
    void collapseIsDroppedWhenTheFinalAccuracyIsAboveChanceAndKeptWhenUnknown() {
        ExplosionDetector detector = new ExplosionDetector();
        for (int t = 0; t < 100; t++) {
            detector.observe(global(t, 0, LN10, 1e-6));
        }
        assertEquals(List.of(EventKind.COLLAPSE), detector.events().stream().map(ExplosionEvent::kind).toList());

        Verdict above = detector.verdict(0.16);
        assertTrue(above.events().stream().noneMatch(e -> e.kind() == EventKind.COLLAPSE), "0.16 is above chance: no collapse");
        assertEquals("not_learning", above.kind().label(), "but 0.16 is far below what a learning run reaches");
        Verdict unknown = detector.verdict(Double.NaN);
        assertEquals("collapse", unknown.kind().label());
        assertEquals(0L, unknown.firstIteration());
        assertFalse(unknown.events().get(0).trigger().containsKey("final_accuracy"));
        assertEquals("collapse", detector.verdict(0.15).kind().label());
    }

    /**
     * No layer norms, so the smallest norm is the global one. Dead samples (g ≤ 3e-6, loss within 0.02 of
     * ln 10) at 10..69, one off-chance loss at 70 (deviation 0.097 > 0.05), dead again from 71: the 100th
     * dead sample in a row is iteration 170, and the collapse is reported at 71.
     */
    @Test
    void collapseNeedsAnUninterruptedStretchAndStartsWhereTheLastStretchBegan() {
        ExplosionDetector detector = new ExplosionDetector();
        List<IterationSample> samples = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            samples.add(global(t, 0, 0.5, 2.0));
        }
        for (int t = 10; t < 250; t++) {
            double loss = t == 70 ? 2.40 : LN10 + 0.01 * (t % 5 - 2);
            samples.add(global(t, 0, loss, 1e-6 * (1 + t % 3)));
        }
        List<Long> detectedAt = new ArrayList<>();
        List<ExplosionEvent> events = new ArrayList<>();
        for (IterationSample s : samples) {
            detector.observe(s).ifPresent(e -> {
                detectedAt.add(s.iteration());
                events.add(e);
            });
        }
        assertEquals(List.of(170L), detectedAt);
        ExplosionEvent collapse = events.get(0);
        assertEquals(71, collapse.iteration());
        assertEquals(3e-6, collapse.trigger().get("smallest_norm_max"), 1e-18);
        assertEquals(0.02, collapse.trigger().get("loss_deviation_max"), 1e-12);
        assertEquals(1e-4, collapse.trigger().get("grad_max"));
        assertEquals(LN10, collapse.trigger().get("chance_loss"));
    }

    @Test
    void aGradientAboveTheCollapseThresholdInterruptsTheStretch() {
        ExplosionDetector detector = new ExplosionDetector();
        for (int t = 0; t < 150; t++) {
            detector.observe(global(t, 0, LN10, t == 60 ? 2e-4 : 5e-5));
        }
        // dead 0..59, live at 60, dead 61..149 = 89 samples: no collapse yet
        assertEquals(List.of(), detector.events());
        detector.observe(global(150, 0, LN10, 5e-5));
        detector.observe(global(151, 0, LN10, 5e-5));
        // 61..150 are 90 samples; the 100th is 160
        assertEquals(List.of(), detector.events());
        for (int t = 152; t <= 160; t++) {
            detector.observe(global(t, 0, LN10, 5e-5));
        }
        assertEquals(61, detector.events().get(0).iteration());
    }

    @Test
    void nanLossIsNonFiniteAtThatIterationAndReportedOnce() {
        ExplosionDetector detector = new ExplosionDetector();
        List<Long> detectedAt = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            double loss = t >= 37 ? Double.NaN : 1.0 - t / 100.0;
            IterationSample s = layered(t, t / 20, loss, 1.5, 1.2, 0.8, 0.4);
            detector.observe(s).ifPresent(e -> detectedAt.add(s.iteration()));
        }
        assertEquals(List.of(37L), detectedAt);
        ExplosionEvent event = detector.events().get(0);
        assertEquals(EventKind.NONFINITE, event.kind());
        assertEquals(37, event.iteration());
        assertEquals(1, event.epoch());
        assertTrue(Double.isNaN(event.trigger().get("loss")));
        assertEquals(1.5, event.trigger().get("global_norm"));
        assertEquals(0.0, event.trigger().get("nonfinite_elements"));
        assertNull(event.layerFirst(), "no layer grew: the gradients were steady");
        assertNull(event.layerMost());
        Verdict verdict = detector.verdict(Double.NaN);
        assertEquals("nonfinite", verdict.kind().label());
        assertEquals(37L, verdict.firstIteration());
    }

    @Test
    void nonFiniteGradientElementsOrNormAreNonFiniteEvenWithAFiniteLoss() {
        ExplosionDetector elements = new ExplosionDetector();
        elements.observe(global(0, 0, 2.0, 1.0));
        IterationSample withNaNElements = new IterationSample(1, 0, 2.0, Double.NaN, Double.NaN,
                new double[] {Double.NaN, 0.5}, Double.NaN, 12, false, true);
        ExplosionDetector layered = new ExplosionDetector();
        layered.observe(fromLayers(0, 0, 2.0, 1.0, 0.5));
        ExplosionEvent event = layered.observe(withNaNElements).orElseThrow();
        assertEquals(EventKind.NONFINITE, event.kind());
        assertEquals(12.0, event.trigger().get("nonfinite_elements"));
        // a non-finite layer norm counts as grown with an infinite ratio, even before warm-up
        assertEquals(0, event.layerFirst());
        assertEquals(0, event.layerMost());

        ExplosionDetector overflow = new ExplosionDetector();
        overflow.observe(global(0, 0, 2.0, 1.0));
        assertEquals(EventKind.NONFINITE,
                overflow.observe(global(1, 0, 2.0, Double.POSITIVE_INFINITY)).orElseThrow().kind());
    }

    /**
     * Glorot + SGD 1.0: 1.5, 3, 40, 2e4, then Inf/NaN. At 2 the relative test is not live yet (2 previous
     * norms < warm-up 3) and 40 < 1000. At 3: 2e4 > 1000 and 2e4 > 10·median(1.5, 3, 40) = 30. At 4: nonfinite.
     */
    @Test
    void blowUpToHugeThenNonFiniteIsAnExplosionThenANonFinite() {
        ExplosionDetector detector = new ExplosionDetector();
        List<Optional<ExplosionEvent>> returned = new ArrayList<>();
        double[] norms = {1.5, 3.0, 40, 2e4, Double.POSITIVE_INFINITY, Double.NaN};
        double[] losses = {2.3, 2.2, 9.0, 310, Double.NaN, Double.NaN};
        for (int t = 0; t < norms.length; t++) {
            returned.add(detector.observe(global(t, 0, losses[t], norms[t])));
        }
        assertTrue(returned.get(2).isEmpty());
        ExplosionEvent explosion = returned.get(3).orElseThrow();
        assertEquals(EventKind.EXPLOSION, explosion.kind());
        assertEquals(3.0, explosion.trigger().get("recent_median"));
        assertEquals(2e4 / 3.0, explosion.trigger().get("ratio"), 1e-9);
        assertTrue(explosion.message().contains("above the ceiling"), explosion.message());
        assertTrue(explosion.message().contains("its reference 3.00"), explosion.message());
        assertEquals(EventKind.NONFINITE, returned.get(4).orElseThrow().kind());
        assertTrue(returned.get(5).isEmpty());

        Verdict verdict = detector.verdict(0.098);
        assertEquals("explosion", verdict.kind().label());
        assertEquals(3L, verdict.firstIteration());
        assertEquals(List.of(3L, 4L), verdict.events().stream().filter(e -> e.kind() != EventKind.NOT_LEARNING)
                .map(ExplosionEvent::iteration).toList());
        // 6 samples are too few to judge not_learning: the test accuracy at chance does not make it one
        assertTrue(verdict.events().stream().noneMatch(e -> e.kind() == EventKind.NOT_LEARNING), verdict.summary());
        assertTrue(verdict.unjudged().containsKey("not_learning"));
    }

    @Test
    void theCeilingFiresBeforeWarmUpAndTheRelativeTestDoesNot() {
        ExplosionDetector relativeOnly = new ExplosionDetector(DetectorConfig.defaults().withAbsoluteCeiling(1e3));
        relativeOnly.observe(global(0, 0, 2.3, 1.0));
        relativeOnly.observe(global(1, 0, 2.3, 2.0));
        // 500 is 333x the median of 2 values, but warm-up needs 3; 500 < the ceiling of 1000 set here
        assertTrue(relativeOnly.observe(global(2, 0, 2.3, 500)).isEmpty());

        ExplosionDetector ceiling = new ExplosionDetector();
        ceiling.observe(layered(0, 0, 2.3, 2.0, 1.5, 1.0, 0.8));
        ExplosionEvent event = ceiling.observe(layered(1, 0, 40, 5000, 4000, 2500, 1500)).orElseThrow();
        assertEquals(EventKind.EXPLOSION, event.kind());
        assertEquals(1, event.iteration());
        assertEquals(2.0, event.trigger().get("recent_median"));
        assertEquals(2500.0, event.trigger().get("ratio"));
        assertFalse(event.message().contains("its recent median"), event.message());
        // one previous sample is below the warm-up: no layer growth is judged, so the event names the layer
        // with the largest norm (4000 of layers 4000, 2500, 1500) as both first and most affected
        assertEquals(0, event.layerFirst());
        assertEquals(0, event.layerMost());
        assertTrue(event.message().contains("the largest norm is layer 0's"), event.message());
    }

    @Test
    void anExplosionAtTheFirstStepHasNoMedianOrRatioAndNamesTheLargestLayer() {
        ExplosionDetector detector = new ExplosionDetector();
        ExplosionEvent event = detector.observe(layered(0, 0, 21.6, 312, 250, 180, 50)).orElseThrow();
        assertEquals(0, event.iteration());
        assertEquals(List.of("global_norm", "factor", "ceiling"), List.copyOf(event.trigger().keySet()),
                "no history: no recent_median or ratio (never NaN)");
        assertEquals(0, event.layerFirst());
        assertEquals(0, event.layerMost());
    }

    @Test
    void theRelativeTestNeedsTheNormAboveTheFloor() {
        ExplosionDetector dead = new ExplosionDetector();
        for (int t = 0; t < 10; t++) {
            dead.observe(global(t, 0, 0.5, 1e-7));
        }
        assertTrue(dead.observe(global(10, 0, 0.5, 5e-6)).isEmpty(), "50x of 1e-7 is noise, not an explosion");

        ExplosionDetector small = new ExplosionDetector(IMMEDIATE);
        for (int t = 0; t < 10; t++) {
            small.observe(global(t, 0, 0.5, 0.05));
        }
        assertTrue(small.observe(global(10, 0, 0.5, 0.9)).isEmpty(), "18x but below the floor 1.0");
        ExplosionEvent event = small.observe(global(11, 0, 0.5, 1.2)).orElseThrow();
        assertEquals(11, event.iteration());
        // window holds ten 0.05 and one 0.9: median 0.05
        assertEquals(0.05, event.trigger().get("recent_median"));
    }

    /**
     * Three layers at (1.0, 0.5, 0.2) for iterations 0..29, global √1.29 = 1.1358. A blip of layer 2 to
     * 3.0 (15x) at 10 (global 3.20 < 11.4) ends at 11, so it does not count. Layer 1 grows to 6.0 (12x)
     * at 30: global √37.04 = 6.09 = 5.4x, no event. At 31: layers (12, 8, 5), global √233 = 15.26 = 13.4x
     * its median → explosion. Grown at 31: layer 0 (12x, since 31), layer 1 (16x, since 30), layer 2
     * (25x, since 31). So layer_first = 1 and layer_most = 2.
     */
    @Test
    void layerFirstIsTheEarliestUninterruptedGrowthAndLayerMostTheLargestRatio() {
        ExplosionDetector detector = new ExplosionDetector(IMMEDIATE);
        for (int t = 0; t < 30; t++) {
            double[] layers = t == 10 ? new double[] {1.0, 0.5, 3.0} : new double[] {1.0, 0.5, 0.2};
            assertTrue(detector.observe(fromLayers(t, 0, 1.0, layers)).isEmpty(), "iteration " + t);
        }
        assertTrue(detector.observe(fromLayers(30, 0, 1.0, 1.0, 6.0, 0.2)).isEmpty());
        ExplosionEvent event = detector.observe(fromLayers(31, 0, 1.0, 12.0, 8.0, 5.0)).orElseThrow();
        assertEquals(EventKind.EXPLOSION, event.kind());
        assertEquals(31, event.iteration());
        assertEquals(1, event.layerFirst());
        assertEquals(2, event.layerMost());
        assertEquals(Math.sqrt(233) / Math.sqrt(1.29), event.trigger().get("ratio"), 1e-9);
        assertTrue(event.message().contains("layer 1 grew first, layer 2 most"), event.message());
    }

    @Test
    void oneSampleWithTwoKindsRecordsBothAndReturnsTheNonFiniteOne() {
        ExplosionDetector detector = new ExplosionDetector();
        detector.observe(global(0, 0, 2.3, 1.0));
        ExplosionEvent returned = detector.observe(global(1, 0, Double.NaN, 5000)).orElseThrow();
        assertEquals(EventKind.NONFINITE, returned.kind());
        Verdict verdict = detector.verdict(Double.NaN);
        assertEquals(List.of(EventKind.NONFINITE, EventKind.EXPLOSION),
                verdict.events().stream().map(ExplosionEvent::kind).toList());
        assertEquals("nonfinite", verdict.kind().label());
    }


    @Test
    void samplesOutOfOrderOrWithChangingLayersAreRejected() {
        ExplosionDetector detector = new ExplosionDetector();
        detector.observe(fromLayers(5, 0, 1.0, 1.0, 2.0));
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class,
                () -> detector.observe(fromLayers(5, 0, 1.0, 1.0, 2.0)));
        assertTrue(order.getMessage().contains("increasing iteration order"), order.getMessage());
        IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
                () -> detector.observe(fromLayers(6, 0, 1.0, 1.0, 2.0, 3.0)));
        assertTrue(layers.getMessage().contains("has 3 layer norms but earlier iterations had 2"),
                layers.getMessage());
        assertThrows(IllegalArgumentException.class, () -> detector.verdict(1.5));
    }
}
