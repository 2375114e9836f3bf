package org.explosionlab.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.training.RuntimeTuning;

/**
 * How a child JVM of the benchmark sets up DL4J, one row of the settings comparison. Each runs in a
 * JVM of its own, because OpenMP reads its thread count once, when ND4J's native library loads, and
 * JavaCPP its memory limits once, when it loads. All train seed-baseline with DL4J's own
 * {@code MultiLayerNetwork}, backprop and Adam; what differs:
 * <ul>
 *   <li><b>threads</b>: {@code tuned} children start with {@code OMP_NUM_THREADS=OPENBLAS_NUM_THREADS=1}
 *       and call {@link RuntimeTuning#applyDefaults()} before ND4J loads (1 op and BLAS thread, JavaCPP's
 *       physical-memory check off); the others start without the thread variables and never call it
 *       (OpenMP's default: one thread per core; JavaCPP checks the process size on each allocation);</li>
 *   <li><b>feed</b>: {@link TrainingRun.Feed#IN_MEMORY}, the project's {@code InMemoryBatchIterator}
 *       with {@code net.fit(batch)} per minibatch, as {@code Trainer} trains; or
 *       {@link TrainingRun.Feed#LIST_ITERATOR}, {@code net.fit(new ListDataSetIterator(train.asList(), batch))}
 *       per epoch, the way DL4J's examples feed in-memory data (merging per-example DataSets into each
 *       minibatch);</li>
 *   <li><b>workspaces</b>: the project sets training and inference workspace mode ENABLED explicitly
 *       ({@code NetworkFactory}); that is also DL4J 1.0.0-M2.1's default ({@link #dl4jDefaultWorkspaceMode()}
 *       checks it at run time), so the two main rows do not differ there; the ablation
 *       {@code project-ws-none} shows what the mode is worth.</li>
 * </ul>
 */
public enum Settings {
    DL4J_DEFAULTS("dl4j-defaults", "DL4J out of the box: default threads (OpenMP one per core), JavaCPP memory check on, "
            + "net.fit(ListDataSetIterator) per epoch, workspaces at DL4J's default", false, TrainingRun.Feed.LIST_ITERATOR, null),
    PROJECT("project", "this project: RuntimeTuning (1 OpenMP/BLAS thread, JavaCPP memory check off), in-memory minibatches "
            + "(InMemoryBatchIterator, net.fit(batch)), workspaces ENABLED", true, TrainingRun.Feed.IN_MEMORY, WorkspaceMode.ENABLED),
    DEFAULTS_ONE_THREAD("dl4j-defaults-1t", "(dl4j-defaults) with 1 thread and RuntimeTuning, nothing else changed", true,
            TrainingRun.Feed.LIST_ITERATOR, null),
    PROJECT_NO_WORKSPACES("project-ws-none", "(project) with training and inference workspace mode NONE", true,
            TrainingRun.Feed.IN_MEMORY, WorkspaceMode.NONE);

    private final String id;
    private final String label;
    private final boolean tuned;
    private final TrainingRun.Feed feed;
    private final WorkspaceMode workspaces;

    Settings(String id, String label, boolean tuned, TrainingRun.Feed feed, WorkspaceMode workspaces) {
        this.id = id;
        this.label = label;
        this.tuned = tuned;
        this.feed = feed;
        this.workspaces = workspaces;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** Whether the child starts with one thread and calls {@link RuntimeTuning#applyDefaults()}. */
    public boolean tuned() {
        return tuned;
    }

    public TrainingRun.Feed feed() {
        return feed;
    }

    /** The value of the child's thread variables: 1 when tuned, null = removed (library defaults). */
    Integer threadVariable() {
        return tuned ? 1 : null;
    }

    /** The network: seed-baseline as {@code NetworkFactory} builds it, with this row's workspace mode (null: as built). */
    MultiLayerNetwork build(ExperimentSpec spec) {
        MultiLayerConfiguration conf = NetworkFactory.configuration(spec);
        WorkspaceMode mode = workspaces != null ? workspaces : dl4jDefaultWorkspaceMode();
        conf.setTrainingWorkspaceMode(mode);
        conf.setInferenceWorkspaceMode(mode);
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
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

    /** The row with this id; an unknown id gets a one-line message listing the valid ones. */
    public static Settings byId(String id) {
        for (Settings s : values()) {
            if (s.id.equalsIgnoreCase(id.trim())) return s;
        }
        throw new IllegalArgumentException("unknown settings row '" + id.trim() + "'; use one of "
                + Arrays.stream(values()).map(Settings::id).collect(Collectors.joining(", ")));
    }

    /**
     * Rows from a comma-separated list of ids; {@code dl4j-defaults} first (the reference of the speed
     * ratios) and {@code project} (the reference of the physical-limit ratios) are required, every id at
     * most once.
     */
    public static List<Settings> parseList(String ids) {
        List<Settings> list = Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).map(Settings::byId).toList();
        if (list.isEmpty() || list.get(0) != DL4J_DEFAULTS || !list.contains(PROJECT)) {
            throw new IllegalArgumentException("--settings needs 'dl4j-defaults' first and 'project', got '" + ids + "'");
        }
        if (list.stream().distinct().count() != list.size()) throw new IllegalArgumentException("--settings repeats a row: '" + ids + "'");
        return list;
    }
}
