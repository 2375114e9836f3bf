package org.explosionlab.remedy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link GradientStats} on {@link TinyLayout}, by hand, with scale 1/2 (a minibatch of k = 2). */
class GradientStatsTest {
    //                               0_W           | 0_b    | 1_W   | 1_b
    private static final float[] V = {3, 0, 0, -4,   5, 12,   1, -2,  2};

    @Test
    void normsPerParameterLayerAndNetwork() {
        GradientStats s = new GradientStats(TinyLayout.LAYOUT).measure(V, 0.5);
        assertEquals(2.5, s.paramL2(0), 1e-12);                 // √(9 + 16) = 5, × 0.5
        assertEquals(6.5, s.paramL2(1), 1e-12);                 // √(25 + 144) = 13, × 0.5
        assertEquals(Math.sqrt(5) * 0.5, s.paramL2(2), 1e-12);  // √(1 + 4)
        assertEquals(1.0, s.paramL2(3), 1e-12);                 // |2| × 0.5
        assertEquals(Math.sqrt(194) * 0.5, s.layerL2(0), 1e-12); // √(25 + 169)
        assertEquals(1.5, s.layerL2(1), 1e-12);                 // √(5 + 4) = 3, × 0.5
        assertEquals(Math.sqrt(203) * 0.5, s.globalL2(), 1e-12); // √(25 + 169 + 5 + 4)
        assertEquals(6.0, s.maxAbs(), 1e-12);                   // |12| × 0.5
        assertEquals(0.875, s.paramMeanAbs(0), 1e-12);          // (3 + 0 + 0 + 4) / 4 × 0.5
        assertEquals(0, s.nonFinite());
    }

    @Test
    void nonFiniteElementsMakeTheirNormsNaNButNotTheOthers() {
        float[] v = V.clone();
        v[2] = Float.POSITIVE_INFINITY;   // in 0_W
        v[7] = Float.NaN;                 // in 1_W
        GradientStats s = new GradientStats(TinyLayout.LAYOUT).measure(v, 0.5);
        assertEquals(2, s.nonFinite());
        assertEquals(1, s.paramNonFinite(0));
        assertEquals(1, s.paramNonFinite(2));
        assertTrue(Double.isNaN(s.paramL2(0)));
        assertTrue(Double.isNaN(s.paramL2(2)));
        assertEquals(6.5, s.paramL2(1), 1e-12);                 // 0_b is clean
        assertEquals(1.0, s.paramL2(3), 1e-12);                 // 1_b is clean
        assertTrue(Double.isNaN(s.layerL2(0)));
        assertTrue(Double.isNaN(s.layerL2(1)));
        assertTrue(Double.isNaN(s.globalL2()));
        assertEquals(6.0, s.maxAbs(), 1e-12);                   // the largest finite |v|
        // finite squares only: (9 + 16 + 25 + 144 + 1 + 4) × 0.25 = 199 × 0.25
        assertEquals(49.75, s.globalSumSq(), 1e-12);
    }
}
