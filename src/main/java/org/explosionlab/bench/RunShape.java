package org.explosionlab.bench;

import java.util.List;
import org.explosionlab.data.DatasetResolver;
import picocli.CommandLine.Option;

/**
 * What both benchmark commands train on and how long: batch sizes, warm-up, epoch truncation and the
 * dataset (a picocli mixin of {@link TrainingBenchmark} and {@link ListenerOverhead}).
 */
public final class RunShape {
    @Option(names = "--batch", paramLabel = "N[,N...]", split = ",", description = "batch sizes; default: 32,128")
    List<Integer> batches = List.of(32, 128);

    /**
     * HotSpot's C2 compiler keeps compiling DL4J's step for about 3,500 minibatches (measured: the C2
     * thread used 40 % of a core in epochs 5–9 at batch 32 and under 5 % from epoch 15 on), and its CPU
     * time counts in the process's. The warm-up covers most of that, at any batch size.
     */
    @Option(names = "--warmup-steps", paramLabel = "N", description = "minibatches trained before measuring, rounded up to whole epochs; default: ${DEFAULT-VALUE}")
    int warmupSteps = 3000;

    @Option(names = "--max-batches", paramLabel = "N", description = "truncate every epoch to N minibatches (smoke runs); 0 = whole epochs")
    int maxBatches;

    @Option(names = "--data", paramLabel = "NAME|DIR", description = "dataset (mnist-embedded is data/mnist inside the jar); default: ${DEFAULT-VALUE}")
    String data = DatasetResolver.DEFAULT_DATASET;

    /** One line on the first value out of range. */
    void check() {
        if (warmupSteps < 0) throw new IllegalArgumentException("--warmup-steps must be >= 0, got " + warmupSteps);
        if (maxBatches < 0) throw new IllegalArgumentException("--max-batches must be >= 0, got " + maxBatches);
        for (int b : batches) if (b < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + b);
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
