package org.explosionlab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.InMemoryBatchIterator;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This project's DL4J settings against DL4J's out-of-the-box ones: the seed model (seed-baseline, DL4J's
 * own {@code MultiLayerNetwork}, backprop and Adam) trained on {@value #STEPS} minibatches of the embedded
 * MNIST per call, in microseconds per minibatch. Each row is a fork of its own, because OpenMP and JavaCPP
 * read their settings once, when ND4J's native library loads. Run it with {@code OMP_NUM_THREADS} and
 * {@code OPENBLAS_NUM_THREADS} unset (as {@code bench/run-all.sh} does), so that the DL4J rows get DL4J's
 * defaults:
 * <ul>
 *   <li>{@code dl4j-defaults}: OpenMP's default of one thread per core, JavaCPP's physical-memory check on,
 *       {@code net.fit(ListDataSetIterator)} over one {@code DataSet} per example (shuffled once), the way
 *       DL4J's examples feed in-memory data, workspaces at DL4J's default;</li>
 *   <li>{@code project}: {@link RuntimeTuning#applyDefaults()} (one ND4J and BLAS thread, JavaCPP's memory
 *       check off), the project's {@link InMemoryBatchIterator} with {@code net.fit(minibatch)}, workspaces
 *       ENABLED as {@code NetworkFactory} sets them;</li>
 *   <li>{@code dl4j-defaults-1t}: {@code dl4j-defaults} with {@code RuntimeTuning}, nothing else changed;</li>
 *   <li>{@code project-ws-none}: {@code project} with training and inference workspace mode NONE.</li>
 * </ul>
 * DL4J 1.0.0-M2.1's default workspace mode is ENABLED ({@link #dl4jDefaultWorkspaceMode()} reads it), so
 * the first two rows do not differ there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dexplosionlab.threads=1"})
public class SettingsBenchmark {
    /** Minibatches per benchmark call. */
    static final int STEPS = 50;

    @Param({"32"})
    public int batch;

    @Param({"dl4j-defaults", "project", "dl4j-defaults-1t", "project-ws-none"})
    public String settings;

    private MultiLayerNetwork net;
    private InMemoryBatchIterator batches;
    private ListDataSetIterator<DataSet> list;

    @Setup(Level.Trial)
    public void setUp() {
        boolean tuned = !settings.equals("dl4j-defaults");
        if (tuned) RuntimeTuning.applyDefaults();       // before ND4J loads
        ExperimentSpec spec = Presets.load("seed-baseline");
        MnistLikeDataset data = DatasetResolver.resolve("mnist-embedded");
        MultiLayerConfiguration conf = NetworkFactory.configuration(spec);
        WorkspaceMode mode = switch (settings) {
            case "project" -> WorkspaceMode.ENABLED;
            case "project-ws-none" -> WorkspaceMode.NONE;
            case "dl4j-defaults", "dl4j-defaults-1t" -> dl4jDefaultWorkspaceMode();
            default -> throw new IllegalArgumentException("unknown settings row '" + settings
                    + "'; use dl4j-defaults, project, dl4j-defaults-1t, project-ws-none");
        };
        conf.setTrainingWorkspaceMode(mode);
        conf.setInferenceWorkspaceMode(mode);
        net = new MultiLayerNetwork(conf);
        net.init();
        if (settings.startsWith("project")) {
            batches = data.trainIterator(batch, spec.training().seed(), STEPS);
        } else {
            List<DataSet> examples = new ArrayList<>(data.train().asList().subList(0, STEPS * batch));
            Collections.shuffle(examples, new Random(spec.training().seed()));
            list = new ListDataSetIterator<>(examples, batch);
        }
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public MultiLayerNetwork steps() {
        if (list != null) {
            list.reset();
            net.fit(list);
        } else {
            batches.reset();
            while (batches.hasNext()) net.fit(batches.next());
        }
        return net;
    }

    /** The training workspace mode DL4J gives a configuration that does not set one (ENABLED in 1.0.0-M2.1). */
    static WorkspaceMode dl4jDefaultWorkspaceMode() {
        return new NeuralNetConfiguration.Builder() {
            WorkspaceMode initial() {
                return trainingWorkspaceMode;        // the builder's field as its constructor left it
            }
        }.initial();
    }
}
