package org.explosionlab.monitor;

import org.explosionlab.monitor.TinyLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    /** The same hand-computed figures, measured in native memory through BLAS, from a view at an offset. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nativeMeasureGivesTheHandComputedFigures(boolean nonFinite) {
        float[] v = V.clone();
        if (nonFinite) {
            v[2] = Float.POSITIVE_INFINITY;
            v[7] = Float.NaN;
        }
        float[] padded = new float[v.length + 3];
        System.arraycopy(v, 0, padded, 3, v.length);
        INDArray view = Nd4j.createFromArray(padded).reshape(1, padded.length).get(NDArrayIndex.point(0),
                NDArrayIndex.interval(3, padded.length));
        GradientStats s = new GradientStats(TinyLayout.LAYOUT).measure(view, 0.5);
        assertEquals(nonFinite ? 2 : 0, s.nonFinite());
        assertEquals(6.5, s.paramL2(1), 1e-6);
        assertEquals(1.0, s.paramL2(3), 1e-6);
        assertEquals(6.0, s.maxAbs(), 1e-6);
        if (nonFinite) {
            assertTrue(Double.isNaN(s.paramL2(0)));
            assertTrue(Double.isNaN(s.globalL2()));
            assertEquals(49.75, s.globalSumSq(), 1e-5);
        } else {
            assertEquals(2.5, s.paramL2(0), 1e-6);
            assertEquals(Math.sqrt(203) * 0.5, s.globalL2(), 1e-6);
            assertEquals(0.875, s.paramMeanAbs(0), 1e-6);
        }
    }

    /**
     * On the seed model's layout (100,352 first-layer weights), BLAS's float32 sums against the Java
     * pass in double: within 1e-5 relative for Gaussian values; and values whose squares overflow
     * float32 (1e20) fall back to the double pass rather than reporting infinity.
     */
    @Test
    void nativeMeasureMatchesTheDoublePassOnTheSeedLayout() {
        ParamLayout layout = ParamLayout.ofDenseLayers(List.of(784, 128, 64, 10));
        float[] v = new float[layout.length()];
        Random rng = new Random(7);
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.01);
        v[5] = 1e20f;
        INDArray arr = Nd4j.createFromArray(v).castTo(DataType.FLOAT);
        GradientStats blas = new GradientStats(layout).measure(arr, 1.0);
        GradientStats java = new GradientStats(layout).measure(v, 1.0);
        for (int p = 0; p < layout.size(); p++) {
            assertEquals(java.paramL2(p), blas.paramL2(p), 1e-5 * java.paramL2(p), layout.get(p).key());
            assertEquals(java.paramMeanAbs(p), blas.paramMeanAbs(p), 1e-5 * java.paramMeanAbs(p), layout.get(p).key());
        }
        assertEquals(1e20, blas.paramL2(0), 1e15);
        assertEquals(1e20, blas.maxAbs(), 1e15);
        assertEquals(0, blas.nonFinite());
    }

    /**
     * The same values at 16 different offsets in native memory (every 4-byte step of a 64-byte line)
     * give the same figures to the last bit: OpenBLAS's sdot/sasum on the vector where it lives gave up
     * to 5 different float32 sums, which made a sweep point differ from a lone train run (issue 19).
     */
    @Test
    void nativeFiguresDoNotDependOnTheVectorsAddress() {
        ParamLayout layout = ParamLayout.ofDenseLayers(List.of(784, 128, 64, 10));
        float[] v = new float[layout.length()];
        Random rng = new Random(11);
        for (int i = 0; i < v.length; i++) v[i] = (float) (rng.nextGaussian() * 0.05);
        java.util.Set<List<Double>> distinct = new java.util.HashSet<>();
        for (int offset = 0; offset < 16; offset++) {
            float[] padded = new float[v.length + 16];
            System.arraycopy(v, 0, padded, offset, v.length);
            INDArray view = Nd4j.createFromArray(padded).reshape(1, padded.length).get(NDArrayIndex.point(0),
                    NDArrayIndex.interval(offset, offset + v.length));
            GradientStats s = new GradientStats(layout).measure(view.dup(), 1.0);        // dup: contiguous, at its own address
            GradientStats t = new GradientStats(layout).measure(view, 1.0);
            List<Double> figures = new java.util.ArrayList<>();
            for (int p = 0; p < layout.size(); p++) {
                figures.add(s.paramL2(p));
                figures.add(s.paramMeanAbs(p));
                assertEquals(s.paramL2(p), t.paramL2(p), 0.0);
                assertEquals(s.paramMeanAbs(p), t.paramMeanAbs(p), 0.0);
            }
            distinct.add(figures);
        }
        assertEquals(1, distinct.size(), "one set of figures for 16 addresses of the same values");
    }
}
