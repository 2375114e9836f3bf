package org.explosionlab.sweep;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.training.RunSummary;

/**
 * Trains each point on the calling worker thread, every point with its own {@code MultiLayerNetwork},
 * all of them reading one shared, read-only copy of each data set. ND4J's OpenMP and BLAS thread
 * counts are process-wide and set to one ({@code RuntimeTuning}), so K workers use K cores, each op
 * running on its worker's thread; ND4J's workspaces and random generators are per thread.
 */
public final class InJvmExecutor implements PointExecutor {
    private final Function<String, MnistLikeDataset> datasets;
    private final Map<String, MnistLikeDataset> loaded = new ConcurrentHashMap<>();

    /** @param datasets loads a data set by the spec's {@code dataset} name (called once per name) */
    public InJvmExecutor(Function<String, MnistLikeDataset> datasets) {
        this.datasets = datasets;
    }

    @Override
    public RunSummary run(SweepPoint point, Path runDir, int maxBatches, String command, boolean resume) {
        MnistLikeDataset data = loaded.computeIfAbsent(point.spec().training().dataset(), datasets);
        try {
            return (resume ? PointRunner.finish(point, data, runDir, maxBatches, command)
                    : PointRunner.train(point, data, runDir, maxBatches, command)).summary();
        } finally {
            NativeMemory.releaseAfterPoint();        // a long sweep would otherwise hold the dead points' native arrays
        }
    }
}
