package org.explosionlab.sweep;

import java.nio.file.Path;
import java.util.List;
import org.explosionlab.training.RunSummary;

/**
 * What a finished sweep hands back.
 *
 * @param points    the runs, in the order they ran
 * @param summaries each run's summary (same order)
 * @param table     the comparison of all runs
 * @param outDir    the sweep directory (one sub-directory per run, comparison.md, comparison.csv), or null in memory
 */
public record SweepResult(List<SweepPoint> points, List<RunSummary> summaries, ComparisonTable table, Path outDir) {
    public SweepResult {
        points = List.copyOf(points);
        summaries = List.copyOf(summaries);
    }

    /** The summary of the run labelled {@code label}. */
    public RunSummary summary(String label) {
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).label().equals(label)) return summaries.get(i);
        }
        throw new IllegalArgumentException("no run labelled '" + label + "' in this sweep");
    }
}
