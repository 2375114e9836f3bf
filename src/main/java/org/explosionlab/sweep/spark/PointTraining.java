package org.explosionlab.sweep.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.sweep.SweepPoint;

/**
 * Trains one point of a sweep into a run directory, exactly as the local sweep does: the one seam
 * between the Spark runner and the single-run code, so that both paths write the same files. It is
 * shipped to the executors inside each task's function (Spark serializes our own code objects; no
 * user file is ever deserialized), hence {@link Serializable}.
 */
@FunctionalInterface
public interface PointTraining extends Serializable {

    /**
     * Trains {@code point.spec()} on {@code data} and leaves spec.json, metrics.jsonl, metrics.csv,
     * summary.json and model.zip in {@code runDir} (an existing, empty directory).
     *
     * @param maxBatches stop each epoch after this many minibatches; 0 = whole epochs
     * @param command    the command line, recorded in the run's provenance
     */
    void train(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command);

    /** The local sweep's per-point code as it is today ({@link TrainerPointTraining}). */
    static PointTraining likeLocalSweep() {
        return TrainerPointTraining.INSTANCE;
    }
}
