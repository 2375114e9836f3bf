package org.explosionlab.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.ShuffledBatchIterator;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.ExplosionDetector;
import org.explosionlab.detection.IterationSample;
import org.explosionlab.network.InPlaceMultiLayerUpdater;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.InstrumentedNetwork;
import org.explosionlab.training.IterationMetrics;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains one {@link BenchSetup} epoch by epoch in this JVM and times each epoch. The network is the
 * spec's (seed-baseline: 784-128-64-10, Adam 1e-3); what differs between setups is the data feed, the
 * project switches in {@link BenchSetup#properties()} (Adam implementation, updater) and the listener:
 * <ul>
 *   <li>{@code DL4J_LIST}: {@code net.fit(iterator)} over a {@link ListDataSetIterator} of single-example
 *       DataSets (shuffled once with the spec's seed), the way DL4J examples feed in-memory data;</li>
 *   <li>{@code PRE_BATCHED}: the loop {@code Trainer} runs, {@code net.fit(batch)} over the project's
 *       {@link ShuffledBatchIterator};</li>
 *   <li>{@code METRICS}: the network {@link InstrumentedNetwork} builds, with the sinks {@code Trainer}
 *       feeds in memory (the metrics list and the {@link ExplosionDetector});</li>
 *   <li>{@code DL4J_STATS}: DL4J's {@link StatsListener} with its default configuration (every iteration)
 *       into an {@link InMemoryStatsStorage}.</li>
 * </ul>
 */
public final class SetupRun {
    private final BenchSetup setup;
    private final MultiLayerNetwork net;
    private final ListDataSetIterator<DataSet> listFeed;
    private final ShuffledBatchIterator batchFeed;
    private final int listExamples;
    private final List<IterationMetrics> recorded = new ArrayList<>();
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * @param maxBatches stop each epoch after this many batches (smoke tests); 0 = whole epoch
     */
    public SetupRun(BenchSetup setup, ExperimentSpec spec, MnistLikeDataset data, int batchSize, int maxBatches) {
        this.setup = setup;
        this.net = withProperties(setup.properties(), () -> build(setup, spec));
        if (setup.feed() == BenchSetup.Feed.DL4J_LIST) {
            List<DataSet> examples = data.train().asList();
            if (maxBatches > 0) examples = examples.subList(0, Math.min(examples.size(), maxBatches * batchSize));
            examples = new ArrayList<>(examples);
            Collections.shuffle(examples, new Random(spec.seed()));
            this.listFeed = new ListDataSetIterator<>(examples, batchSize);
            this.listExamples = examples.size();
            this.batchFeed = null;
        } else {
            this.listFeed = null;
            this.listExamples = 0;
            this.batchFeed = data.trainIterator(batchSize, spec.seed(), maxBatches);
        }
    }

    /**
     * Builds with the setup's project switches in force (they are read when the network and its updater
     * are created), then restores the previous values, so that setups can also run one after another in
     * one JVM (tests). JavaCPP's property only acts at JVM start and is left alone here.
     */
    private static MultiLayerNetwork withProperties(Map<String, String> properties, Supplier<MultiLayerNetwork> build) {
        Map<String, String> previous = new HashMap<>();
        properties.keySet().stream().filter(k -> k.startsWith("explosionlab."))
                .forEach(k -> previous.put(k, System.getProperty(k)));
        previous.keySet().forEach(k -> System.setProperty(k, properties.get(k)));
        try {
            return build.get();
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }

    private MultiLayerNetwork build(BenchSetup s, ExperimentSpec spec) {
        return switch (s.listener()) {
            case NONE -> NetworkFactory.build(spec);
            case METRICS -> InstrumentedNetwork.create(spec, trainerSinks(spec)).network();
            case METRICS_EVERY_10, METRICS_EVERY_4 -> {
                ExperimentSpec everyN = SpecOverrides.with(spec, "metricsEvery", s.listener().metricsEvery());
                yield InstrumentedNetwork.create(everyN, trainerSinks(everyN)).network();
            }
            case DL4J_STATS -> {
                MultiLayerNetwork n = NetworkFactory.build(spec);
                n.setListeners(new StatsListener(new InMemoryStatsStorage()));
                yield n;
            }
        };
    }

    /** What {@code Trainer} feeds in memory: the list of recorded metrics and the explosion detector. */
    private List<Consumer<IterationMetrics>> trainerSinks(ExperimentSpec spec) {
        ExplosionDetector detector = new ExplosionDetector(DetectorConfig.defaults()
                .withExplosionFactor(spec.explosionFactor()).withAbsoluteCeiling(spec.explosionCeiling()));
        return List.of(recorded::add, m -> detector.observe(new IterationSample(m.iteration(), m.epoch(), m.loss(),
                m.gradL2Global(), m.gradL2GlobalClipped(), m.gradL2Layer(), m.gradMaxAbs(), m.gradNonFinite(),
                m.clipped(), m.skipped())));
    }

    public BenchSetup setup() {
        return setup;
    }

    public MultiLayerNetwork network() {
        return net;
    }

    /** The Adam kernel the network's updater runs ("native", "vector", "scalar", or "dl4j"). */
    public String adamKernel() {
        return InPlaceMultiLayerUpdater.adamKernelOf(net);
    }

    /** Iterations recorded by the metrics listener so far (0 for setups without it). */
    public int recordedIterations() {
        return recorded.size();
    }

    /** Minibatches in one epoch of this run's feed: ceil(examples / batch size). */
    public int batchesPerEpoch() {
        if (batchFeed != null) return batchFeed.batchesPerEpoch();
        return (listExamples + listFeed.batch() - 1) / listFeed.batch();
    }

    /** Trains one epoch and returns its timing. */
    public EpochTiming epoch() {
        return timed(() -> {
            if (listFeed != null) {
                listFeed.reset();
                net.fit(listFeed);
                return listExamples;
            }
            batchFeed.reset();
            long examples = 0;
            while (batchFeed.hasNext()) {
                DataSet batch = batchFeed.next();
                net.fit(batch);
                examples += batch.numExamples();
            }
            return examples;
        });
    }

    /**
     * Trains the next {@code n} steps of the pre-batched feed — continuing where the last call stopped,
     * starting a new epoch of the feed when one ends — and returns their timing (a block of
     * {@link BlockPairs}).
     */
    public EpochTiming steps(int n) {
        if (batchFeed == null) throw new IllegalStateException("blocks of steps need the pre-batched feed");
        if (n < 1) throw new IllegalArgumentException("a block needs at least one step, got " + n);
        return timed(() -> {
            long examples = 0;
            for (int i = 0; i < n; i++) {
                if (!batchFeed.hasNext()) batchFeed.reset();
                DataSet batch = batchFeed.next();
                net.fit(batch);
                examples += batch.numExamples();
            }
            return examples;
        });
    }

    /** Runs {@code train} (which returns the examples it trained) between readings of the clocks. */
    private EpochTiming timed(LongSupplier train) {
        long cpu0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long examples = train.getAsLong();
        long wall = System.nanoTime() - t0;
        long cpu = Math.max(0, os.getProcessCpuTime() - cpu0);
        long thread = Math.max(0, threads.getCurrentThreadCpuTime() - thread0);
        return new EpochTiming(examples, Math.max(1, wall), cpu, thread);
    }

    /**
     * Trains one epoch of the pre-batched feed timing every step — wall clock and CPU time of this
     * thread, read right before and right after {@code net.fit(batch)}. A step the metrics listener
     * records (iteration count a multiple of the setup's {@code metricsEvery}) goes into {@code steps}
     * as recorded; a step whose iteration count is {@code metricsEvery / 2} past one (the same parity:
     * {@code metricsEvery} is a multiple of 4) as unrecorded; the others are not kept. Same parity because
     * steps timed one by one alternate: on the project's VM, in this loop, even iterations took
     * ~140 µs (~20 %) longer than odd ones with no listener at all, in DL4J's code between backprop,
     * updater and the end of {@code fit}; timers inside an untimed epoch loop showed no such
     * difference (cause not found; bench/RESULTS.md, run 4).
     */
    public void timedSteps(StepTimes steps) {
        if (batchFeed == null) throw new IllegalStateException("step timing needs the pre-batched feed");
        int every = setup.listener().metricsEvery();
        if (setup.listener() == BenchSetup.Listener.NONE || every % 4 != 0) {
            throw new IllegalStateException("step timing needs a metrics listener recording every 4k-th iteration, got setup "
                    + setup.id());
        }
        batchFeed.reset();
        while (batchFeed.hasNext()) {
            DataSet batch = batchFeed.next();
            int phase = net.getIterationCount() % every;
            long thread0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            net.fit(batch);
            long wall = System.nanoTime() - t0;
            long cpu = threads.getCurrentThreadCpuTime() - thread0;
            if (phase == 0) steps.add(true, wall, cpu);
            else if (phase == every / 2) steps.add(false, wall, cpu);
        }
    }
}
