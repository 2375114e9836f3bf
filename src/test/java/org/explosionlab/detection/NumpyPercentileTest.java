package org.explosionlab.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link NumpyPercentile} against numpy's {@code np.percentile} (default method "linear"), bit for bit. */
class NumpyPercentileTest {

    private static double of(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return NumpyPercentile.of(sorted, p);
    }

    @Test
    void equalsNumpyOnTenValues() {
        // Computed with numpy 1.24.2:
        // /usr/bin/python3 -c 'import numpy as np; xs=[0.3,7.1,2.2,9.9,4.4,1.0,5.5,-3.25,0.1,1e3];
        //   print([repr(float(np.percentile(xs,p))) for p in (0,10,25,33.3,50,62.5,90,99,100)])'
        double[] xs = {0.3, 7.1, 2.2, 9.9, 4.4, 1.0, 5.5, -3.25, 0.1, 1e3};
        double[] p = {0, 10, 25, 33.3, 50, 62.5, 90, 99, 100};
        double[] numpy = {-3.25, -0.2349999999999999, 0.475, 0.9978999999999999, 3.3000000000000003, 5.0875,
            108.90999999999966, 910.8910000000001, 1000.0};
        // p = 99 (t = 0.91): numpy's _lerp computes b − (b − a)·(1 − t) = 910.8910000000001 when t >= 0.5, where
        // a + (b − a)·t would give 910.8910000000002
        for (int k = 0; k < p.length; k++) assertEquals(numpy[k], of(xs, p[k]), 0.0, "p = " + p[k]);
    }

    @Test
    void equalsNumpyOnThreeValues() {
        // /usr/bin/python3 -c 'import numpy as np;
        //   print([repr(float(np.percentile([0.1,0.2,0.7],p))) for p in (25,75,87.5,95)])'
        double[] xs = {0.1, 0.2, 0.7};
        double[] p = {25, 75, 87.5, 95};
        double[] numpy = {0.15000000000000002, 0.44999999999999996, 0.575, 0.6499999999999999};
        for (int k = 0; k < p.length; k++) assertEquals(numpy[k], of(xs, p[k]), 0.0, "p = " + p[k]);
    }

    @Test
    void emptyIsNaNAndPercentOutsideZeroToHundredIsRefused() {
        assertTrue(Double.isNaN(NumpyPercentile.of(new double[0], 50)));
        assertThrows(IllegalArgumentException.class, () -> NumpyPercentile.of(new double[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> NumpyPercentile.of(new double[] {1}, 100.5));
        assertThrows(IllegalArgumentException.class, () -> NumpyPercentile.of(new double[] {1}, Double.NaN));
    }
}
