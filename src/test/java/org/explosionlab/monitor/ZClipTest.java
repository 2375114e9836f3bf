package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link ZClip} (Kumar et al. 2025) over short runs of hand-chosen mean-loss norms. The expected
 * values were computed once, independently of the code under test, with a few lines of python3/numpy
 * (μ, σ² = np.mean, np.var of the warm-up norms; z = (g − μ)/(√σ² + 1e-6); clip value μ + (2.5/z)·σ
 * when z > 2.5; g* = min(clip value, cap); μ ← 0.97μ + 0.03g*, then σ² ← 0.97σ² + 0.03(g* − μ)² with
 * the new μ), printed with repr and typed in.
 */
class ZClipTest {
    private static final int K = 5;
    private static final float[] PARAMS = new float[9];

    /** A sum gradient over {@link TinyLayout} whose mean-loss norm is n: ‖(3n, 4n)‖ = 5n, ÷ k = 5 → n (exact in float for these n). */
    private static float[] gradientOfNorm(double n) {
        return new float[] {(float) (3 * n), (float) (4 * n), 0, 0, 0, 0, 0, 0, 0};
    }

    private static double meanNorm(float[] g) {
        return Math.sqrt(ClippingRule.sumSq(g, 0, g.length)) / K;
    }

    @Test
    void warmUpSeedsTheEmaThenSpikesAreClippedReciprocally() {
        ZClip zclip = new ZClip(0.97, 2.5, 4, 0);
        // warm-up: 1, 2, 3, 2 pass unclipped (no cap); then μ = 2, σ² = 0.5 (np.mean, np.var)
        for (double n : new double[] {1, 2, 3, 2}) {
            float[] g = gradientOfNorm(n);
            ClipResult r = zclip.apply(g, PARAMS, K, TinyLayout.LAYOUT);
            assertFalse(r.clipped());
            assertTrue(Double.isNaN(r.threshold()), "no cap during warm-up");
            assertArrayEquals(gradientOfNorm(n), g);
        }
        assertTrue(zclip.initialized());
        assertEquals(2.0, zclip.mean(), 1e-15);
        assertEquals(0.5, zclip.variance(), 1e-15);

        // numpy, step by step:     g     z                    clipped to           μ after              σ² after
        double[] norms =          {2.5,  10.0,                2.0,                 9.0};
        double[] z =              {0.7071057811879616, 11.383261283245064, -0.028381677633144774, 10.252409661040113};
        double[] boundary =       {3.767769452966369, 3.76867142186068, 3.7479994764614393, 3.7213077324023685};
        double[] target =         {2.5,  2.169056810102558,   2.0,                 2.1850693544444204};
        double[] mean =           {2.015, 2.0196217043030766, 2.0190330531739846,  2.024014142212098};
        double[] var =            {0.49205675, 0.477964973025359, 0.4636368915479919, 0.45050594824316814};
        for (int i = 0; i < norms.length; i++) {
            float[] g = gradientOfNorm(norms[i]);
            ClipResult r = zclip.apply(g, PARAMS, K, TinyLayout.LAYOUT);
            boolean spike = z[i] > 2.5;
            assertEquals(spike, r.clipped(), "clipped at step " + i);
            assertEquals(boundary[i], r.threshold(), 1e-12, "reported threshold μ + 2.5(σ + 1e-6) at step " + i);
            // torch's clip_grad_norm_ to the target: norm × τ/(norm + 1e-6)
            double expectedNorm = spike ? norms[i] * target[i] / (norms[i] + 1e-6) : norms[i];
            assertEquals(expectedNorm, meanNorm(g), 1e-5, "norm after ZClip at step " + i);
            assertEquals(mean[i], zclip.mean(), 1e-12, "μ after step " + i);
            assertEquals(var[i], zclip.variance(), 1e-12, "σ² after step " + i);
        }
    }

    @Test
    void theCapAppliesDuringWarmUpButTheRawNormSeedsTheEma() {
        ZClip zclip = new ZClip(0.97, 2.5, 3, 2.5);
        float[] g1 = gradientOfNorm(1);
        assertFalse(zclip.apply(g1, PARAMS, K, TinyLayout.LAYOUT).clipped());
        float[] g3 = gradientOfNorm(3);
        ClipResult r = zclip.apply(g3, PARAMS, K, TinyLayout.LAYOUT);
        assertTrue(r.clipped());
        assertEquals(2.5, r.threshold());
        assertEquals(3 * 2.5 / (3 + 1e-6), meanNorm(g3), 1e-5, "capped to maxGradNorm 2.5");
        zclip.apply(gradientOfNorm(2), PARAMS, K, TinyLayout.LAYOUT);
        // warm-up buffer holds the raw 1, 3, 2 (the reference appends total_norm before clipping): μ = 2, σ² = 2/3
        assertEquals(2.0, zclip.mean(), 1e-15);
        assertEquals(0.6666666666666666, zclip.variance(), 1e-15);

        // norm 4: z = 2.4494867427868523 ≤ 2.5, no z-clip, but the cap 2.5 still cuts it; the EMA takes the clipped 2.5
        float[] g4 = gradientOfNorm(4);
        r = zclip.apply(g4, PARAMS, K, TinyLayout.LAYOUT);
        assertTrue(r.clipped());
        assertEquals(2.5, r.threshold(), 1e-12, "min(μ + 2.5σ = 4.04, cap 2.5)");
        assertEquals(4 * 2.5 / (4 + 1e-6), meanNorm(g4), 1e-5);
        assertEquals(2.015, zclip.mean(), 1e-12);
        assertEquals(0.6537234166666667, zclip.variance(), 1e-12);
    }

    @Test
    void aNonFiniteNormIsLeftAloneAndKeptOutOfTheStatistics() {
        ZClip zclip = new ZClip(0.97, 2.5, 2, 0);
        zclip.apply(gradientOfNorm(1), PARAMS, K, TinyLayout.LAYOUT);
        float[] bad = gradientOfNorm(1);
        bad[8] = Float.NaN;
        assertFalse(zclip.apply(bad, PARAMS, K, TinyLayout.LAYOUT).clipped());
        assertFalse(zclip.initialized(), "the NaN step did not count as a warm-up step");
        zclip.apply(gradientOfNorm(3), PARAMS, K, TinyLayout.LAYOUT);
        assertEquals(2.0, zclip.mean(), 1e-15);
        assertEquals(1.0, zclip.variance(), 1e-15);
    }

    @Test
    void stateSurvivesACheckpoint() {
        ZClip a = new ZClip(0.97, 2.5, 4, 0);
        for (double n : new double[] {1, 2, 3, 2, 10}) a.apply(gradientOfNorm(n), PARAMS, K, TinyLayout.LAYOUT);
        ZClip b = new ZClip(0.97, 2.5, 4, 0);
        b.restore(a.state());
        float[] ga = gradientOfNorm(9);
        float[] gb = gradientOfNorm(9);
        assertEquals(a.apply(ga, PARAMS, K, TinyLayout.LAYOUT), b.apply(gb, PARAMS, K, TinyLayout.LAYOUT));
        assertArrayEquals(ga, gb);
        assertEquals(a.mean(), b.mean());
        assertEquals(a.variance(), b.variance());
        // mid-warm-up too
        ZClip c = new ZClip(0.97, 2.5, 4, 0);
        c.apply(gradientOfNorm(1), PARAMS, K, TinyLayout.LAYOUT);
        c.apply(gradientOfNorm(2), PARAMS, K, TinyLayout.LAYOUT);
        ZClip d = new ZClip(0.97, 2.5, 4, 0);
        d.restore(c.state());
        for (double n : new double[] {3, 2}) d.apply(gradientOfNorm(n), PARAMS, K, TinyLayout.LAYOUT);
        assertEquals(2.0, d.mean(), 1e-15);
        assertEquals(0.5, d.variance(), 1e-15);
    }

    @Test
    void rejectsParametersOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new ZClip(1.0, 2.5, 25, 0));
        assertThrows(IllegalArgumentException.class, () -> new ZClip(0.97, 0, 25, 0));
        assertThrows(IllegalArgumentException.class, () -> new ZClip(0.97, 2.5, 0, 0));
    }
}
