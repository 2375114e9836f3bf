package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.spec.EventKind;
import org.junit.jupiter.api.Test;

/**
 * The rules added so that no failed, unwatched or too short run is called healthy: large updates, dead units,
 * contained explosions, not learning, the raw-gradient explosion test, too_short / no_data / unwatched, and every
 * windowed rule judged at {@code verdict()} time for a run shorter than its window. Each sequence is written
 * out and each expected figure worked out here (defaults: large-update limit 0.1 over 50, dead units 70 % over
 * 50, contained 50 % of 100 steps shrunk ≥ 10x, at least 20 samples, accuracy limit 0.55).
 */
class VerdictRulesTest {
    private static final NetworkFacts MLP = new NetworkFacts(
            List.of("layer 0 (DenseLayer)", "layer 1 (DenseLayer)", "layer 2 (OutputLayer)"), new int[] {0, 1, 2},
            List.of("layer 0 (DenseLayer)", "layer 1 (DenseLayer)"), new int[] {0, 1}, "Adam", 1e-3, null, false, true);

    /** A learning sample: loss 0.5, minibatch accuracy 0.9, norms 1 (three layers of 1/√3), ratios 1e-3, no dead units. */
    private static IterationSample ok(long t) {
        return sample(t, 1.0, 1.0, false, 0.9, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0.05, 0.1});
    }

    private static IterationSample sample(long t, double raw, double applied, boolean clipped, double accuracy,
                                          double[] ratios, double[] dead) {
        double l = raw / Math.sqrt(3);
        return new IterationSample(t, 0, 0.5, raw, applied, new double[] {l, l, l}, raw / 10, 0, clipped, false,
                accuracy, ratios, 1e-3, dead);
    }

    private static ExplosionDetector detector() {
        return new ExplosionDetector(DetectorConfig.defaults(), MLP);
    }

    @Test
    void nothingRecordedIsNoDataAndNeverHealthy() {
        Verdict v = detector().verdict(Double.NaN);
        assertEquals(Verdict.Kind.NO_DATA, v.kind());
        assertFalse(v.healthy());
        assertTrue(v.advice().contains("setListeners"), v.advice());
    }

    @Test
    void fewerThanTwentySamplesIsTooShortAndNamesTheRules() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 19; t++) d.observe(ok(t));
        Verdict v = d.verdict(Double.NaN);
        assertEquals(Verdict.Kind.TOO_SHORT, v.kind());
        assertTrue(v.unjudged().keySet().containsAll(List.of("dead_units", "large_updates", "stalled", "not_learning")), v.unjudged().toString());
        d.observe(ok(19));
        assertEquals(Verdict.Kind.HEALTHY, d.verdict(Double.NaN).kind(), "20 learning samples are enough");
        assertTrue(d.verdict(Double.NaN).unjudged().isEmpty());
    }

    @Test
    void iterationsTheMonitorDidNotSeeAreUnwatched() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 100; t++) d.observe(ok(t));
        Verdict v = d.verdict(Double.NaN, 150);
        assertEquals(Verdict.Kind.UNWATCHED, v.kind());
        assertEquals(150, v.unwatchedIterations());
        assertTrue(v.advice().contains("150 iterations"), v.advice());
    }

    /**
     * Layer 2's ratio 0.37 (high-lr-max-norm's output layer), layers 0 and 1 at 0.05: after 50 samples the
     * median of layer 2 is 0.37 > 0.1, reported at the window's first iteration 0, layer_most = DL4J's 2.
     */
    @Test
    void updatesAboveATenthOfTheWeightsAreLargeUpdates() {
        ExplosionDetector d = detector();
        ExplosionEvent event = null;
        for (int t = 0; t < 50; t++) {
            var e = d.observe(sample(t, 1.0, 1.0, false, 0.9, new double[] {0.05, 0.05, 0.37}, new double[] {0, 0}));
            if (e.isPresent()) event = e.get();
        }
        assertEquals(EventKind.LARGE_UPDATES, event.kind());
        assertEquals(0, event.iteration());
        assertEquals(2, event.layerMost());
        assertEquals("layer 2 (OutputLayer)", event.layer());
        assertEquals(0.37, event.trigger().get("median_update_ratio"), 1e-12);
        assertTrue(event.advice().contains(".updater(new Adam("), event.advice());
        assertEquals(Verdict.Kind.LARGE_UPDATES, d.verdict(Double.NaN).kind());
    }

    /** A short run (30 samples) with the same ratios: judged at verdict time over the 30 it holds. */
    @Test
    void aShortRunIsJudgedOverWhatItHolds() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 30; t++) d.observe(sample(t, 1.0, 1.0, false, 0.9, new double[] {0.05, 0.05, 0.37}, new double[] {0, 0}));
        assertTrue(d.events().isEmpty(), "no full window yet");
        Verdict v = d.verdict(Double.NaN);
        assertEquals(Verdict.Kind.LARGE_UPDATES, v.kind());
        assertEquals(30.0, v.decidingEvent().trigger().get("window"));
    }

    /** 80 % of layer 0's units dead once 50 samples are recorded: dead_units, named layer 0, advice for an Adam user. */
    @Test
    void mostUnitsOfAReluLayerDeadIsDeadUnits() {
        ExplosionDetector d = detector();
        ExplosionEvent event = null;
        for (int t = 0; t < 50; t++) {
            var e = d.observe(sample(t, 1.0, 1.0, false, 0.9, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0.8, 0.1}));
            if (e.isPresent()) event = e.get();
        }
        assertEquals(EventKind.DEAD_UNITS, event.kind());
        assertEquals(49, event.iteration());
        assertEquals(0, event.layerMost());
        assertEquals(0.8, event.trigger().get("dead_fraction"));
        assertTrue(event.advice().contains(".updater(new Adam(0.0001))"), event.advice());
        // 69 % is below the limit
        ExplosionDetector below = detector();
        for (int t = 0; t < 50; t++) below.observe(sample(t, 1.0, 1.0, false, 0.9, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0.69, 0.1}));
        assertEquals(Verdict.Kind.HEALTHY, below.verdict(Double.NaN).kind());
    }

    /**
     * bad-init-clip-global's shape: raw norm 54.5 clipped to 1.0 on every step, accuracy fine. The first raw norm is
     * 312 (above the ceiling 100): an explosion at 0; it recovers at 1 (50 normal samples: 54.5 is no explosion
     * against its own median, and the accuracy is 0.9); contained over the 100-sample window with median shrink
     * 54.5 ≥ 10. The verdict is contained, not healthy, and the advice names the init.
     */
    @Test
    void aClipThatShrinksTheRawGradientTenfoldOnMostStepsIsContained() {
        ExplosionDetector d = detector();
        d.observe(sample(0, 312, 1.0, true, 0.1, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        for (int t = 1; t < 100; t++) d.observe(sample(t, 54.5, 1.0, true, 0.9, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        Verdict v = d.verdict(Double.NaN);
        assertEquals(Verdict.Kind.CONTAINED, v.kind());
        ExplosionEvent c = v.decidingEvent();
        assertEquals(1.0, c.trigger().get("clip_fraction"));
        assertEquals(54.5, c.trigger().get("median_shrink"), 1e-9);
        assertEquals(312.0, c.trigger().get("raw_norm_max"));
        assertTrue(c.message().contains("the initial weights"), c.message());
        assertTrue(c.advice().contains("--set weightInit=RELU"), c.advice());
        ExplosionEvent explosion = v.events().get(0);
        assertEquals(EventKind.EXPLOSION, explosion.kind());
        assertEquals(1L, explosion.recoveredAt());
        // the same clip on a healthy run (raw 1.2 clipped to 1.0): shrink 1.2, healthy
        ExplosionDetector mild = detector();
        for (int t = 0; t < 100; t++) mild.observe(sample(t, 1.2, 1.0, true, 0.9, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        assertEquals(Verdict.Kind.HEALTHY, mild.verdict(Double.NaN).kind());
    }

    /**
     * A remedy that did not rescue the run: raw norms around 1e5 clipped to 1.0, accuracy at chance. The explosion
     * (raw 1e5 > ceiling at step 0) never recovers (accuracy 0.1 < 0.55): explosion, whatever the clip let through.
     */
    @Test
    void theRawGradientDecidesAnExplosionNotWhatTheClipLetThrough() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 200; t++) d.observe(sample(t, 1e5, 1.0, true, 0.1, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        Verdict v = d.verdict(0.094);
        assertEquals(Verdict.Kind.EXPLOSION, v.kind());
        assertEquals(0L, v.firstIteration());
        assertTrue(v.decidingEvent().message().contains("raw global L2 norm"), v.decidingEvent().message());
    }

    /**
     * Accuracy 0.3 over the last 50 of 100 samples: not learning. The loss is flat too (0.5 throughout), so the
     * stall rule, judged over two windows of 50 at verdict time, also holds and decides (the more severe kind).
     */
    private ExplosionDetector learnt() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 100; t++) d.observe(ok(t));
        return d;
    }

    /**
     * The user trial's exploding SGD runs: layer 0 moved at iterations 0-2, then its ReLUs died and its updates were
     * exactly 0. The vanishing event starts where the updates stopped (iteration 3), not at the window's start (0).
     */
    @Test
    void vanishingStartsWhereTheUpdatesStoppedNotAtTheWindowStart() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 120; t++) {
            double[] ratios = t < 3 ? new double[] {1e-3, 1e-3, 1e-3} : new double[] {0, 1e-3, 1e-3};
            d.observe(sample(t, 1.0, 1.0, false, 0.9, ratios, new double[] {0.05, 0.1}));
        }
        ExplosionEvent v = d.verdict(Double.NaN).events().stream().filter(e -> e.kind() == EventKind.VANISHING)
                .findFirst().orElseThrow();
        assertEquals(3L, v.iteration(), v.message());
        assertTrue(v.message().startsWith("Vanishing updates from iteration 3 (epoch 0)"), v.message());
        assertTrue(v.message().contains("is exactly 0"), v.message());
        assertEquals(99.0, v.trigger().get("detected_at"), "judged when the first 100-sample window was full");
    }

    @Test
    void aRunThatEndsNearChanceIsNotLearning() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 100; t++) d.observe(sample(t, 1.0, 1.0, false, t < 50 ? 0.1 : 0.3, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        Verdict v = d.verdict(Double.NaN);
        assertEquals(Verdict.Kind.STALLED, v.kind());
        assertEquals(50.0, v.decidingEvent().trigger().get("window"), "two windows of half the run");
        ExplosionEvent notLearning = v.events().stream().filter(e -> e.kind() == EventKind.NOT_LEARNING).findFirst().orElseThrow();
        assertEquals(0.3, notLearning.trigger().get("batch_accuracy"), 1e-12);
        assertEquals(50L, notLearning.iteration(), "the last 50 samples");
        assertTrue(notLearning.message().startsWith("Not learning from iteration 50 (epoch 0) to iteration 99 (epoch 0):"),
                notLearning.message());                                 // the event's iteration is the one the message names first
        ExplosionEvent atEnd = learnt().verdict(0.2).events().stream().filter(e -> e.kind() == EventKind.NOT_LEARNING)
                .findFirst().orElseThrow();
        assertEquals(99L, atEnd.iteration(), "a final test accuracy judges where the run ended");
        assertTrue(atEnd.message().startsWith("Not learning by iteration 99 (epoch 0):"), atEnd.message());
        // a learning run with a final test accuracy of 0.2 did not generalise: not learning either
        ExplosionDetector learnt = detector();
        for (int t = 0; t < 100; t++) learnt.observe(ok(t));
        assertEquals(Verdict.Kind.NOT_LEARNING, learnt.verdict(0.2).kind());
        assertEquals(Verdict.Kind.HEALTHY, learnt.verdict(0.9).kind());
    }

    /**
     * A clipped SGD-20 run from the user trial: norm 5 at step 0, 2850 at step 1 (an explosion after a step: the
     * learning rate, not the init), then a network that fits its data: loss 1e-6, accuracy 1.0, gradients ~1e-7,
     * update ratios 0. Tiny gradients at a perfect accuracy are convergence: the explosion is recovered, nothing
     * vanished, nothing collapsed.
     */
    @Test
    void aRunThatFitsItsDataAfterAnExplosionRecovered() {
        ExplosionDetector d = detector();
        d.observe(sample(0, 5, 1.0, true, 0.3, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        d.observe(sample(1, 2850, 1.0, true, 0.4, new double[] {1e-3, 1e-3, 1e-3}, new double[] {0, 0}));
        for (int t = 2; t < 150; t++) {
            double l = 1e-7 / Math.sqrt(3);
            d.observe(new IterationSample(t, 0, 1e-6, 1e-7, 1e-7, new double[] {l, l, l}, 1e-8, 0, false, false, 1.0,
                    new double[] {0, 0, 0}, 20, new double[] {0, 0}));
        }
        Verdict v = d.verdict(Double.NaN);
        assertEquals(Verdict.Kind.RECOVERED, v.kind(), v.summary());
        assertEquals(List.of(EventKind.EXPLOSION), v.events().stream().map(ExplosionEvent::kind).toList());
        assertTrue(v.events().get(0).advice().startsWith("Try to lower the learning rate"), "not the init: " + v.events().get(0).advice());
    }

    /**
     * The seed model at batch 16, late in training: early norms 2.0 (reference a quarter of that, 0.5), then a
     * median of 0.24, loss 0.1, accuracy 0.95. A single norm of 6.8 (13.6x the reference) that the run shrugs off is
     * minibatch noise: no event, healthy. The same spike followed by a loss that jumps to 1.0 for the next 5 steps is
     * an explosion, reported when confirmed (5 samples later) with the spike's own iteration; followed by a second
     * spike, it is confirmed at once.
     */
    @Test
    void aRelativeSpikeBelowTheCeilingIsAnExplosionOnlyWhenTheNextStepsConfirmIt() {
        for (String after : List.of("nothing", "loss", "spike")) {
            ExplosionDetector d = detector();
            ExplosionEvent returned = null;
            long returnedAt = -1;
            for (int t = 0; t < 400; t++) {
                double raw = t < 50 ? 2.0 : t == 300 ? 6.8 : after.equals("spike") && t == 301 ? 7.0 : 0.24;
                double loss = after.equals("loss") && t > 300 && t <= 305 ? 1.0 : 0.1;
                double l = raw / Math.sqrt(3);
                var e = d.observe(new IterationSample(t, 0, loss, raw, raw, new double[] {l, l, l}, raw / 10, 0, false, false,
                        0.95, new double[] {1e-3, 1e-3, 1e-3}, 1e-3, new double[] {0, 0}));
                if (e.isPresent() && returned == null) {
                    returned = e.get();
                    returnedAt = t;
                }
            }
            switch (after) {
                case "nothing" -> {
                    assertEquals(null, returned, "a transient spike is no event");
                    assertEquals(Verdict.Kind.HEALTHY, d.verdict(Double.NaN).kind());
                }
                case "loss" -> {
                    assertEquals(EventKind.EXPLOSION, returned.kind());
                    assertEquals(300, returned.iteration(), "the spike's own iteration");
                    assertEquals(305, returnedAt, "confirmed by the 5 steps after it");
                }
                default -> {
                    assertEquals(300, returned.iteration());
                    assertEquals(301, returnedAt, "a second spike confirms at once");
                }
            }
        }
    }

    @Test
    void theSummaryNamesKindFirstEventLayerTriggerAndAdvice() {
        ExplosionDetector d = detector();
        for (int t = 0; t < 50; t++) d.observe(sample(t, 1.0, 1.0, false, 0.9, new double[] {0.05, 0.05, 0.37}, new double[] {0, 0}));
        String s = d.verdict(Double.NaN).summary();
        assertTrue(s.startsWith("verdict large_updates over 50 recorded iterations; first event: large_updates at iteration 0"
                + " in layer 2 (OutputLayer), trigger {median_update_ratio=0.37"), s);
        assertTrue(s.contains("Lower the learning rate"), s);
        assertNotEquals(Verdict.Kind.HEALTHY, d.verdict(Double.NaN).kind());
    }
}
