package org.explosionlab.sweep;

import java.nio.file.Path;
import org.explosionlab.training.RunSummary;

/**
 * Runs one point of a sweep into its run directory and returns its summary; throws when the point
 * failed. {@link InJvmExecutor} trains on a worker thread of this JVM, {@link ChildJvmExecutor} in a
 * child JVM of its own.
 */
public interface PointExecutor {
    /**
     * @param resume true to finish a point an earlier sweep left unfinished ({@link PointRunner#finish})
     */
    RunSummary run(SweepPoint point, Path runDir, int maxBatches, String command, boolean resume) throws Exception;

    /** Stops whatever is still running (Ctrl-C); the default has nothing to stop. */
    default void stopAll() {
    }
}
