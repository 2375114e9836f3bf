package org.explosionlab.report;

import java.util.Arrays;
import java.util.List;

/**
 * Figures computed from a run's metrics.jsonl for comparing runs. Non-finite norms are counted,
 * not averaged in: max and median are over the finite values of ‖g‖₂ before clipping.
 *
 * @param rows             complete rows in metrics.jsonl
 * @param maxGlobal        largest finite global gradient norm, NaN when there is none
 * @param medianGlobal     median of the finite global gradient norms (mean of the middle two
 *                         for an even count), NaN when there is none
 * @param nonFiniteGlobal  rows whose global gradient norm is NaN or ±∞
 * @param nonFiniteLoss    rows whose loss is NaN or ±∞
 * @param clipRate         rows with {@code clipped = true} / rows that record {@code clipped};
 *                         NaN when no row records it
 * @param saturatedRows    rows where some examples' true-class probability hit DL4J's clip
 *                         ({@code loss_saturated_fraction} &gt; 0): there {@code loss} under-reads the
 *                         cross-entropy
 * @param maxSaturated     largest {@code loss_saturated_fraction}, NaN when no row records it
 * @param finalLossExact   {@code loss_exact} of the last row, NaN when it is not recorded
 */
public record RunStats(int rows, double maxGlobal, double medianGlobal, int nonFiniteGlobal,
        int nonFiniteLoss, double clipRate, int saturatedRows, double maxSaturated, double finalLossExact) {

    /** Computes the figures from the rows of {@code log}. */
    public static RunStats of(MetricsLog log) {
        double[] finite = new double[log.rows().size()];
        int n = 0;
        int nonFiniteGlobal = 0;
        int nonFiniteLoss = 0;
        int clipRecorded = 0;
        int clipped = 0;
        int saturatedRows = 0;
        double maxSaturated = Double.NaN;
        for (MetricsRow row : log.rows()) {
            Double sat = row.lossSaturatedFraction();
            if (sat != null && !Double.isNaN(sat)) {
                maxSaturated = Double.isNaN(maxSaturated) ? sat : Math.max(maxSaturated, sat);
                if (sat > 0) {
                    saturatedRows++;
                }
            }
            Double g = row.gradGlobal();
            if (g != null) {
                if (Double.isFinite(g)) {
                    finite[n++] = g;
                } else {
                    nonFiniteGlobal++;
                }
            }
            if (row.loss() != null && !Double.isFinite(row.loss())) {
                nonFiniteLoss++;
            }
            if (row.clipped() != null) {
                clipRecorded++;
                if (row.clipped()) {
                    clipped++;
                }
            }
        }
        double[] values = Arrays.copyOf(finite, n);
        Arrays.sort(values);
        double max = n == 0 ? Double.NaN : values[n - 1];
        double median = n == 0 ? Double.NaN
                : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        double clipRate = clipRecorded == 0 ? Double.NaN : (double) clipped / clipRecorded;
        List<MetricsRow> rows = log.rows();
        Double last = rows.isEmpty() ? null : rows.get(rows.size() - 1).lossExact();
        return new RunStats(rows.size(), max, median, nonFiniteGlobal, nonFiniteLoss, clipRate, saturatedRows,
                maxSaturated, last == null ? Double.NaN : last);
    }
}
