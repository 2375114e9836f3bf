package org.explosionlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.report.Reports;
import org.explosionlab.training.Checkpoint;
import org.explosionlab.training.RunFiles;
import org.explosionlab.training.RunLock;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.SafePaths;
import org.explosionlab.training.Trainer;

/**
 * Trains one point of a sweep exactly as {@code explosion-lab train --spec spec.json --max-batches N}
 * does: the same {@link Trainer} (which applies {@code RuntimeTuning}: one OpenMP and BLAS thread), the
 * same spec, data and {@link RunOptions} (checkpoints at epoch ends only), so its parameters,
 * metrics.jsonl and summary (but for wall times, provenance and peak RSS) equal a lone {@code train}
 * run's. This is the unit a local worker thread, a child JVM or a Spark task runs.
 */
public final class PointRunner {
    private PointRunner() {
    }

    /**
     * Trains {@code point} from scratch into {@code runDir} (created here, when the point starts, locked
     * ({@link RunLock}: one writer per run directory) and cleared of the {@link RunFiles} an earlier try
     * left; null keeps everything in memory).
     *
     * @param maxBatches stop each epoch after this many minibatches; 0 = whole epochs
     * @param command    the command line, recorded in the run's provenance
     */
    public static RunResult train(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        if (runDir == null) return new Trainer(null).run(point.spec(), data, new RunOptions(null, maxBatches, 0, 0, command));
        createDirectories(runDir);
        try (RunLock lock = RunLock.acquire(runDir)) {
            return fresh(point, data, runDir, maxBatches, command, false);
        }
    }

    private static RunResult fresh(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command, boolean resuming) {
        requireNoForeignRun(runDir, point.spec(), resuming);
        RunFiles.clear(runDir);          // what an earlier, unfinished try of this point left: its metrics.jsonl must not be appended to
        return reported(runDir, new Trainer(null).run(point.spec(), data, new RunOptions(runDir, maxBatches, 0, 0, command)));
    }

    /** Writes the finished run's report.html and PNGs, as train does. */
    private static RunResult reported(Path runDir, RunResult r) {
        Reports.writeRunReport(runDir);
        return r;
    }

    /**
     * Finishes a point an earlier sweep did not: continues from its {@code checkpoint.zip} when there is
     * one ({@link Trainer#resume}: the same final parameters as an uninterrupted run), else removes
     * what the earlier try left and trains from scratch.
     */
    public static RunResult finish(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        createDirectories(runDir);
        try (RunLock lock = RunLock.acquire(runDir)) {
            if (Files.isRegularFile(runDir.resolve(Checkpoint.FILE)) && Files.isRegularFile(runDir.resolve(Trainer.SPEC_FILE))) {
                return reported(runDir, new Trainer(null).resume(runDir, data, 0, 0));
            }
            return fresh(point, data, runDir, maxBatches, command, true);
        }
    }

    /** A point's directory holds a finished run this sweep did not write; the message is one line for the user. */
    public static final class ForeignRunException extends IllegalStateException {
        ForeignRunException(String message) {
            super(message);
        }
    }

    /**
     * A point's directory holds no finished run when it starts from scratch: the sweep's own earlier
     * runs are gone ({@code --overwrite} removes them at its start, {@link Sweep#clearEarlierSweep}), and a
     * failed try never wrote {@code model.zip}, so a finished run there was written by another process
     * (a {@code train --out} into the sweep): the point fails and leaves it as it is.
     */
    public static void requireNoForeignRun(Path runDir, org.explosionlab.spec.ExperimentSpec spec, boolean resuming) {
        if (resuming && ownUnfinishedRun(runDir, spec)) return;
        for (String f : java.util.List.of(org.explosionlab.training.Trainer.MODEL_FILE, "summary.json")) {
            if (Files.isRegularFile(runDir.resolve(f))
                    && (f.equals(org.explosionlab.training.Trainer.MODEL_FILE) || finishedSummary(runDir.resolve(f)))) {
                throw new ForeignRunException(runDir + " already holds a finished run (" + f + ") that this sweep did not write;"
                        + " it is kept: move it away and sweep --resume, or sweep again with --overwrite");
            }
        }
    }

    /**
     * Resuming, a point whose directory holds this sweep's own run that is not complete (its summary.json was
     * deleted, say, while model.zip stayed): the sweep wrote its status file and the run's spec.json is the
     * point's spec, so the run is trained again rather than blamed on another process.
     */
    private static boolean ownUnfinishedRun(Path runDir, org.explosionlab.spec.ExperimentSpec spec) {
        if (!Files.isRegularFile(runDir.resolve(PointStatus.FILE)) || !Files.isRegularFile(runDir.resolve(Trainer.SPEC_FILE))) return false;
        try {
            var written = org.explosionlab.spec.SpecJson.read(runDir.resolve(Trainer.SPEC_FILE));
            return org.explosionlab.training.SpecChange.tree(written).equals(org.explosionlab.training.SpecChange.tree(spec));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A summary.json with results: the mark of a finished run (a running one has none yet). */
    private static boolean finishedSummary(Path summary) {
        try {
            return org.explosionlab.spec.SpecJson.mapper().readTree(summary.toFile()).hasNonNull("results");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void createDirectories(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) SafePaths.requireInside(parent, dir);     // a linked point directory is never written through
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
