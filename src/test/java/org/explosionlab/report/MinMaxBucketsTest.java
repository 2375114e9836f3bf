package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MinMaxBucketsTest {

    private static final long SEED = 18;

    @Test
    void fewRowsArePassedThroughUnchanged() {
        MinMaxBuckets b = new MinMaxBuckets(1, 10);
        for (int i = 0; i < 5; i++) b.add(i, new Double[] {i * 1.5});
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, b.x());
        assertArrayEquals(new Double[] {0.0, 1.5, 3.0, 4.5, 6.0}, b.y(0));
    }

    @Test
    void everySpikeAndDipOfAMillionRowsSurvivesInBoundedPoints() {
        int rows = 1_000_000;
        Random random = new Random(SEED);
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) values[i] = 1 + 0.1 * random.nextGaussian();
        int[] spikes = {0, 77_777, 500_000, 999_999}; // one per bucket: a bucket shows its largest
        for (int s : spikes) values[s] = 1e6 + s;
        values[123_456] = -1e6;
        MinMaxBuckets b = new MinMaxBuckets(1, 500);
        for (int i = 0; i < rows; i++) b.add(i, new Double[] {values[i]});
        double[] x = b.x();
        Double[] y = b.y(0);
        assertTrue(x.length <= 2 * 2 * 500, "points: " + x.length);
        List<Double> drawn = new ArrayList<>(Arrays.asList(y));
        for (int s : spikes) assertTrue(drawn.contains(values[s]), "spike at " + s + " lost");
        assertTrue(drawn.contains(-1e6), "dip lost");
        // Independently: the drawn points are exactly the min and max of each block of `width` rows.
        long width = b.width();
        int n = 0;
        for (int from = 0; from < rows; from += (int) width) {
            int to = (int) Math.min(rows, from + width);
            double[] block = Arrays.copyOfRange(values, from, to);
            double min = Arrays.stream(block).min().orElseThrow();
            double max = Arrays.stream(block).max().orElseThrow();
            assertEquals(from, x[n]);
            assertEquals(to - 1, x[n + 1]);
            assertEquals(Math.min(min, max), Math.min(y[n], y[n + 1]));
            assertEquals(Math.max(min, max), Math.max(y[n], y[n + 1]));
            n += 2;
        }
        assertEquals(x.length, n);
    }

    @Test
    void nonFiniteValuesAreCountedNotDrawnAndAbsentValuesNotCounted() {
        MinMaxBuckets b = new MinMaxBuckets(2, 10);
        b.add(0, new Double[] {1.0, null});
        b.add(1, new Double[] {Double.NaN, null});
        b.add(2, new Double[] {Double.POSITIVE_INFINITY, 3.0});
        assertEquals(2, b.nonFinite(0));
        assertEquals(1, b.firstNonFiniteX(0));
        assertEquals(0, b.nonFinite(1));
        assertEquals(1, b.present(1));
        Double[] y = b.y(0);
        assertEquals(1.0, y[0]);
        assertNull(y[1]);
        assertNull(y[2]);
    }
}
