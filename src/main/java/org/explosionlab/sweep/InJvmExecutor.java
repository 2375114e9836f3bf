package org.explosionlab.sweep;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.training.RunSummary;

/**
 * Trains each point of a local sweep on the calling worker thread ({@link PointRunner}), every point with its own
 * {@code MultiLayerNetwork}, all of them reading one shared, read-only copy of each data set. ND4J's OpenMP and BLAS
 * thread counts are process-wide and set to one ({@code RuntimeTuning}), so K workers use K cores, each op running on
 * its worker's thread; ND4J's workspaces and random generators are per thread. (A sweep on a cluster, with a process
 * per executor, is {@code sweep.spark.SparkSweep}.)
 */
public final class InJvmExecutor {
    private final Function<String, MnistLikeDataset> datasets;
    private final Map<String, MnistLikeDataset> loaded = new ConcurrentHashMap<>();

    /** @param datasets loads a data set by the spec's {@code dataset} name (called once per name) */
    public InJvmExecutor(Function<String, MnistLikeDataset> datasets) {
        this.datasets = datasets;
    }

    /**
     * Trains {@code point} into {@code runDir} and returns its summary; throws when the point failed.
     *
     * @param resume    true to finish a point an earlier sweep left unfinished ({@link PointRunner#finish})
     * @param iteration receives the iteration of each row the point's monitor records (the sweep's progress line)
     */
    public RunSummary run(SweepPoint point, Path runDir, int maxBatches, String command, boolean resume, LongConsumer iteration) {
        MnistLikeDataset data = loaded.computeIfAbsent(point.spec().training().dataset(), datasets);
        try {
            return PointRunner.run(point, data, runDir, maxBatches, command, resume, m -> iteration.accept(m.iteration())).summary();
        } finally {
            NativeMemory.releaseAfterPoint();        // a long sweep would otherwise hold the dead points' native arrays
        }
    }
}
