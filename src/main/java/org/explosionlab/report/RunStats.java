package org.explosionlab.report;

import java.util.Arrays;
import java.util.function.Consumer;
import org.explosionlab.monitor.IterationMetrics;

/**
 * Figures of a run computed while metrics.jsonl streams past. Non-finite norms are counted, not
 * averaged in: max and median are over the finite global norms before clipping. The median needs
 * every finite norm (8 bytes per row), never a whole row.
 */
final class RunStats implements Consumer<IterationMetrics> {

    private long rows;
    private double[] finiteGlobal = new double[1024];
    private int finiteCount;
    private long nonFiniteGlobal;
    private long nonFiniteLoss;
    private long clipped;
    private long saturatedRows;
    private double maxSaturated = Double.NaN;
    private Double lastLossExact;

    @Override
    public void accept(IterationMetrics m) {
        rows++;
        double g = m.gradL2Global();
        if (Double.isFinite(g)) {
            if (finiteCount == finiteGlobal.length) {
                finiteGlobal = Arrays.copyOf(finiteGlobal, finiteCount * 2);
            }
            finiteGlobal[finiteCount++] = g;
        } else {
            nonFiniteGlobal++;
        }
        if (!Double.isFinite(m.loss())) {
            nonFiniteLoss++;
        }
        if (m.clipped()) {
            clipped++;
        }
        Double sat = m.lossSaturatedFraction();
        if (sat != null && !sat.isNaN()) {
            maxSaturated = Double.isNaN(maxSaturated) ? sat : Math.max(maxSaturated, sat);
            if (sat > 0) {
                saturatedRows++;
            }
        }
        lastLossExact = m.lossExact();
    }

    long rows() {
        return rows;
    }

    /** Largest finite global norm before clipping, NaN when there is none. */
    double maxGlobal() {
        double max = Double.NaN;
        for (int i = 0; i < finiteCount; i++) {
            max = Double.isNaN(max) ? finiteGlobal[i] : Math.max(max, finiteGlobal[i]);
        }
        return max;
    }

    /** Median of the finite global norms (mean of the middle two for an even count), NaN when none. */
    double medianGlobal() {
        if (finiteCount == 0) {
            return Double.NaN;
        }
        double[] v = Arrays.copyOf(finiteGlobal, finiteCount);
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    long nonFiniteGlobal() {
        return nonFiniteGlobal;
    }

    long nonFiniteLoss() {
        return nonFiniteLoss;
    }

    /** Share of recorded iterations whose gradient clipping changed, NaN without rows. */
    double clipRate() {
        return rows == 0 ? Double.NaN : (double) clipped / rows;
    }

    /** Rows where some examples hit DL4J's softmax clip ({@code loss_saturated_fraction} &gt; 0). */
    long saturatedRows() {
        return saturatedRows;
    }

    /** Largest {@code loss_saturated_fraction}, NaN when no row records it. */
    double maxSaturated() {
        return maxSaturated;
    }

    /** {@code loss_exact} of the last row, NaN when not recorded. */
    double finalLossExact() {
        return lastLossExact == null ? Double.NaN : lastLossExact;
    }
}
