package org.explosionlab.monitor;

import java.util.Comparator;
import java.util.PriorityQueue;
import org.explosionlab.detection.NumpyPercentile;

/**
 * The p-th percentile of every gradient norm seen so far, the clip threshold of AutoClip
 * (Seetharaman, Wichern, Pardo, Le Roux 2020, "AutoClip: Adaptive Gradient Clipping for Source
 * Separation Networks", MLSP; arXiv:2007.14469): at step t, η_c(t) = percentile_p(G_h(t)) with
 * G_h(t) = {‖∇L_1‖, …, ‖∇L_t‖}, computed in the paper's code as {@code np.percentile(grad_history, p)}.
 *
 * <p>The percentile is numpy's default ({@link NumpyPercentile}, linear interpolation between the
 * closest ranks x_i and x_{i+1}, i = ⌊(n − 1)·p/100⌋).
 * Only x_i and x_{i+1} are needed, so the history is split in two heaps: {@code lower}, a max-heap
 * of the i + 1 smallest values (its top is x_i), and {@code upper}, a min-heap of the rest (its top
 * is x_{i+1}). An add puts the value on its side and moves at most a top or two across to restore
 * |lower| = min(n, ⌊(n − 1)·p/100⌋ + 1): O(log n) per add, O(1) per {@link #percentile()}, never a
 * sort of the history.
 *
 * <p>Non-finite values are ignored and counted ({@link #ignoredNonFinite()}): numpy would turn
 * every later percentile into NaN (or +Infinity), which would switch clipping off for the rest of
 * the run right when it is needed; the step with the non-finite norm is lost anyway.
 */
final class PercentileHistory {

    private final double p;
    private final PriorityQueue<Double> lower = new PriorityQueue<>(Comparator.reverseOrder());
    private final PriorityQueue<Double> upper = new PriorityQueue<>();
    private long ignoredNonFinite;

    /** @param p the percentile, in [0, 100] (the AutoClip paper uses p = 10) */
    public PercentileHistory(double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("AutoClip percentile must be in [0, 100], got " + p);
        }
        this.p = p;
    }

    /** The percentile this history reports. */
    public double p() {
        return p;
    }

    /**
     * Adds one value (a gradient norm).
     *
     * @return true when it entered the history, false when it was non-finite and ignored
     */
    public boolean add(double value) {
        if (!Double.isFinite(value)) {
            ignoredNonFinite++;
            return false;
        }
        double v = value + 0.0; // −0.0 → 0.0: both heaps order the boxed values by Double.compare
        if (lower.isEmpty() || v <= lower.peek()) {
            lower.add(v);
        } else {
            upper.add(v);
        }
        int target = lowerSize(size());
        while (lower.size() > target) {
            upper.add(lower.poll());
        }
        while (lower.size() < target) {
            lower.add(upper.poll());
        }
        return true;
    }

    /**
     * The p-th percentile of all finite values added so far (numpy's linear interpolation).
     *
     * @throws IllegalStateException when no finite value was added yet
     */
    public double percentile() {
        int n = size();
        if (n == 0) {
            throw new IllegalStateException("no finite value in the history yet: add the current gradient norm"
                    + " before asking for its percentile");
        }
        double pos = NumpyPercentile.position(n, p);
        if (pos >= n - 1) {
            return lower.peek(); // |lower| = n: its top is the largest value
        }
        return NumpyPercentile.between(lower.peek(), upper.peek(), pos);
    }

    /** Number of finite values in the history. */
    public int size() {
        return lower.size() + upper.size();
    }

    /** Number of non-finite values that were offered and ignored. */
    public long ignoredNonFinite() {
        return ignoredNonFinite;
    }

    /** Values up to and including rank ⌊pos⌋ live in {@code lower}. */
    private int lowerSize(int n) {
        return (int) Math.min(n, Math.floor(NumpyPercentile.position(n, p)) + 1);
    }

    /** Every value in the history, in no particular order (for checkpoints; re-add them to restore). */
    public double[] values() {
        double[] all = new double[lower.size() + upper.size()];
        int i = 0;
        for (double v : lower) all[i++] = v;
        for (double v : upper) all[i++] = v;
        return all;
    }
}
