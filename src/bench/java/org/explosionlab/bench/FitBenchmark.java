package org.explosionlab.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.InMemoryBatchIterator;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.dataset.DataSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One DL4J training step, {@code MultiLayerNetwork.fit(minibatch)}, of the seed model (seed-baseline:
 * 784-128-64-10, Adam 1e-3, as {@code NetworkFactory} builds it) on the embedded MNIST, in microseconds
 * per minibatch, with the project's runtime settings ({@link RuntimeTuning}: one ND4J/BLAS thread).
 * The rows differ only in the listener, so their ratio to {@code none} is the listener's cost:
 * <ul>
 *   <li>{@code none}: no listener, the reference;</li>
 *   <li>{@code monitor}: {@link ExplosionMonitor#attach}: reads the raw gradient and θ in
 *       {@code onGradientCalculation} (after backprop, before the updater) and Δθ in {@code iterationDone}
 *       (after the updater), every iteration;</li>
 *   <li>{@code monitor-10}: {@code ExplosionMonitor.builder().every(10)}: nine steps in ten only check the
 *       iteration number;</li>
 *   <li>{@code stats}: DL4J's {@link StatsListener} into an {@link InMemoryStatsStorage} with its defaults
 *       (a full report every 10th iteration, the step timed on every one).</li>
 * </ul>
 * Minibatches come from the project's {@link InMemoryBatchIterator} (as {@code Trainer} feeds them), the
 * next one per call, starting a new epoch when one ends. Drift between rows, which run one after
 * another, is what {@code bench/paired-rounds.sh} answers for the monitor's 2 % goal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dexplosionlab.threads=1"})
public class FitBenchmark {
    @Param({"32", "128"})
    public int batch;

    @Param({"none", "monitor", "monitor-10", "stats"})
    public String listener;

    private MultiLayerNetwork net;
    private InMemoryBatchIterator batches;
    private ExplosionMonitor monitor;

    @Setup(Level.Trial)
    public void setUp() {
        RuntimeTuning.applyDefaults();                  // before ND4J loads: one thread, JavaCPP's memory check off
        ExperimentSpec spec = Presets.load("seed-baseline");
        MnistLikeDataset data = DatasetResolver.resolve("mnist-embedded");
        net = NetworkFactory.build(spec);
        batches = data.trainIterator(batch, spec.training().seed(), 0);
        switch (listener) {
            case "none" -> { }
            case "monitor" -> monitor = ExplosionMonitor.attach(net);
            case "monitor-10" -> monitor = ExplosionMonitor.builder().every(10).attach(net);
            case "stats" -> net.addListeners(new StatsListener(new InMemoryStatsStorage()));
            default -> throw new IllegalArgumentException("unknown listener row '" + listener + "'; use none, monitor, monitor-10, stats");
        }
    }

    @Benchmark
    public MultiLayerNetwork fit() {
        if (!batches.hasNext()) batches.reset();
        DataSet minibatch = batches.next();
        net.fit(minibatch);
        return net;
    }

    /** A check that the monitor really ran: it must have recorded steps. */
    @TearDown(Level.Trial)
    public void check() {
        if (monitor != null && monitor.metrics().isEmpty()) {
            throw new IllegalStateException("the monitor recorded nothing over " + net.getIterationCount() + " iterations");
        }
    }
}
