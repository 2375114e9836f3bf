package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link GlobalNormClipping} against PyTorch's clip_grad_norm_ rule, worked by hand. */
class GlobalNormClippingTest {
    /**
     * Minibatch-sum gradient over the 9 parameters of {@link TinyLayout}:
     * Σg² = 6² + 8² + 8² + 6² + 10² + 10² = 36 + 64 + 64 + 36 + 100 + 100 = 400, so ‖g_sum‖ = 20 and,
     * with k = 2 examples, the mean-loss norm is 20 / 2 = 10.
     */
    private static final float[] GRADIENT = {6, 8, 0, 0, -8, 6, 0, 10, -10};
    private static final int K = 2;
    private static final float[] PARAMS = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void scalesTheWholeGradientByTauOverItsMeanNorm() {
        float[] g = GRADIENT.clone();
        ClipResult r = new GlobalNormClipping(1.0).apply(g, PARAMS.clone(), K, TinyLayout.LAYOUT);
        // torch: coef = τ / (‖g‖ + 1e-6) = 1 / (10 + 1e-6) = 0.09999999 < 1, so every element × coef
        double coef = 1.0 / (10 + 1e-6);
        float[] expected = {(float) (6 * coef), (float) (8 * coef), 0, 0, (float) (-8 * coef), (float) (6 * coef),
                0, (float) (10 * coef), (float) (-10 * coef)};
        assertArrayEquals(expected, g, 1e-7f);
        assertTrue(r.clipped());
        assertEquals(1.0, r.threshold());
        // the mean-loss norm after clipping: 10 · coef = 0.9999999
        assertEquals(10 * coef, Math.sqrt(ClippingRule.sumSq(g, 0, g.length)) / K, 1e-6);
    }

    @Test
    void keepsTheDirection() {
        float[] g = GRADIENT.clone();
        new GlobalNormClipping(3.0).apply(g, PARAMS.clone(), K, TinyLayout.LAYOUT);
        // coef = 3 / (10 + 1e-6): every ratio between elements stays, e.g. g[1] / g[0] = 8 / 6
        assertEquals(8.0 / 6.0, g[1] / g[0], 1e-6);
        assertEquals(-1.0, g[8] / g[7], 1e-6);
        assertEquals(6 * 3 / (10 + 1e-6), g[0], 1e-6);
    }

    @Test
    void leavesAGradientBelowTheThresholdUntouched() {
        float[] g = GRADIENT.clone();
        // coef = 20 / (10 + 1e-6) = 1.9999998 ≥ 1: torch multiplies by min(coef, 1) = 1
        ClipResult r = new GlobalNormClipping(20.0).apply(g, PARAMS.clone(), K, TinyLayout.LAYOUT);
        assertArrayEquals(GRADIENT, g);
        assertFalse(r.clipped());
        assertEquals(20.0, r.threshold());
    }

    @Test
    void comparesTheMeanLossNormNotTheMinibatchSum() {
        // the same sum gradient from k = 40 examples: mean norm 20 / 40 = 0.5 < τ = 1 → untouched,
        // although the sum's norm (20) is far above τ
        float[] g = GRADIENT.clone();
        ClipResult r = new GlobalNormClipping(1.0).apply(g, PARAMS.clone(), 40, TinyLayout.LAYOUT);
        assertArrayEquals(GRADIENT, g);
        assertFalse(r.clipped());
    }

    @Test
    void leavesANonFiniteGradientAlone() {
        float[] g = GRADIENT.clone();
        g[3] = Float.NaN;
        float[] before = g.clone();
        // ‖g‖ = NaN → coef = NaN, and "NaN < 1" is false: nothing is scaled (skip-non-finite's job)
        ClipResult r = new GlobalNormClipping(1.0).apply(g, PARAMS.clone(), K, TinyLayout.LAYOUT);
        assertArrayEquals(before, g);
        assertFalse(r.clipped());
    }

    @Test
    void rejectsANonPositiveThreshold() {
        assertThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(0.0));
        assertThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(-1.0));
        assertThrows(IllegalArgumentException.class, () -> new GlobalNormClipping(Double.NaN));
    }
}
