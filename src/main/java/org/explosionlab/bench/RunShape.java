package org.explosionlab.bench;

import java.util.List;
import org.explosionlab.data.DatasetResolver;
import picocli.CommandLine.Option;

/**
 * What every part of the benchmark trains on and how long it warms up: batch sizes, warm-up steps,
 * epoch truncation (smoke runs) and the dataset (a picocli mixin of {@link MonitorBenchmark}).
 */
public final class RunShape {
    @Option(names = "--batch", paramLabel = "N[,N...]", split = ",", description = "batch sizes; default: 32,128")
    List<Integer> batches = List.of(32, 128);

    /**
     * HotSpot keeps compiling DL4J's step for the first thousands of minibatches (in an earlier run of
     * this project its C2 thread used 40 % of a core between steps 1,250 and 2,250 at batch 32); the
     * warm-up keeps most of that out of the measurement, and its CPU time out of the process's.
     */
    @Option(names = "--warmup-steps", paramLabel = "N", description = "minibatches each network trains before measuring "
            + "(the child JVMs of the settings part take --child-warmup-steps; --child rounds up to whole epochs); default: ${DEFAULT-VALUE}")
    int warmupSteps = 2000;

    @Option(names = "--max-batches", paramLabel = "N", description = "truncate every epoch to N minibatches (smoke runs); 0 = whole epochs")
    int maxBatches;

    @Option(names = "--data", paramLabel = "NAME|DIR", description = "dataset of the Java side (mnist-embedded is data/mnist inside the jar); default: ${DEFAULT-VALUE}")
    String data = DatasetResolver.DEFAULT_DATASET;

    /** One line on the first value out of range. */
    void check() {
        if (warmupSteps < 0) throw new IllegalArgumentException("--warmup-steps must be >= 0, got " + warmupSteps);
        if (maxBatches < 0) throw new IllegalArgumentException("--max-batches must be >= 0, got " + maxBatches);
        if (batches.isEmpty()) throw new IllegalArgumentException("--batch needs at least one size");
        for (int b : batches) if (b < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + b);
        if (batches.stream().distinct().count() != batches.size()) throw new IllegalArgumentException("--batch repeats a size: " + batches);
    }

    /** Whole epochs covering at least the warm-up steps. */
    int warmupEpochs(int batchesPerEpoch) {
        return warmupEpochs(warmupSteps, batchesPerEpoch);
    }

    /** Whole epochs covering at least {@code warmupSteps} minibatches: ⌈warmupSteps / batchesPerEpoch⌉. */
    static int warmupEpochs(int warmupSteps, int batchesPerEpoch) {
        int perEpoch = Math.max(1, batchesPerEpoch);
        return (warmupSteps + perEpoch - 1) / perEpoch;
    }
}
