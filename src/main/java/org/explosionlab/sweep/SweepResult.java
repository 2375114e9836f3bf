package org.explosionlab.sweep;

import org.explosionlab.run.PointStatus;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.training.RunSummary;

/**
 * What a sweep hands back.
 *
 * @param outcomes    every point's outcome, in plan order
 * @param table       one row per point
 * @param groups      the points grouped over their seeds
 * @param outDir      the sweep directory (one sub-directory per started point, sweep.json, comparison files)
 * @param interrupted true when Ctrl-C stopped the sweep before every point ran
 */
public record SweepResult(List<PointOutcome> outcomes, ComparisonTable table, SeedGroups groups, Path outDir, boolean interrupted) {
    public SweepResult {
        outcomes = List.copyOf(outcomes);
    }

    /** The summary of the point labelled {@code label} (null when it did not finish). */
    public RunSummary summary(String label) {
        for (PointOutcome o : outcomes) if (o.point().label().equals(label)) return o.summary();
        throw new IllegalArgumentException("no run labelled '" + label + "' in this sweep");
    }

    /** How many points did not finish (failed, interrupted or never started). */
    public long notFinished() {
        return outcomes.stream().filter(o -> o.status() != PointStatus.DONE).count();
    }
}
