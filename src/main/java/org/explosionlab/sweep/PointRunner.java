package org.explosionlab.sweep;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.report.Reports;
import org.explosionlab.run.RunDirectory;
import org.explosionlab.run.RunLock;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;

/**
 * Trains one point of a sweep exactly as {@code explosion-lab train --spec spec.json --max-batches N}
 * does: the same {@link Trainer} (which applies {@code RuntimeTuning}: one OpenMP and BLAS thread), the
 * same spec, data and {@link RunOptions} (checkpoints at epoch ends only), so its parameters,
 * metrics.jsonl and summary (but for wall times, provenance and peak RSS) equal a lone {@code train}
 * run's. This is the unit a local worker thread runs; its run directory is claimed through
 * {@link RunDirectory#claimPoint} (created, locked, cleared of an earlier try), and the finished run's
 * report.html and PNGs are written under the same lock, as train does.
 */
public final class PointRunner {
    private PointRunner() {
    }

    /**
     * Trains {@code point} from scratch into {@code runDir} (null keeps everything in memory).
     *
     * @param maxBatches stop each epoch after this many minibatches; 0 = whole epochs
     * @param command    the command line, recorded in the run's provenance
     */
    public static RunResult train(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        if (runDir == null) return new Trainer(null).run(point.spec(), data, new RunOptions(null, maxBatches, 0, 0, command));
        return run(point, data, runDir, maxBatches, command, false, null);
    }

    /**
     * Finishes a point an earlier sweep did not: continues from its {@code checkpoint.zip} when there is
     * one ({@link Trainer#resume}: the same final parameters as an uninterrupted run), else removes
     * what the earlier try left and trains from scratch.
     */
    public static RunResult finish(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        return run(point, data, runDir, maxBatches, command, true, null);
    }

    /**
     * {@link #train} ({@code resume} false) or {@link #finish} (true) into {@code runDir}.
     *
     * @param progress receives each row the point's monitor records (null: none)
     */
    public static RunResult run(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command, boolean resume,
                                Consumer<IterationMetrics> progress) {
        try (RunLock lock = RunDirectory.claimPoint(runDir, point.spec(), resume, resume)) {
            RunResult result = lock.resumes() ? new Trainer(null, progress).resume(runDir, data, 0, 0)
                    : new Trainer(null, progress).run(point.spec(), data, new RunOptions(runDir, maxBatches, 0, 0, command));
            Reports.writeRunReport(result.outDir());
            return result;
        }
    }
}
