package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link PercentileHistory} against numpy's {@code np.percentile} (method "linear"). */
class PercentileHistoryTest {

    private static PercentileHistory of(double p, double... values) {
        PercentileHistory h = new PercentileHistory(p);
        for (double v : values) h.add(v);
        return h;
    }

    @Test
    void handSortedFiveNorms() {
        // 5, 1, 4, 2, 3 sorted: 1 2 3 4 5 (n = 5, pos = 4·p/100)
        double[] norms = {5, 1, 4, 2, 3};
        assertEquals(1.4, of(10, norms).percentile(), 1e-12);   // pos 0.4 → 1 + 0.4·(2 − 1)
        assertEquals(3.0, of(50, norms).percentile(), 1e-12);   // pos 2   → 3
        assertEquals(2.0, of(25, norms).percentile(), 1e-12);   // pos 1   → 2
        assertEquals(4.6, of(90, norms).percentile(), 1e-12);   // pos 3.6 → 4 + 0.6·(5 − 4)
        assertEquals(1.0, of(0, norms).percentile(), 1e-12);    // pos 0   → the smallest
        assertEquals(5.0, of(100, norms).percentile(), 1e-12);  // pos 4   → the largest
    }

    @Test
    void numpyValuesOfSevenNorms() {
        // np.percentile([0.3, 7.1, 2.2, 9.9, 4.4, 1.0, 5.5], p) with numpy 2.4.6; by hand on the
        // sorted 0.3 1.0 2.2 4.4 5.5 7.1 9.9 (pos = 6·p/100):
        double[] xs = {0.3, 7.1, 2.2, 9.9, 4.4, 1.0, 5.5};
        assertEquals(0.72, of(10, xs).percentile(), 1e-12);    // pos 0.6  → 0.3 + 0.6·0.7
        assertEquals(2.176, of(33, xs).percentile(), 1e-12);   // pos 1.98 → 1.0 + 0.98·1.2
        assertEquals(4.4, of(50, xs).percentile(), 1e-12);     // pos 3
        assertEquals(8.22, of(90, xs).percentile(), 1e-12);    // pos 5.4  → 7.1 + 0.4·2.8
        assertEquals(9.816, of(99.5, xs).percentile(), 1e-12); // pos 5.97 → 7.1 + 0.97·2.8
    }

    @Test
    void growsOneValueAtATime() {
        PercentileHistory h = new PercentileHistory(10);
        double[] expected = {5, 1.4, 1.6, 1.3, 1.4};   // see AutoClippingTest for the arithmetic
        double[] norms = {5, 1, 4, 2, 3};
        for (int i = 0; i < norms.length; i++) {
            assertTrue(h.add(norms[i]));
            assertEquals(expected[i], h.percentile(), 1e-12);
            assertEquals(i + 1, h.size());
        }
    }

    @Test
    void ignoresAndCountsNonFiniteValues() {
        PercentileHistory h = of(50, 1, 3);
        assertFalse(h.add(Double.NaN));
        assertFalse(h.add(Double.POSITIVE_INFINITY));
        assertFalse(h.add(Double.NEGATIVE_INFINITY));
        assertEquals(2, h.size());
        assertEquals(3, h.ignoredNonFinite());
        assertEquals(2.0, h.percentile(), 1e-12);       // {1, 3}: pos 0.5 → 2
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalStateException.class, () -> new PercentileHistory(10).percentile());
        assertThrows(IllegalArgumentException.class, () -> new PercentileHistory(-1));
        assertThrows(IllegalArgumentException.class, () -> new PercentileHistory(100.5));
        assertThrows(IllegalArgumentException.class, () -> new PercentileHistory(Double.NaN));
    }

    /** After every add, the two-heap percentile equals numpy's formula applied to the sorted history. */
    @Property(tries = 200, seed = "42")
    void agreesWithSortingAfterEveryAdd(@ForAll @Size(min = 1, max = 60) List<@DoubleRange(min = 0, max = 1e3) Double> values,
                                        @ForAll @DoubleRange(min = 0, max = 100) double p) {
        PercentileHistory h = new PercentileHistory(p);
        for (int n = 1; n <= values.size(); n++) {
            h.add(values.get(n - 1));
            double[] sorted = values.subList(0, n).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            assertEquals(sortedPercentile(sorted, p), h.percentile(), 1e-9, "p=" + p + " of " + Arrays.toString(sorted));
        }
    }

    /** numpy linear: pos = (n − 1)·p/100, i = ⌊pos⌋, x_i + (x_{i+1} − x_i)·(pos − i). */
    private static double sortedPercentile(double[] x, double p) {
        double pos = (x.length - 1) * p / 100;
        int i = (int) Math.floor(pos);
        if (i >= x.length - 1) return x[x.length - 1];
        return x[i] + (x[i + 1] - x[i]) * (pos - i);
    }
}
