package org.explosionlab.sweep;

import org.explosionlab.run.RunDirectory;
import org.explosionlab.run.PointStatus;
import java.util.Objects;
import org.explosionlab.training.RunSummary;

/**
 * What became of one point of a sweep.
 *
 * @param point   the point
 * @param status  {@link PointStatus#DONE} with a summary, else why there is none
 * @param summary the run's summary.json contents when done, else null
 * @param message what went wrong for {@link PointStatus#FAILED} (exception class and message), else null
 */
public record PointOutcome(SweepPoint point, PointStatus status, RunSummary summary, String message) {
    public PointOutcome {
        Objects.requireNonNull(point, "point");
        Objects.requireNonNull(status, "status");
        if (status == PointStatus.DONE) Objects.requireNonNull(summary, "a finished point has a summary");
    }

    public static PointOutcome done(SweepPoint point, RunSummary summary) {
        return new PointOutcome(point, PointStatus.DONE, summary, null);
    }

    public static PointOutcome failed(SweepPoint point, Throwable t) {
        return new PointOutcome(point, PointStatus.FAILED, null, describe(t));
    }

    /**
     * {@code SimpleName: message} of the deepest cause, on one line; the message alone when it is one of the sweep's own
     * refusals ({@link RunDirectory.ForeignRunException}), written for the user.
     */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String m = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        if (root instanceof RunDirectory.ForeignRunException) return m;
        return root.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
    }

    /** The comparison row: the run's numbers, or its status with empty numbers. */
    public ComparisonRow row() {
        if (status == PointStatus.DONE) return ComparisonRow.of(point.label(), summary);
        return ComparisonRow.notFinished(point.label(), status.label() + (message == null ? "" : ": " + message));
    }
}
