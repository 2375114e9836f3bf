package org.explosionlab.sweep;

import java.util.List;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.training.RunSummary;

/**
 * One run in a comparison table.
 *
 * @param run                 run name (preset or grid point)
 * @param testAccuracy        final test accuracy
 * @param verdict             detector verdict kind (healthy, explosion, nonfinite, collapse)
 * @param firstEventIteration iteration of the first event, or null when healthy
 * @param maxGradNorm         largest raw global gradient norm (mean-loss scale; NaN when non-finite)
 * @param medianGradNorm      median raw global norm over the run (median of per-epoch medians)
 * @param clipRate            fraction of iterations where clipping/normalization changed the gradient
 * @param seconds             training wall time
 * @param status              {@code done}, or for a point of a sweep that did not finish what happened
 *                            ({@code failed: OutOfMemoryError: ...}, {@code interrupted}, {@code pending}); its numbers are then NaN
 */
public record ComparisonRow(String run, double testAccuracy, String verdict, Long firstEventIteration,
                            double maxGradNorm, double medianGradNorm, double clipRate, double seconds, String status) {
    /** The {@link #status} of a finished run. */
    public static final String DONE = "done";

    /** A finished run. */
    public ComparisonRow(String run, double testAccuracy, String verdict, Long firstEventIteration,
                         double maxGradNorm, double medianGradNorm, double clipRate, double seconds) {
        this(run, testAccuracy, verdict, firstEventIteration, maxGradNorm, medianGradNorm, clipRate, seconds, DONE);
    }

    /** A point that has no summary: verdict "-", numbers NaN, {@code status} says why. */
    public static ComparisonRow notFinished(String run, String status) {
        return new ComparisonRow(run, Double.NaN, "-", null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, status);
    }

    public static ComparisonRow of(String run, RunSummary s) {
        List<EpochAggregates> epochs = s.epochs();
        double[] medians = epochs.stream().mapToDouble(EpochAggregates::gradL2GlobalMedian).sorted().toArray();
        double median = medians.length == 0 ? Double.NaN : medians[medians.length / 2];
        long iterations = epochs.stream().mapToLong(EpochAggregates::iterations).sum();
        double clipped = epochs.stream().mapToDouble(e -> e.clipFraction() * e.iterations()).sum();
        return new ComparisonRow(run, s.results().testAccuracy(), s.verdict().kind().label(), s.verdict().firstIteration(),
                s.results().maxGradL2Global(), median, iterations == 0 ? 0 : clipped / iterations, s.results().trainSeconds());
    }
}
