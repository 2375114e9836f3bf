package org.explosionlab.training;

import java.util.List;
import java.util.function.Consumer;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;

/**
 * What a run's summary needs from its recorded rows, taken one row at a time (the replayed rows of a resumed run,
 * then the monitor's new ones), so that a run with a directory keeps no row in memory: the per-epoch aggregates
 * ({@link EpochAggregates.Accumulator}: one epoch's samples at most), the largest raw global norm (NaN once a norm
 * was NaN) and the last loss.
 */
final class RunTotals implements Consumer<IterationMetrics> {
    private final EpochAggregates.Accumulator epochs = new EpochAggregates.Accumulator();
    private double maxNorm;
    private double lastLoss = Double.NaN;

    @Override
    public void accept(IterationMetrics m) {
        epochs.add(ExplosionMonitor.rawSample(m));
        double g = m.gradL2Global();
        maxNorm = Double.isNaN(maxNorm) || Double.isNaN(g) ? Double.NaN : Math.max(maxNorm, g);
        lastLoss = m.loss();
    }

    List<EpochAggregates> aggregates() {
        return epochs.aggregates();
    }

    /** The largest raw global norm; NaN when one was NaN; 0 before any row. */
    double maxNorm() {
        return maxNorm;
    }

    /** The last recorded loss; NaN before any row. */
    double lastLoss() {
        return lastLoss;
    }
}
