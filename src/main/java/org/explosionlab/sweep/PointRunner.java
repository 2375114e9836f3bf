package org.explosionlab.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.training.Checkpoint;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;

/**
 * Trains one point of a sweep exactly as {@code explosion-lab train --spec spec.json --max-batches N}
 * does: the same {@link Trainer} (which applies {@code RuntimeTuning}: one OpenMP and BLAS thread), the
 * same spec, data and {@link RunOptions} (checkpoints at epoch ends only), so its parameters,
 * metrics.jsonl and summary (but for wall times, provenance and peak RSS) equal a lone {@code train}
 * run's. This is the unit a local worker thread, a child JVM or a Spark task runs.
 */
public final class PointRunner {
    /** The files a fresh start removes from a point's directory (what an earlier, unfinished try left); not its {@link PointStatus#FILE}, which the sweep keeps. */
    static final List<String> RUN_FILES = List.of("metrics.jsonl", "metrics.csv", "summary.json", Trainer.SPEC_FILE,
            Checkpoint.FILE, Trainer.MODEL_FILE, "report.html");

    private PointRunner() {
    }

    /**
     * Trains {@code point} from scratch into {@code runDir} (created here, when the point starts, and
     * cleared of the {@link #RUN_FILES} an earlier try left; null keeps everything in memory).
     *
     * @param maxBatches stop each epoch after this many minibatches; 0 = whole epochs
     * @param command    the command line, recorded in the run's provenance
     */
    public static RunResult train(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        if (runDir != null) {
            createDirectories(runDir);
            clean(runDir);               // an --overwrite of an earlier sweep: its metrics.jsonl must not be appended to
        }
        return new Trainer(null).run(point.spec(), data, new RunOptions(runDir, maxBatches, 0, 0, command));
    }

    /**
     * Finishes a point an earlier sweep did not: continues from its {@code checkpoint.zip} when there is
     * one ({@link Trainer#resume}: the same final parameters as an uninterrupted run), else removes
     * what the earlier try left and trains from scratch.
     */
    public static RunResult finish(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        if (Files.isRegularFile(runDir.resolve(Checkpoint.FILE)) && Files.isRegularFile(runDir.resolve(Trainer.SPEC_FILE))) {
            return new Trainer(null).resume(runDir, data, 0, 0);
        }
        clean(runDir);
        return train(point, data, runDir, maxBatches, command);
    }

    /** Removes the {@link #RUN_FILES} of an unfinished try (nothing else). */
    static void clean(Path runDir) {
        try {
            for (String f : RUN_FILES) Files.deleteIfExists(runDir.resolve(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + runDir + ": " + e.getMessage(), e);
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
