package org.explosionlab.bench;

import org.explosionlab.network.FastDenseNetwork;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.explosionlab.network.FusedAdam;
import org.explosionlab.network.InPlaceMultiLayerUpdater;
import org.explosionlab.training.RuntimeTuning;

/**
 * One way of training the seed model that the benchmark measures. Each setup runs in its own JVM,
 * because OpenMP reads its thread count once, when ND4J's native library loads, and JavaCPP reads its
 * memory limits once, when it loads: {@link Threads#DEFAULT} starts the JVM without
 * {@code OMP_NUM_THREADS} and never calls the project's {@link RuntimeTuning} (ND4J's and JavaCPP's own
 * defaults); {@link Threads#TUNED} starts it with {@code OMP_NUM_THREADS=1} and
 * {@code -Dexplosionlab.threads=1} and applies {@link RuntimeTuning} before ND4J loads.
 * {@link #properties()} are passed to the child as {@code -D} options and switch single project
 * defaults off, so that one row shows what one change buys.
 *
 * <p>The first four are the rows the speed issue asks for; the others isolate one change each.
 */
public enum BenchSetup {
    /** (a) What a DL4J user writes: net.fit(iterator) over a ListDataSetIterator, DL4J's Adam and updater, no listener. */
    PLAIN("a", "plain DL4J: fit(ListDataSetIterator), DL4J backprop and Adam, default threads", Threads.DEFAULT, Feed.DL4J_LIST,
            Listener.NONE, Map.of(FusedAdam.ENABLED_PROPERTY, "false", InPlaceMultiLayerUpdater.ENABLED_PROPERTY, "false",
                    FastDenseNetwork.ENABLED_PROPERTY, "false")),
    /** (b) The project's defaults: RuntimeTuning, pre-batched in-memory iterator, fused Adam, in-place updater. */
    TUNED("b", "project defaults: RuntimeTuning (1 thread), pre-batched iterator, fast dense backprop, fused Adam (÷k and θ − Δθ in its native pass), in-place updater",
            Threads.TUNED, Feed.PRE_BATCHED, Listener.NONE, Map.of()),
    /** (c) (b) plus the project's metrics listener, recording every iteration, as {@code Trainer} installs it. */
    METRICS("c", "(b) + metrics listener, every iteration (InstrumentedNetwork + detector; figures in the native Adam pass)", Threads.TUNED,
            Feed.PRE_BATCHED, Listener.METRICS, Map.of()),
    /** (d) (b) plus DL4J's own StatsListener into an InMemoryStatsStorage. */
    STATS("d", "(b) + DL4J StatsListener(InMemoryStatsStorage)", Threads.TUNED, Feed.PRE_BATCHED,
            Listener.DL4J_STATS, Map.of()),
    /** Variant of (c): the metrics listener recording every 10th iteration (spec field metricsEvery = 10). */
    METRICS_EVERY_10("c10", "(c) recording every 10th iteration (metricsEvery=10)", Threads.TUNED, Feed.PRE_BATCHED,
            Listener.METRICS_EVERY_10, Map.of()),
    /**
     * Variant of (c) for the step-paired measurement ({@link ListenerOverhead}): recording every 4th
     * iteration, so that each recorded step is two steps from an unrecorded step of the same parity
     * (see {@link SetupRun#timedSteps} for why the parity matters).
     */
    METRICS_EVERY_4("c4", "(c) recording every 4th iteration (metricsEvery=4): recorded steps and unrecorded steps of the same parity interleave", Threads.TUNED,
            Feed.PRE_BATCHED, Listener.METRICS_EVERY_4, Map.of()),
    /** Ablation: (a) with one thread (and nothing else of RuntimeTuning), i.e. what the thread setting alone buys. */
    PLAIN_ONE_THREAD("a1", "(a) with 1 thread", Threads.TUNED, Feed.DL4J_LIST, Listener.NONE,
            Map.of(FusedAdam.ENABLED_PROPERTY, "false", InPlaceMultiLayerUpdater.ENABLED_PROPERTY, "false",
                    FastDenseNetwork.ENABLED_PROPERTY, "false", RuntimeTuning.JAVACPP_MAX_PHYSICAL_BYTES, BenchSetup.JAVACPP_DEFAULT)),
    /** Ablation: (a1) with the project's pre-batched iterator and Trainer's loop: the project before the speed work. */
    BEFORE("b-", "(a1) + pre-batched iterator = project before the speed work", Threads.TUNED,
            Feed.PRE_BATCHED, Listener.NONE, Map.of(FusedAdam.ENABLED_PROPERTY, "false",
            InPlaceMultiLayerUpdater.ENABLED_PROPERTY, "false", FastDenseNetwork.ENABLED_PROPERTY, "false",
            RuntimeTuning.JAVACPP_MAX_PHYSICAL_BYTES, BenchSetup.JAVACPP_DEFAULT)),
    /** Ablation: (b) with DL4J's Adam. */
    NO_FUSED_ADAM("b0", "(b) with DL4J's Adam", Threads.TUNED, Feed.PRE_BATCHED, Listener.NONE,
            Map.of(FusedAdam.ENABLED_PROPERTY, "false")),
    /** Ablation: (b) with DL4J's plain MultiLayerUpdater. */
    NO_IN_PLACE("b1", "(b) with DL4J's plain MultiLayerUpdater", Threads.TUNED, Feed.PRE_BATCHED, Listener.NONE,
            Map.of(InPlaceMultiLayerUpdater.ENABLED_PROPERTY, "false")),
    /** Ablation: (b) with JavaCPP's physical-memory check left on. */
    MEMORY_CHECK("b2", "(b) with JavaCPP's physical-memory check on", Threads.TUNED, Feed.PRE_BATCHED,
            Listener.NONE, Map.of(RuntimeTuning.JAVACPP_MAX_PHYSICAL_BYTES, BenchSetup.JAVACPP_DEFAULT)),
    /** Ablation: (b) with DL4J's own θ ← θ − Δθ step after the Adam pass: the project default of the previous session. */
    DL4J_STEP("b4", "(b) with DL4J's params.subi step after the Adam pass (fusedStep=false)",
            Threads.TUNED, Feed.PRE_BATCHED, Listener.NONE, Map.of(InPlaceMultiLayerUpdater.FUSED_STEP_PROPERTY, "false")),
    /** Ablation: (b) with the Java Adam kernel instead of the native one: the project default before run 5. */
    JAVA_KERNEL("bj", "(b) with the Java Adam kernel (nativeAdam=false)", Threads.TUNED, Feed.PRE_BATCHED,
            Listener.NONE, Map.of(FusedAdam.NATIVE_PROPERTY, "false")),
    /** (c) with the Java Adam kernel: the figures in separate OpenBLAS passes, as before run 5. */
    METRICS_JAVA_KERNEL("cj", "(c) with the Java Adam kernel (nativeAdam=false): figures in BLAS passes", Threads.TUNED,
            Feed.PRE_BATCHED, Listener.METRICS, Map.of(FusedAdam.NATIVE_PROPERTY, "false")),
    /** (b) in a JVM started with the Vector API, the native kernel off: the vector Adam kernel. */
    VECTOR("bv", "(b) with --add-modules jdk.incubator.vector and nativeAdam=false: the Vector API Adam kernel", Threads.TUNED,
            Feed.PRE_BATCHED, Listener.NONE, Map.of(FusedAdam.NATIVE_PROPERTY, "false"), true),
    /** (c) in a JVM started with the Vector API, the native kernel off: the metrics measured inside the vector Adam pass. */
    METRICS_VECTOR("cv", "(c) with --add-modules jdk.incubator.vector and nativeAdam=false: metrics measured inside the vector Adam pass", Threads.TUNED,
            Feed.PRE_BATCHED, Listener.METRICS, Map.of(FusedAdam.NATIVE_PROPERTY, "false"), true),
    /** Ablation: (b) with DL4J's own backprop instead of {@link FastDenseNetwork}'s. */
    DL4J_BACKPROP("b3", "(b) with DL4J's backprop (fastBackprop=false)", Threads.TUNED, Feed.PRE_BATCHED,
            Listener.NONE, Map.of(FastDenseNetwork.ENABLED_PROPERTY, "false"));

    /** JavaCPP's own default physical-memory limit, maxBytes + 3 × heap = 4 × heap, written as JavaCPP parses it. */
    static final String JAVACPP_DEFAULT = "400%";

    /** How the JVM's native threads and JavaCPP are set up. */
    public enum Threads {
        /** No thread variables, no RuntimeTuning: the libraries' defaults (one OpenMP thread per core). */
        DEFAULT,
        /** OMP_NUM_THREADS=1 and RuntimeTuning.applyDefaults() before ND4J loads. */
        TUNED
    }

    /** Where minibatches come from. */
    public enum Feed {
        /** DL4J's ListDataSetIterator over one DataSet per example, merged into a batch on each next(). */
        DL4J_LIST,
        /** The project's ShuffledBatchIterator: one gather per epoch, each batch a view. */
        PRE_BATCHED
    }

    /** What listens to each iteration. */
    public enum Listener {
        NONE, METRICS, METRICS_EVERY_10, METRICS_EVERY_4, DL4J_STATS;

        /** The spec's metricsEvery for this listener (1 for those that record every iteration or have no notion of it). */
        int metricsEvery() {
            return this == METRICS_EVERY_10 ? 10 : this == METRICS_EVERY_4 ? 4 : 1;
        }
    }

    private final String id;
    private final String label;
    private final Threads threads;
    private final Feed feed;
    private final Listener listener;
    private final Map<String, String> properties;
    private final boolean vectorModule;

    BenchSetup(String id, String label, Threads threads, Feed feed, Listener listener, Map<String, String> properties) {
        this(id, label, threads, feed, listener, properties, false);
    }

    BenchSetup(String id, String label, Threads threads, Feed feed, Listener listener, Map<String, String> properties,
               boolean vectorModule) {
        this.id = id;
        this.label = label;
        this.threads = threads;
        this.feed = feed;
        this.listener = listener;
        this.properties = properties;
        this.vectorModule = vectorModule;
    }

    /** Whether the setup's JVM starts with {@code --add-modules jdk.incubator.vector} (the vector Adam kernel). */
    public boolean vectorModule() {
        return vectorModule;
    }

    public String id() {
        return id;
    }

    public String label() {
        return label;
    }

    public Threads threads() {
        return threads;
    }

    public Feed feed() {
        return feed;
    }

    public Listener listener() {
        return listener;
    }

    /** System properties that switch project defaults off for this setup, passed to its JVM as {@code -D}. */
    public Map<String, String> properties() {
        return properties;
    }

    /** The setup with this id ("a", "b", ...); an unknown id gets a one-line message listing the valid ones. */
    public static BenchSetup byId(String id) {
        for (BenchSetup s : values()) {
            if (s.id.equalsIgnoreCase(id.trim())) return s;
        }
        throw new IllegalArgumentException("unknown benchmark setup '" + id.trim() + "'; use one of "
                + Arrays.stream(values()).map(BenchSetup::id).collect(Collectors.joining(", ")));
    }

    /** Setups from a comma-separated list of ids, in the given order. */
    public static List<BenchSetup> parseList(String ids) {
        List<BenchSetup> list = Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).map(BenchSetup::byId).toList();
        if (list.isEmpty()) throw new IllegalArgumentException("no benchmark setup given; use e.g. --setups a,b,c,d");
        return list;
    }
}
