package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link AutoClipping} (Seetharaman et al. 2020) over a short run whose mean-loss global norms are
 * 5, 1, 4, 2, 3: each step adds its norm to the history, then clips to the p = 10th percentile of the
 * history (numpy's linear interpolation: pos = (n − 1)·p/100 over the sorted history).
 */
class AutoClippingTest {
    private static final int K = 5;
    private static final float[] PARAMS = new float[9];

    /** A sum gradient over {@link TinyLayout} whose mean-loss norm is n: ‖(3n, 4n)‖ = 5n, ÷ k = 5 → n. */
    private static float[] gradientOfNorm(int n) {
        return new float[] {3 * n, 4 * n, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void clipsEachStepToThePercentileOfTheHistoryIncludingItself() {
        AutoClipping clip = new AutoClipping(10.0);
        int[] norms = {5, 1, 4, 2, 3};
        // sorted history after each step and its 10th percentile, by hand:
        //  {5}            pos 0             → 5
        //  {1,5}          pos 1·0.1 = 0.1   → 1 + 0.1·(5 − 1) = 1.4
        //  {1,4,5}        pos 2·0.1 = 0.2   → 1 + 0.2·(4 − 1) = 1.6
        //  {1,2,4,5}      pos 3·0.1 = 0.3   → 1 + 0.3·(2 − 1) = 1.3
        //  {1,2,3,4,5}    pos 4·0.1 = 0.4   → 1 + 0.4·(2 − 1) = 1.4   (np.percentile([5,1,4,2,3], 10) = 1.4)
        double[] thresholds = {5, 1.4, 1.6, 1.3, 1.4};
        for (int step = 0; step < norms.length; step++) {
            int n = norms[step];
            double tau = thresholds[step];
            float[] g = gradientOfNorm(n);
            ClipResult r = clip.apply(g, PARAMS, K, TinyLayout.LAYOUT);
            assertEquals(tau, r.threshold(), 1e-12, "threshold at step " + step);
            assertEquals(step + 1, clip.historySize());
            // torch's rule with that τ: coef = τ / (n + 1e-6), applied when < 1
            double coef = Math.min(1.0, tau / (n + 1e-6));
            float[] expected = {(float) (3 * n * coef), (float) (4 * n * coef), 0, 0, 0, 0, 0, 0, 0};
            assertArrayEquals(expected, g, 1e-6f, "gradient at step " + step);
            assertEquals(coef < 1.0, r.clipped(), "clipped at step " + step);
        }
    }

    @Test
    void stepTwoIsBelowItsThresholdAndStepThreeIsClippedToOnePointSix() {
        AutoClipping clip = new AutoClipping(10.0);
        clip.apply(gradientOfNorm(5), PARAMS, K, TinyLayout.LAYOUT);
        float[] g1 = gradientOfNorm(1);
        assertFalse(clip.apply(g1, PARAMS, K, TinyLayout.LAYOUT).clipped());     // norm 1 < 1.4
        assertArrayEquals(gradientOfNorm(1), g1);
        float[] g4 = gradientOfNorm(4);
        assertTrue(clip.apply(g4, PARAMS, K, TinyLayout.LAYOUT).clipped());      // norm 4 > 1.6
        // (12, 16) · 1.6 / 4.000001 ≈ (4.8, 6.4): mean-loss norm 1.6
        assertEquals(4.8, g4[0], 1e-5);
        assertEquals(6.4, g4[1], 1e-5);
        assertEquals(1.6, Math.sqrt(ClippingRule.sumSq(g4, 0, g4.length)) / K, 1e-5);
    }

    @Test
    void aFiftiethPercentileIsTheMedian() {
        AutoClipping clip = new AutoClipping(50.0);
        ClipResult r = null;
        for (int n : new int[] {5, 1, 4, 2, 3}) r = clip.apply(gradientOfNorm(n), PARAMS, K, TinyLayout.LAYOUT);
        // {1,2,3,4,5}: pos 4·0.5 = 2 → 3
        assertEquals(3.0, r.threshold(), 1e-12);
    }

    @Test
    void aNonFiniteGradientNeitherClipsNorEntersTheHistory() {
        AutoClipping clip = new AutoClipping(10.0);
        clip.apply(gradientOfNorm(5), PARAMS, K, TinyLayout.LAYOUT);
        float[] bad = gradientOfNorm(1);
        bad[8] = Float.POSITIVE_INFINITY;
        float[] before = bad.clone();
        ClipResult r = clip.apply(bad, PARAMS, K, TinyLayout.LAYOUT);
        assertFalse(r.clipped());
        assertArrayEquals(before, bad);
        assertEquals(1, clip.historySize());
        // the next finite step sees the history {5, 1}, not one poisoned by Inf: 1 + 0.1·4 = 1.4
        assertEquals(1.4, clip.apply(gradientOfNorm(1), PARAMS, K, TinyLayout.LAYOUT).threshold(), 1e-12);
    }
}
