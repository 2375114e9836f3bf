package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.explosionlab.spec.EventKind;
import org.junit.jupiter.api.Test;

/**
 * The verdict kinds beyond explosion and non-finite values — recovered, vanishing, stalled — and the early
 * reference that keeps a late, ordinary norm from being an explosion. Every sequence is written out here,
 * and every expected number is worked out by hand in the comments (defaults: factor 10, W = 50, ceiling
 * 100, reference fraction 0.25, vanishing 1e-5 over 100, stall 5 % over 2 × 250 below accuracy 0.55,
 * recovery 50).
 */
class FailureKindsTest {

    /** A sample with three layer norms summing in squares to {@code g}, a minibatch accuracy, update ratios and a learning rate. */
    private static IterationSample sample(long t, double loss, double g, double accuracy, double lr, double... ratios) {
        double layer = g / Math.sqrt(3);
        return new IterationSample(t, (int) (t / 250), loss, g, g, new double[] {layer, layer, layer}, g / 10, 0,
                false, false, accuracy, ratios, lr);
    }

    private static List<Optional<ExplosionEvent>> feed(ExplosionDetector d, List<IterationSample> samples) {
        List<Optional<ExplosionEvent>> out = new ArrayList<>();
        for (IterationSample s : samples) out.add(d.observe(s));
        return out;
    }

    /**
     * 50 norms of 1.3 (the early reference: median 1.3, a quarter of it 0.325), then 200 of 0.12 (recent
     * median 0.12). 1.40 is 11.7× the recent median, but the reference is max(0.12, 0.325) = 0.325 and
     * 1.40 < 10 · 0.325 = 3.25: no event. 3.5 > 3.25: an explosion, ratio 3.5 / 0.325 = 10.77.
     */
    @Test
    void anOrdinaryNormLateInTrainingIsNoExplosionButOneLargeForTheRunIs() {
        // the reference arithmetic, each spike reported at once (the confirmation window is VerdictRulesTest's)
        ExplosionDetector d = new ExplosionDetector(DetectorConfig.defaults().toBuilder().confirmWindow(0).build());
        List<IterationSample> s = new ArrayList<>();
        for (int t = 0; t < 50; t++) s.add(sample(t, 0.5, 1.3, 0.9, 1e-3, 1e-3, 1e-3, 1e-3));
        for (int t = 50; t < 250; t++) s.add(sample(t, 0.05, 0.12, 0.99, 1e-3, 1e-3, 1e-3, 1e-3));
        feed(d, s).forEach(e -> assertTrue(e.isEmpty(), e.toString()));
        assertTrue(d.observe(sample(250, 0.05, 1.40, 0.99, 1e-3, 1e-3, 1e-3, 1e-3)).isEmpty(),
                "11.7x a tiny late median, below 10x the early reference");
        ExplosionEvent e = d.observe(sample(251, 0.05, 3.5, 0.99, 1e-3, 1e-3, 1e-3, 1e-3)).orElseThrow();
        assertEquals(EventKind.EXPLOSION, e.kind());
        assertEquals(0.12, e.trigger().get("recent_median"));
        assertEquals(0.325, e.trigger().get("reference"), 1e-12);
        assertEquals(3.5 / 0.325, e.trigger().get("ratio"), 1e-9);
    }

    /**
     * 10 samples at norm 1, loss 2.0; at 10 a norm of 500 (> the ceiling 100): explosion. Then norm 1 at
     * accuracy 0.9 (≥ 0.55): samples 11..60 are the first 50 normal ones, so recovered_at = 11. A second
     * spike at 100 is a relapse (recovery withdrawn); 101..150 recover again: recovered_at = 101.
     */
    @Test
    void anExplosionThatTrainingGetsOverIsRecoveredAndARelapseWithdrawsIt() {
        ExplosionDetector d = new ExplosionDetector();
        List<IterationSample> s = new ArrayList<>();
        for (int t = 0; t < 10; t++) s.add(sample(t, 2.0, 1.0, 0.3, 0.1));
        s.add(sample(10, 9.0, 500, 0.1, 0.1));
        for (int t = 11; t < 100; t++) s.add(sample(t, 0.4, 1.0, 0.9, 0.1));
        feed(d, s);
        Verdict recovered = d.verdict(Double.NaN);
        assertEquals(Verdict.Kind.RECOVERED, recovered.kind());
        assertEquals(11L, recovered.events().get(0).recoveredAt());
        assertTrue(recovered.exploded(), "it did explode");
        assertFalse(recovered.failed(), "but it did not fail");
        assertEquals(10L, recovered.firstIteration());
        assertTrue(recovered.advice().contains("recovered: normal steps from iteration 11"), recovered.advice());

        d.observe(sample(100, 9.0, 500, 0.1, 0.1));
        assertEquals("explosion", d.verdict(Double.NaN).kind().label(), "relapsed at 100");
        assertNull(d.verdict(Double.NaN).events().get(0).recoveredAt());
        for (int t = 101; t < 151; t++) d.observe(sample(t, 0.4, 1.0, 0.9, 0.1));
        assertEquals(101L, d.verdict(Double.NaN).events().get(0).recoveredAt());
    }

    /** The same explosion followed by small, steady norms at accuracy 0.2 (< 0.55): never recovered. */
    @Test
    void anExplosionThatLeavesTheNetworkGuessingIsNotRecovered() {
        ExplosionDetector d = new ExplosionDetector();
        for (int t = 0; t < 10; t++) d.observe(sample(t, 2.0, 1.0, 0.3, 0.1));
        d.observe(sample(10, 9.0, 500, 0.1, 0.1));
        for (int t = 11; t < 400; t++) d.observe(sample(t, 2.1 - t * 1e-4, 0.5, 0.2, 0.1));
        Verdict v = d.verdict(Double.NaN);
        assertEquals("explosion", v.kind().label());
        assertNull(v.events().get(0).recoveredAt());
    }

    /**
     * Layer ratios (1e-3, 1e-3, 1e-3) for samples 0..49, then layer 0 at 1e-7. The window of 100 holds
     * n − 49 tiny values at sample n; its median (mean of the 50th and 51st sorted) is tiny from 51 of them
     * on, i.e. at sample 100 (window 1..100). The event sits where layer 0's ratio fell below the limit and
     * stayed there: iteration 50. The learning rate stays 0.1: the gradient is the cause.
     */
    @Test
    void aLayerWhoseWeightsStopMovingIsVanishing() {
        ExplosionDetector d = new ExplosionDetector();
        List<Optional<ExplosionEvent>> out = new ArrayList<>();
        for (int t = 0; t < 150; t++) {
            double r0 = t < 50 ? 1e-3 : 1e-7;
            out.add(d.observe(sample(t, 1.0 - t * 1e-3, 1.0, 0.9, 0.1, r0, 1e-3, 1e-3)));
        }
        for (int t = 0; t < 150; t++) {
            if (t != 100) assertTrue(out.get(t).isEmpty(), "sample " + t + ": " + out.get(t));
        }
        ExplosionEvent e = out.get(100).orElseThrow();
        assertEquals(EventKind.VANISHING, e.kind());
        assertEquals(50, e.iteration());
        assertTrue(e.message().startsWith("Vanishing updates from iteration 50 (epoch 0)"), e.message());
        assertEquals(0, e.layerFirst());
        assertEquals(0, e.layerMost());
        assertEquals(1e-7, e.trigger().get("median_update_ratio"), 1e-20);
        assertEquals(100.0, e.trigger().get("detected_at"));
        assertTrue(e.message().contains("too small to move its weights"), e.message());
        assertEquals("vanishing", d.verdict(Double.NaN).kind().label());
    }

    /** All three layers' ratios follow a learning rate that falls from 0.1 to 1e-9: the schedule is named. */
    @Test
    void updatesThatVanishWithTheLearningRateNameTheSchedule() {
        ExplosionDetector d = new ExplosionDetector();
        ExplosionEvent found = null;
        for (int t = 0; t < 300 && found == null; t++) {
            double lr = 0.1 * Math.pow(1e-8, t / 299.0);
            double r = 1e-2 * lr;
            found = d.observe(sample(t, 1.0 - t * 1e-3, 1.0, 0.9, lr, r, r, r)).orElse(null);
        }
        assertEquals(EventKind.VANISHING, found.kind());
        assertTrue(found.message().contains("the learning rate fell from 0.100 to"), found.message());
        assertTrue(found.message().contains("the schedule decays too fast"), found.message());
    }

    /**
     * Loss 1.0 for 500 samples at accuracy 0.3: windows A = 0..249 and B = 250..499 both average 1.0, an
     * improvement of 0 % (< 5 %) below accuracy 0.55 → stalled at sample 499, reported at iteration 250
     * (B's start). Layer 0's ratio 1e-5 is the furthest from 1e-3 (2 decades, against 0 and 0.5): named.
     */
    @Test
    void aFlatLossFarFromHealthyIsStalled() {
        ExplosionDetector d = new ExplosionDetector();
        List<Optional<ExplosionEvent>> out = new ArrayList<>();
        for (int t = 0; t < 500; t++) out.add(d.observe(sample(t, 1.0, 0.5, 0.3, 0.1, 1e-5, 1e-3, 10e-3 / Math.sqrt(10))));
        for (int t = 0; t < 499; t++) assertTrue(out.get(t).isEmpty(), "sample " + t);
        ExplosionEvent e = out.get(499).orElseThrow();
        assertEquals(EventKind.STALLED, e.kind());
        assertEquals(250, e.iteration());
        assertEquals(0.0, e.trigger().get("improvement"), 1e-12);
        assertEquals(0.3, e.trigger().get("batch_accuracy"), 1e-12);
        assertEquals(0, e.layerMost());
        assertEquals(1e-5, e.trigger().get("median_update_ratio"), 1e-18);
        assertTrue(e.message().contains("steps too short to learn"), e.message());
        assertEquals("stalled", d.verdict(Double.NaN).kind().label());
    }

    /**
     * Not stalled: (a) a loss falling 10 % per 250 samples, loss_t = 0.9^(t/250) (the two windows' means
     * differ by exactly that factor), at accuracy 0.3; (b) a flat loss at accuracy 0.9 (converged);
     * (c) a flat loss without an accuracy (not a classifier: the test is off).
     */
    @Test
    void aFallingLossAConvergedRunOrANonClassifierIsNotStalled() {
        ExplosionDetector falling = new ExplosionDetector();
        ExplosionDetector converged = new ExplosionDetector();
        ExplosionDetector noAccuracy = new ExplosionDetector();
        for (int t = 0; t < 1000; t++) {
            assertTrue(falling.observe(sample(t, Math.pow(0.9, t / 250.0), 0.5, 0.3, 0.1, 1e-3, 1e-3, 1e-3)).isEmpty());
            assertTrue(converged.observe(sample(t, 0.05, 0.5, 0.9, 0.1, 1e-3, 1e-3, 1e-3)).isEmpty());
            assertTrue(noAccuracy.observe(sample(t, 1.0, 0.5, Double.NaN, 0.1, 1e-3, 1e-3, 1e-3)).isEmpty());
        }
        for (ExplosionDetector d : List.of(falling, converged, noAccuracy)) {
            assertTrue(d.verdict(Double.NaN).events().stream().noneMatch(e -> e.kind() == EventKind.STALLED));
        }
        assertEquals(Verdict.Kind.HEALTHY, converged.verdict(Double.NaN).kind());
        // where they ended: the falling loss still at a minibatch accuracy of 0.3, the flat loss without accuracy
        assertEquals(Verdict.Kind.NOT_LEARNING, falling.verdict(Double.NaN).kind());
        assertEquals(0.3, falling.verdict(Double.NaN).decidingEvent().trigger().get("batch_accuracy"), 1e-12);
        assertEquals(Verdict.Kind.NOT_LEARNING, noAccuracy.verdict(Double.NaN).kind());
        assertEquals(0.0, noAccuracy.verdict(Double.NaN).decidingEvent().trigger().get("improvement"), 1e-12);
    }

    /** The deciding event: a blow-up outranks an earlier stall; without one, the most severe slow kind decides. */
    @Test
    void theVerdictKindIsTheEarliestBlowUpElseTheMostSevereSlowFailure() {
        ExplosionEvent stall = new ExplosionEvent(EventKind.STALLED, 250, 1, null, 0, java.util.Map.of(), "s");
        ExplosionEvent vanish = new ExplosionEvent(EventKind.VANISHING, 400, 1, 0, 0, java.util.Map.of(), "v");
        ExplosionEvent boom = new ExplosionEvent(EventKind.EXPLOSION, 1123, 4, 1, 1, java.util.Map.of(), "e");
        ExplosionEvent nan = new ExplosionEvent(EventKind.NONFINITE, 1200, 4, 1, 1, java.util.Map.of(), "n");
        assertEquals("explosion", new Verdict(List.of(stall, boom, nan)).kind().label());
        assertEquals(1123L, new Verdict(List.of(stall, boom, nan)).firstIteration());
        assertEquals("vanishing", new Verdict(List.of(stall, vanish)).kind().label());
        assertEquals("stalled", new Verdict(List.of(boom.withRecoveredAt(1150L), stall)).kind().label(),
                "a recovered explosion does not decide");
        assertEquals(Verdict.Kind.RECOVERED, new Verdict(List.of(boom.withRecoveredAt(1150L))).kind());
    }
}
