package org.explosionlab.detection;

import java.util.Arrays;

/**
 * Median of the last {@code capacity} finite values added, as {@code np.median} computes it (the
 * middle value, or the mean of the two middle values for an even count).
 *
 * <p>Keeps the window twice: in arrival order (a ring, to know which value leaves) and sorted (to
 * read the median). An add is a binary search plus an array shift, O(capacity): constant per sample
 * for the small windows the detector uses.
 */
final class TrailingMedian {

    private final double[] ring;
    private final double[] sorted;
    private int oldest;
    private int size;

    TrailingMedian(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("window capacity must be >= 1, got " + capacity);
        }
        ring = new double[capacity];
        sorted = new double[capacity];
    }

    /** Adds a finite value, dropping the oldest one when the window is full. */
    void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("trailing median takes finite values only, got " + value);
        }
        double v = value + 0.0; // −0.0 → 0.0, so that the ring and the sorted copy compare equal
        if (size == ring.length) {
            removeSorted(ring[oldest]);
            ring[oldest] = v;
            oldest = (oldest + 1) % ring.length;
        } else {
            ring[(oldest + size) % ring.length] = v;
        }
        insertSorted(v);
    }

    /** Number of values in the window. */
    int size() {
        return size;
    }

    /** The median of the window, NaN when it is empty. */
    double median() {
        if (size == 0) {
            return Double.NaN;
        }
        int mid = size / 2;
        return size % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private void insertSorted(double v) {
        int at = Arrays.binarySearch(sorted, 0, size, v);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        sorted[at] = v;
        size++;
    }

    private void removeSorted(double v) {
        int at = Arrays.binarySearch(sorted, 0, size, v);
        System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
        size--;
    }
}
