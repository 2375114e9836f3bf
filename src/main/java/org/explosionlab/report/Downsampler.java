package org.explosionlab.report;

import java.util.Arrays;

/**
 * Thins a long series for drawing without losing spikes: the points are cut into equal buckets
 * of consecutive indices and each bucket keeps its smallest and largest plottable value (in index
 * order) plus its first unplottable one, so that a gap in the line stays a gap. This is the
 * min/max decimation used by oscilloscopes; a single-iteration explosion always survives.
 */
public final class Downsampler {

    /** Most points drawn per line. */
    public static final int MAX_POINTS = 2000;

    /** Points kept per bucket at most: min, max, first gap. */
    private static final int PER_BUCKET = 3;

    private Downsampler() {
    }

    /**
     * The indices of {@code y} to draw, ascending: all of them when there are at most
     * {@code maxPoints}, otherwise at most {@code maxPoints} chosen bucket by bucket.
     */
    public static int[] keep(double[] y, YScale scale, int maxPoints) {
        int n = y.length;
        if (n <= maxPoints) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int buckets = Math.max(1, maxPoints / PER_BUCKET);
        int[] kept = new int[buckets * PER_BUCKET];
        int count = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets);
            int to = (int) ((long) (b + 1) * n / buckets);
            int min = -1;
            int max = -1;
            int gap = -1;
            for (int i = from; i < to; i++) {
                double v = y[i];
                if (!scale.plottable(v)) {
                    if (gap < 0) {
                        gap = i;
                    }
                    continue;
                }
                if (min < 0 || v < y[min]) {
                    min = i;
                }
                if (max < 0 || v > y[max]) {
                    max = i;
                }
            }
            int[] chosen = {min, max, gap};
            Arrays.sort(chosen);
            int previous = -1;
            for (int i : chosen) {
                if (i >= 0 && i != previous) {
                    kept[count++] = i;
                    previous = i;
                }
            }
        }
        return Arrays.copyOf(kept, count);
    }
}
