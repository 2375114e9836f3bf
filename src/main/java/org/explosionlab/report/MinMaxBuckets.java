package org.explosionlab.report;

import java.util.Arrays;

/**
 * Streaming min/max downsampling of several series that share their x values (the iterations of
 * one run), in bounded memory. Consecutive rows fall into buckets of {@code width} rows; each bucket
 * keeps, per column, its smallest and largest finite value and which came first. When
 * {@code 2 × target} buckets are full, neighbours merge pairwise and the width doubles, so between
 * {@code target} and {@code 2 × target} buckets describe any number of rows. A bucket is drawn as
 * two points, at its first and last x: the extreme that occurred first, then the other. Every spike
 * (and every dip) therefore stays on the chart however many rows there are, which plain decimation
 * (every k-th row) does not guarantee. This is the min/max ("M4" without first/last) reduction of
 * Jugel et al., "M4: A Visualization-Oriented Time Series Data Aggregation", VLDB 2014.
 *
 * <p>A value that is absent (null) is not counted; NaN and ±∞ are counted per column but not
 * drawn: a bucket without a finite value is a gap.
 */
final class MinMaxBuckets {

    private final int target;
    private final int columns;
    private int buckets;
    private long width = 1;
    private long rowsInLast;
    private long[] xFirst;
    private long[] xLast;
    private double[][] min;
    private double[][] max;
    private long[][] minAt;
    private long[][] maxAt;
    private final long[] nonFinite;
    private final long[] firstNonFiniteX;
    private final long[] present;

    MinMaxBuckets(int columns, int target) {
        if (target < 1) {
            throw new IllegalArgumentException("target must be >= 1, got " + target);
        }
        this.target = target;
        this.columns = columns;
        int capacity = 2 * target;
        xFirst = new long[capacity];
        xLast = new long[capacity];
        min = new double[columns][capacity];
        max = new double[columns][capacity];
        minAt = new long[columns][capacity];
        maxAt = new long[columns][capacity];
        nonFinite = new long[columns];
        firstNonFiniteX = new long[columns];
        Arrays.fill(firstNonFiniteX, -1);
        present = new long[columns];
    }

    /** Adds one row at {@code x} (x increasing); {@code values[c]} null = column c not recorded. */
    void add(long x, Double[] values) {
        if (buckets == 0 || rowsInLast == width) {
            if (buckets == 2 * target) {
                mergePairs();
            }
            int b = buckets++;
            xFirst[b] = x;
            for (int c = 0; c < columns; c++) {
                min[c][b] = Double.NaN;
                max[c][b] = Double.NaN;
            }
            rowsInLast = 0;
        }
        int b = buckets - 1;
        xLast[b] = x;
        rowsInLast++;
        for (int c = 0; c < columns; c++) {
            Double v = values[c];
            if (v == null) {
                continue;
            }
            present[c]++;
            if (!Double.isFinite(v)) {
                if (nonFinite[c]++ == 0) {
                    firstNonFiniteX[c] = x;
                }
                continue;
            }
            if (Double.isNaN(min[c][b]) || v < min[c][b]) {
                min[c][b] = v;
                minAt[c][b] = x;
            }
            if (Double.isNaN(max[c][b]) || v > max[c][b]) {
                max[c][b] = v;
                maxAt[c][b] = x;
            }
        }
    }

    private void mergePairs() {
        for (int i = 0; i < target; i++) {
            int a = 2 * i;
            int b = a + 1;
            xFirst[i] = xFirst[a];
            xLast[i] = xLast[b];
            for (int c = 0; c < columns; c++) {
                boolean takeB = Double.isNaN(min[c][a]) || (!Double.isNaN(min[c][b]) && min[c][b] < min[c][a]);
                min[c][i] = takeB ? min[c][b] : min[c][a];
                minAt[c][i] = takeB ? minAt[c][b] : minAt[c][a];
                takeB = Double.isNaN(max[c][a]) || (!Double.isNaN(max[c][b]) && max[c][b] > max[c][a]);
                max[c][i] = takeB ? max[c][b] : max[c][a];
                maxAt[c][i] = takeB ? maxAt[c][b] : maxAt[c][a];
            }
        }
        buckets = target;
        width *= 2;
    }

    /** Rows per bucket now. */
    long width() {
        return width;
    }

    /** The x of every drawn point: per bucket its first x, and its last x when it differs. */
    double[] x() {
        double[] x = new double[pointCount()];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            x[n++] = xFirst[b];
            if (xLast[b] != xFirst[b]) {
                x[n++] = xLast[b];
            }
        }
        return x;
    }

    /** Column {@code c} aligned with {@link #x()}; null where a bucket holds no finite value. */
    Double[] y(int c) {
        Double[] y = new Double[pointCount()];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            boolean empty = Double.isNaN(min[c][b]);
            boolean minFirst = minAt[c][b] <= maxAt[c][b];
            y[n++] = empty ? null : minFirst ? min[c][b] : max[c][b];
            if (xLast[b] != xFirst[b]) {
                y[n++] = empty ? null : minFirst ? max[c][b] : min[c][b];
            }
        }
        return y;
    }

    /** Number of NaN/±∞ values column {@code c} recorded. */
    long nonFinite(int c) {
        return nonFinite[c];
    }

    /** The x of column {@code c}'s first NaN/±∞ value, -1 if none. */
    long firstNonFiniteX(int c) {
        return firstNonFiniteX[c];
    }

    /** Number of rows that recorded column {@code c}. */
    long present(int c) {
        return present[c];
    }

    private int pointCount() {
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            n += xLast[b] != xFirst[b] ? 2 : 1;
        }
        return n;
    }
}
