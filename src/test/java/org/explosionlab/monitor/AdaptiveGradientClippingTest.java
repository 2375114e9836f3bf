package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link AdaptiveGradientClipping} (Brock et al. 2021, eq. 3) on {@link TinyLayout}, unit by unit, by
 * hand. λ = 0.1, ε = 1e-3, k = 2 (so the mean-loss gradient is the sum gradient ÷ 2). A unit is a
 * column of a [nIn, nOut] weight — contiguous in DL4J's column-major layout — or a whole bias.
 */
class AdaptiveGradientClippingTest {
    private static final double LAMBDA = 0.1;
    private static final double EPS = 1e-3;
    private static final int K = 2;

    //                                  0_W col 0 | 0_W col 1 | 0_b    | 1_W     | 1_b
    private static final float[] PARAMS = {3, 4,      0.6f, 0.8f, 0, 0,   1, 0,     2};
    private static final float[] GRADIENT = {0, 0.4f, 6, 8,     0.6f, 0.8f, 10, 0,  0.2f};

    /*
     * Unit by unit (‖W_i‖, mean-loss ‖G_i‖ = ‖sum‖ / 2, limit λ·max(‖W_i‖, ε)):
     *  0_W col 0: W = (3, 4) → 5;        G = (0, 0.2) → 0.2;  limit 0.5      → 0.2 ≤ 0.5, unchanged
     *  0_W col 1: W = (0.6, 0.8) → 1;    G = (3, 4) → 5;      limit 0.1      → × 0.1 / 5 = 0.02:
     *             sum (6, 8) · 0.02 = (0.12, 0.16)
     *  0_b:       W = (0, 0) → 0 → ε;    G = (0.3, 0.4) → 0.5; limit 0.1·1e-3 = 1e-4 → × 1e-4 / 0.5 = 2e-4:
     *             sum (0.6, 0.8) · 2e-4 = (1.2e-4, 1.6e-4)
     *  1_W col 0: W = (1, 0) → 1;        G = (5, 0) → 5;      limit 0.1      → × 0.02 → (0.2, 0)
     *             unless the output layer is excluded (the paper's default): then unchanged (10, 0)
     *  1_b:       W = 2 → 2;             G = 0.1 → 0.1;       limit 0.2      → unchanged
     * Reading W row-major instead (units (3, 0.6) and (4, 0.8)) would clip indices 0 and 2 by
     * 0.1·√9.36 / 3 ≈ 0.102 and give g[2] ≈ 0.61, not 0.12 — the test tells the two layouts apart.
     */

    @Test
    void clipsEachUnitToLambdaTimesItsWeightNorm() {
        float[] g = GRADIENT.clone();
        ClipResult r = new AdaptiveGradientClipping(LAMBDA, EPS, false).apply(g, PARAMS.clone(), K, TinyLayout.LAYOUT);
        float[] expected = {0, 0.4f, 0.12f, 0.16f, 1.2e-4f, 1.6e-4f, 0.2f, 0, 0.2f};
        assertArrayEquals(expected, g, 1e-7f);
        assertTrue(r.clipped());
        assertTrue(Double.isNaN(r.threshold()), "AGC has no single global threshold");
    }

    @Test
    void leavesTheOutputLayerAloneWhenExcluded() {
        float[] g = GRADIENT.clone();
        new AdaptiveGradientClipping(LAMBDA, EPS, true).apply(g, PARAMS.clone(), K, TinyLayout.LAYOUT);
        float[] expected = {0, 0.4f, 0.12f, 0.16f, 1.2e-4f, 1.6e-4f, 10, 0, 0.2f};
        assertArrayEquals(expected, g, 1e-7f);
    }

    @Test
    void doesNotTouchTheParameters() {
        float[] p = PARAMS.clone();
        new AdaptiveGradientClipping(LAMBDA, EPS, false).apply(GRADIENT.clone(), p, K, TinyLayout.LAYOUT);
        assertArrayEquals(PARAMS, p);
    }

    @Test
    void reportsNothingClippedWhenEveryUnitIsWithinItsLimit() {
        // the same gradient from k = 200 examples: mean norms 0.002, 0.05, 0.005, 0.05, 0.001; limits
        // 0.5, 0.1, 1e-4, 0.1, 0.2 → only 0_b (0.005 > 1e-4) would clip, so give it a weight:
        // W_b = (3, 4) → limit 0.5
        float[] p = PARAMS.clone();
        p[4] = 3;
        p[5] = 4;
        float[] g = GRADIENT.clone();
        ClipResult r = new AdaptiveGradientClipping(LAMBDA, EPS, false).apply(g, p, 200, TinyLayout.LAYOUT);
        assertArrayEquals(GRADIENT, g);
        assertFalse(r.clipped());
    }
}
