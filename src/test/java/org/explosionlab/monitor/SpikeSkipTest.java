package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * {@link SpikeSkip} (OLMo-core's SkipStepOptimizer rule) with σ = 2, a window of 5 and 3 steps
 * needed, over a hand-chosen sequence of (loss, norm). The means and 2·std were computed once with
 * python3/numpy ({@code np.mean}, {@code np.std(ddof=1)} over the previous ≤ 5 values, every step
 * appended to the window whether skipped or not), independently of the code under test.
 */
class SpikeSkipTest {

    @Test
    void skipsOnLossOrNormSpikesAndKeepsSkippedStepsInTheWindow() {
        SpikeSkip skip = new SpikeSkip(2, 5, 3);
        // steps 0-2: fewer than 3 previous values, never skipped
        assertNull(skip.check(1.0, 1.0));
        assertNull(skip.check(1.2, 1.1));
        assertNull(skip.check(0.8, 0.9));
        // step 3 (1.1, 5.0): losses mean 1.0, 2·std 0.4, 1.1 − 1.0 = 0.1 → no; norms mean 1.0, 2·std 0.2, 5 − 1 = 4 → spike
        assertEquals(SpikeSkip.GRAD_NORM, skip.check(1.1, 5.0));
        // step 4 (3.0, 1.0): losses mean 1.025, 2·std 0.341565, Δ 1.975 → spike; norms mean 2.0, 2·std 4.003332 (the
        // skipped 5.0 is in the window), Δ −1 → no
        assertEquals(SpikeSkip.LOSS, skip.check(3.0, 1.0));
        // step 5 (1.0, 1.2): losses mean 1.42, 2·std 1.791089; norms mean 1.8, 2·std 3.580503 → applied
        assertNull(skip.check(1.0, 1.2));
        // step 6 (1.05, 1.0): the window dropped step 0: norms [1.1, 0.9, 5, 1, 1.2] mean 1.84, 2·std 3.540056 → applied
        assertNull(skip.check(1.05, 1.0));
        // step 7 (1.0, 3.5): norms mean 1.82, 2·std 3.562022, Δ 1.68 → applied. Had the skipped steps been left out of
        // the window, the norms would be [1.0, 1.1, 0.9, 1.2, 1.0] (2·std ≈ 0.23) and 3.5 a spike.
        assertNull(skip.check(1.0, 3.5));
        assertEquals(2, skip.total());
        assertEquals(1, skip.lossSpikes());
        assertEquals(1, skip.normSpikes());
        assertEquals(5, skip.windowSize());
        assertArrayEquals(new double[] {3.0, 1.0, 1.05, 1.0}, java.util.Arrays.copyOfRange(skip.state().losses(), 1, 5));
    }

    @Test
    void bothSpikingIsOneSkipWithBothReasons() {
        SpikeSkip skip = new SpikeSkip(2, 5, 3);
        skip.check(1.0, 1.0);
        skip.check(1.2, 1.1);
        skip.check(0.8, 0.9);
        // losses mean 1, 2·std 0.4; norms mean 1, 2·std 0.2
        assertEquals(SpikeSkip.BOTH, skip.check(2.0, 2.0));
        assertEquals(1, skip.total());
    }

    @Test
    void nonFiniteValuesAreAppliedBeforeTheWindowFillsSkippedAfterAndNeverEnterIt() {
        SpikeSkip skip = new SpikeSkip(2, 5, 3);
        assertNull(skip.check(Double.NaN, 1.0), "too early to act");
        assertEquals(0, skip.windowSize());
        skip.check(1.0, 1.0);
        skip.check(1.2, 1.1);
        skip.check(0.8, 0.9);
        assertEquals(SpikeSkip.LOSS, skip.check(Double.NaN, 1.0));
        assertEquals(SpikeSkip.GRAD_NORM, skip.check(1.0, Double.POSITIVE_INFINITY));
        assertEquals(3, skip.windowSize());
        // the statistics are still those of the three finite steps: (1.1, 5.0) is a norm spike as in the first test
        assertEquals(SpikeSkip.GRAD_NORM, skip.check(1.1, 5.0));
    }

    @Test
    void stateSurvivesACheckpoint() {
        SpikeSkip a = new SpikeSkip(2, 5, 3);
        double[][] steps = {{1.0, 1.0}, {1.2, 1.1}, {0.8, 0.9}, {1.1, 5.0}, {3.0, 1.0}, {1.0, 1.2}};
        for (double[] s : steps) a.check(s[0], s[1]);
        SpikeSkip b = new SpikeSkip(2, 5, 3);
        b.restore(a.state());
        assertEquals(a.total(), b.total());
        for (double[] s : new double[][] {{1.05, 1.0}, {9.0, 1.0}, {1.0, 30.0}}) assertEquals(a.check(s[0], s[1]), b.check(s[0], s[1]));
        assertEquals(a.total(), b.total());
    }

    @Test
    void rejectsParametersOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new SpikeSkip(0, 128, 20));
        assertThrows(IllegalArgumentException.class, () -> new SpikeSkip(6, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpikeSkip(6, 16, 20));
    }
}
