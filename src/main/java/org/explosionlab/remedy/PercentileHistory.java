package org.explosionlab.remedy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Temporary sorted-list version; replaced by the two-heap implementation from the detect branch. */
public final class PercentileHistory {
    private final double p;
    private final List<Double> sorted = new ArrayList<>();

    public PercentileHistory(double p) {
        this.p = p;
    }

    public void add(double v) {
        int i = Collections.binarySearch(sorted, v);
        sorted.add(i < 0 ? -i - 1 : i, v);
    }

    public double percentile() {
        double pos = p / 100.0 * (sorted.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.size() - 1);
        return sorted.get(lo) + (pos - lo) * (sorted.get(hi) - sorted.get(lo));
    }

    public int size() {
        return sorted.size();
    }
}
