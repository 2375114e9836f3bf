package org.explosionlab.sweep.spark;

import java.nio.file.Path;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RuntimeTuning;
import org.explosionlab.training.Trainer;

/**
 * One point trained the way {@link Sweep#run} trains each of its points: {@link Trainer#run} into the
 * run directory, no console output, whole-epoch checkpoints only. ND4J's thread defaults
 * ({@link RuntimeTuning}: one OpenMP thread unless OMP_NUM_THREADS says otherwise) are applied first,
 * since an executor JVM has not been through the command line that applies them on the driver.
 */
enum TrainerPointTraining implements PointTraining {
    INSTANCE;

    @Override
    public void train(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
        RuntimeTuning.applyDefaults();
        try {
            new Trainer(null).run(point.spec(), data, new RunOptions(runDir, maxBatches, 0, command));
        } finally {
            org.explosionlab.sweep.NativeMemory.releaseAfterPoint();   // an executor trains many points in one JVM
        }
    }
}
