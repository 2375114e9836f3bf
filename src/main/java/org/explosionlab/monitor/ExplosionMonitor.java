package org.explosionlab.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.spec.EventKind;
import org.explosionlab.detection.ExplosionDetector;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.IterationSample;
import org.explosionlab.detection.NetworkFacts;
import org.explosionlab.detection.TextLines;
import org.explosionlab.detection.Verdict;
import org.explosionlab.detection.Warning;
import org.explosionlab.detection.WarningRule;
import org.explosionlab.diagnosis.Diagnosis;
import org.explosionlab.diagnosis.Finding;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exploding-gradient monitor for any DL4J {@link MultiLayerNetwork} or {@link ComputationGraph}: a DL4J
 * training listener, used like any other.
 * <pre>
 * ExplosionMonitor monitor = ExplosionMonitor.attach(net);          // adds itself to net's listeners
 * // or: ExplosionMonitor monitor = ExplosionMonitor.builder().build();
 * //     net.setListeners(new ScoreIterationListener(10), monitor);  // any order, with any other listener
 * net.fit(trainIter, 5);
 * monitor.verdict().kind();   // HEALTHY, RECOVERED, CONTAINED, EXPLOSION, NONFINITE, COLLAPSE, DEAD_UNITS, LARGE_UPDATES,
 *                             // VANISHING, STALLED, NOT_LEARNING, NO_DATA, UNWATCHED, TOO_SHORT
 * ExplosionAssertions.assertHealthy(monitor);   // in a JUnit test
 * </pre>
 * It watches the first network whose callbacks reach it (one monitor per network). It keeps the user's other
 * listeners, updater configuration and optimizer state, and takes the parameter layout from the network's
 * {@code paramTable()}, so it works for every layer DL4J trains (dense, convolution, subsampling, batch
 * normalization, dropout, recurrent) and every graph vertex. Only when a layer uses DL4J's
 * {@code GradientNormalization} does it install a hooked updater (DL4J's own, with a window after the
 * normalization) to measure what the optimizer receives. The figures' definitions are in {@link IterationMetrics}.
 *
 * <p><b>Removed, then trusted?</b> {@code net.setListeners(...)} replaces every listener, so a
 * {@code setListeners} after {@code attach} removes the monitor. The verdict then says so: {@code no_data} when
 * it recorded nothing, {@code unwatched} when the network trained iterations it did not see. It is never
 * {@code healthy} for a network it did not watch, nor for a run too short to judge ({@code too_short}).
 *
 * <p><b>Events</b> are logged through SLF4J at WARN (logger {@code org.explosionlab.monitor.ExplosionMonitor}),
 * unless {@link Builder#logEvents(boolean) logEvents(false)}; the user's logging backend decides where they go.
 *
 * <p><b>Early warnings</b> come before the loss shows an explosion: with {@link Builder#instruments(boolean)
 * instruments(true)} Adam's update RMS, the cosine between update and descent direction and the spike score of the
 * gradient norm, and with {@link Builder#sharpnessEvery(int) sharpnessEvery(k)} the directional sharpness against
 * 2/η (both off by default: they cost CPU), go through
 * a {@link WarningRule}; each {@link Warning} is logged at WARN, handed to the {@link Builder#onWarning} sinks and
 * kept in the verdict's {@code warnings}. A warning never changes the verdict.
 *
 * <p><b>Diagnosis.</b> When it binds to its network the monitor runs {@link Diagnosis#ofConfiguration} (the checks
 * that need only the configuration: learning rate, loss/activation, init, dropout, L2, recurrent clipping, deep
 * saturating stacks) and logs each finding through SLF4J, severe ones at WARN, others at INFO; {@link #diagnosis()}
 * returns it. It does not read the training iterator; for the data and first-step checks call
 * {@code Diagnosis.of(net, trainIter)} yourself. {@link Builder#diagnose(boolean) diagnose(false)} turns it off.
 *
 * <p><b>Memory</b> stays bounded on a long run: the detector holds fixed windows, and the monitor keeps the
 * last {@value #DEFAULT_KEEP} recorded iterations for {@link #metrics()} unless told otherwise
 * ({@link Builder#keepMetrics(boolean)}).
 */
public final class ExplosionMonitor extends BaseTrainingListener implements Closeable {
    /**
     * Early warnings kept for {@link #warnings()} and the verdict: the first 1,000 (a run that lives at the edge of
     * stability warns about every 50 iterations); later ones still go to the log and the {@code onWarning} sinks.
     */
    public static final int MAX_WARNINGS = 1000;
    /** Recorded iterations kept for {@link #metrics()} by default. */
    public static final int DEFAULT_KEEP = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ExplosionMonitor.class);

    private final Builder options;
    private final DetectorConfig chosenConfig;
    private final Set<EventKind> stopOn;
    private final List<IterationMetrics> metrics = new ArrayList<>();
    private final List<Consumer<IterationMetrics>> sinks;
    private final List<Consumer<ExplosionEvent>> eventSinks;
    private final List<Consumer<Warning>> warningSinks;
    private final WarningRule warningRule;
    private final List<Warning> warnings = new ArrayList<>();
    private final List<Closeable> files = new ArrayList<>();
    private final List<Consumer<IterationMetrics>> fileSinks = new ArrayList<>();
    private Network network;
    private ParamLayout layout;
    private List<String> weightKeys;
    private StepRecorder recorder;
    private ExplosionDetector detector;
    private long startIteration;
    private long seenIterations;
    private ExplosionEvent stopEvent;
    private long iterationAtClose = -1;
    private Diagnosis diagnosis;

    private ExplosionMonitor(Builder b) {
        this.options = b;
        this.chosenConfig = b.detector;
        this.stopOn = EnumSet.noneOf(EventKind.class);
        this.stopOn.addAll(b.stopOn);
        this.sinks = List.copyOf(b.sinks);
        this.eventSinks = List.copyOf(b.eventSinks);
        this.warningSinks = List.copyOf(b.warningSinks);
        this.warningRule = new WarningRule(b.warningThresholds);
        try {
            for (Path p : b.jsonl) {
                MetricsJsonlWriter w = new MetricsJsonlWriter(p);
                files.add(w);
                fileSinks.add(w);
            }
            for (Path p : b.csv) {
                MetricsCsvWriter w = new MetricsCsvWriter(p);
                files.add(w);
                fileSinks.add(w);
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Attaches a monitor with the defaults to {@code net}: every iteration recorded, {@link DetectorConfig#defaults()}, never stops. */
    public static ExplosionMonitor attach(MultiLayerNetwork net) {
        return builder().attach(net);
    }

    /** Attaches a monitor with the defaults to {@code graph}. */
    public static ExplosionMonitor attach(ComputationGraph graph) {
        return builder().attach(graph);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds this monitor to the network whose callback reached it (the first one; a second network is refused:
     * one monitor per network). Reads the layout, installs the hooked updater a DL4J GradientNormalization needs.
     */
    private void bind(Model model) {
        if (network != null) {
            if (network.model() != model) {
                throw new IllegalStateException("this ExplosionMonitor already watches another " + network.className()
                        + ": use one monitor per network");
            }
            return;
        }
        Network net = Network.of(model);
        if (!net.initialised()) {
            throw new IllegalStateException("the network is not initialised: call net.init() before training it with an ExplosionMonitor");
        }
        this.layout = ParamLayout.of(net);
        this.weightKeys = layout.weightKeys();
        if (StepRecorder.hasGradientNormalization(net)) UpdaterHooks.installOn(net);
        this.recorder = new StepRecorder(net, layout, options.every, options.recordActivations, config().deadUnitWindow(),
                options.instruments, options.sharpnessEvery, this::record, this::stopEvent);
        if (recorder.sharpnessUnavailable() != null) LOG.info("{}", recorder.sharpnessUnavailable());
        this.startIteration = net.iterationCount();
        this.network = net;
        if (options.diagnose) diagnose(model);
    }

    /**
     * Runs the configuration checks of {@link Diagnosis} on the network this monitor now watches and logs each finding
     * through SLF4J: severe ones at WARN, the others at INFO. Only the configuration is known here (the monitor never
     * reads the user's iterator), so the data checks and the first-step check are left to {@code Diagnosis.of(conf, iterator)}.
     * A failure of the diagnosis itself is logged and never stops training.
     */
    private void diagnose(Model model) {
        try {
            diagnosis = model instanceof ComputationGraph g ? Diagnosis.ofConfiguration(g.getConfiguration())
                    : Diagnosis.ofConfiguration(((MultiLayerNetwork) model).getLayerWiseConfigurations());
        } catch (RuntimeException e) {
            LOG.warn("explosion-lab diagnosis of the configuration failed ({}); training goes on", e.toString());
            return;
        }
        for (Finding f : diagnosis.findings()) {
            String line = "diagnosis: " + f.severity().label() + " " + f.check().id() + " at " + f.where() + ": " + f.saw() + "; fix: " + f.fixDl4j();
            if (f.severe()) LOG.warn(line); else LOG.info(line);
        }
    }

    /**
     * The configuration-only diagnosis run when this monitor bound to its network ({@link Builder#diagnose(boolean)}), or
     * empty when turned off or not yet bound.
     */
    public Optional<Diagnosis> diagnosis() {
        return Optional.ofNullable(diagnosis);
    }

    /** The detector's configuration: the user's, or the defaults fitted to the network's class count. */
    private DetectorConfig config() {
        if (options.detectorChosen) return chosenConfig;
        int classes = network == null ? 0 : classesOf(network);
        return classes >= 2 ? chosenConfig.forClasses(classes) : chosenConfig;  // chance loss ln C, stall limit (1 + 1/C) / 2
    }

    /** The output layer's class count when it is a classifying {@code OutputLayer} (nOut ≥ 2), else 0. */
    private static int classesOf(Network net) {
        Layer out = net.singleOutputLayer();
        if (BatchAccuracy.appliesTo(out) && out.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.OutputLayer o) {
            return (int) o.getNOut();
        }
        return 0;
    }

    /** The event kinds already logged (a non-finite step a remedy skipped apart from one it let through). */
    private final Set<String> logged = new java.util.HashSet<>();

    /** The detector, made at the first recorded step (when the remedies the user installed are known). */
    private ExplosionDetector detector() {
        if (detector == null) detector = new ExplosionDetector(config(), facts());
        return detector;
    }

    /** What the detector needs to name layers DL4J's way and fit its advice to this network. */
    private NetworkFacts facts() {
        if (network == null) return NetworkFacts.unknown();
        int[] indices = layout.layerIndices();
        List<String> labels = new ArrayList<>();
        for (int i : indices) labels.add(network.layerLabel(i));
        DeadUnits dead = recorder.deadUnits();
        IUpdater u = network.firstUpdaterWithLearningRate();
        boolean recurrent = false;
        Set<String> clipping = new LinkedHashSet<>();
        for (Layer l : network.layers()) {
            var conf = l.conf().getLayer();
            recurrent |= conf instanceof BaseRecurrentLayer;
            if (conf instanceof BaseLayer b && b.getGradientNormalization() != null && b.getGradientNormalization() != GradientNormalization.None) {
                clipping.add("DL4J " + b.getGradientNormalization() + " " + b.getGradientNormalizationThreshold());
            }
        }
        UpdaterHooks hooks = UpdaterHooks.of(network);
        if (hooks != null) for (GradientHook h : hooks.hooks()) clipping.add(h.toString());
        String loss = null;
        String activation = null;
        Layer out = network.singleOutputLayer();
        if (out != null && out.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer o) {
            loss = o.getLossFn() == null ? null : lossName(o.getLossFn());
            activation = o.getActivationFn() == null ? null : o.getActivationFn().getClass().getSimpleName().replaceFirst("^Activation", "").toUpperCase(java.util.Locale.ROOT);
        }
        String init = null;
        for (int i : indices) {
            if (network.layers()[i].conf().getLayer() instanceof BaseLayer b && b.getWeightInitFn() != null) {
                init = b.getWeightInitFn().getClass().getSimpleName().replaceFirst("^WeightInit", "");
                break;
            }
        }
        return new NetworkFacts(labels, indices, dead.labels(), dead.indices(), u == null ? null : u.getClass().getSimpleName(),
                u == null ? Double.NaN : u.getLearningRate(0, 0), clipping.isEmpty() ? null : String.join(", ", clipping),
                recurrent, dead.any(), loss, activation, init);
    }

    /** DL4J's loss class as its {@code LossFunction} name: LossMCXENT → MCXENT, LossMSE → MSE, LossL2 → L2. */
    private static String lossName(org.nd4j.linalg.lossfunctions.ILossFunction loss) {
        return loss.getClass().getSimpleName().replaceFirst("^Loss", "").toUpperCase(java.util.Locale.ROOT);
    }

    // ---- DL4J's callbacks, in the order DL4J 1.0.0-M2.1 calls them in one step ----

    @Override
    public void onEpochStart(Model model) {
        bind(model);
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        bind(model);
        if (recorder.probing()) return;                 // the sharpness probe's own forward pass
        recorder.onForwardPass(activations);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        bind(model);
        recorder.onForwardPass(activations);
    }

    @Override
    public void onBackwardPass(Model model) {
        bind(model);
        if (recorder.probing()) return;
        recorder.onBackwardPass();
    }

    @Override
    public void onGradientCalculation(Model model) {
        bind(model);
        recorder.onGradientCalculation();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        bind(model);
        seenIterations++;
        recorder.iterationDone(iteration, epoch);
    }

    /** Records one step: keeps it, judges it, hands it to the sinks. */
    private void record(IterationMetrics m) {
        keep(m);
        Optional<ExplosionEvent> event = detector().observe(sample(m));
        List<Warning> raised = warn(m);
        for (Consumer<IterationMetrics> s : sinks) s.accept(m);
        for (Consumer<IterationMetrics> f : fileSinks) f.accept(m);
        event.ifPresent(e -> {
            logOnce(e);
            eventSinks.forEach(s -> s.accept(e));
            if (stopEvent == null && stopOn.contains(e.kind())) stopEvent = e;
        });
        for (Warning w : raised) {
            if (options.logEvents) LOG.warn("{}", w.message());
            warningSinks.forEach(s -> s.accept(w));
        }
    }

    /** The warnings of one row, kept for the verdict. */
    private List<Warning> warn(IterationMetrics m) {
        List<Warning> raised = warningRule.observe(new WarningRule.Sample(m.iteration(), m.lr(), m.updateRms(), m.updateCos(),
                m.sharpness(), m.sharpnessLimit(), m.gradNormZ()));
        for (Warning w : raised) if (warnings.size() < MAX_WARNINGS) warnings.add(w);   // the first ones: memory stays bounded
        return raised;
    }

    /** Why the sharpness asked for by {@link Builder#sharpnessEvery} is not measured on the watched network (empty when it is, or was not asked for). */
    public Optional<String> sharpnessUnavailable() {
        return Optional.ofNullable(recorder == null ? null : recorder.sharpnessUnavailable());
    }

    /** The early warnings raised so far, by iteration (also in {@link #verdict()}). */
    public List<Warning> warnings() {
        return List.copyOf(warnings);
    }

    private void keep(IterationMetrics m) {
        if (options.keep == 0) return;
        metrics.add(m);
        if (options.keep > 0 && metrics.size() > options.keep) metrics.remove(0);   // System.arraycopy of ≤ 1000 references
    }

    /**
     * Feeds iterations recorded before this monitor was attached (a resumed run's earlier rows) to the
     * detector and the kept metrics, without writing them to the sinks again.
     */
    public void replay(List<IterationMetrics> earlier) {
        for (IterationMetrics m : earlier) {
            keep(m);
            detector().observe(sample(m));
            warn(m);
        }
    }

    /** Iterations the network trained, since this monitor started watching it, that the monitor did not see. */
    private long unwatched() {
        if (network == null) return 0;
        long until = iterationAtClose >= 0 ? iterationAtClose : network.iterationCount();
        return Math.max(0, until - startIteration - seenIterations);
    }

    /** The verdict so far, final accuracy unknown (a collapse is kept on the gradient and loss evidence alone). */
    public Verdict verdict() {
        return verdict(Double.NaN);
    }

    /** The verdict, with the final test accuracy in [0, 1] that confirms or rejects a collapse and a failure to learn. */
    public Verdict verdict(double testAccuracy) {
        if (network == null || detector == null) {
            if (!Double.isNaN(testAccuracy) && !(testAccuracy >= 0 && testAccuracy <= 1)) {
                throw new IllegalArgumentException("final test accuracy must be in [0, 1] or NaN when unknown, got " + testAccuracy);
            }
            return new Verdict(List.of(), 0L, unwatched(), Map.of());
        }
        Verdict verdict = detector.verdict(testAccuracy, unwatched()).withWarnings(warnings);
        verdict.events().forEach(this::logOnce);      // the rules judged at verdict time (not_learning, a short run's windows)
        return verdict;
    }

    /**
     * Logs an event as one WARN line through SLF4J, once per kind (the first found), whether it was found as the samples
     * arrived or when the verdict was asked (not_learning, a short run's windowed rules); the backend is the user's.
     */
    private void logOnce(ExplosionEvent e) {
        if (options.logEvents && logged.add(e.kind().label() + (e.skippedStep() ? " skipped" : ""))) {
            LOG.warn("{}\n  {}", TextLines.wrap(e.message(), "  "), TextLines.wrap("advice: " + e.adviceOrDefault(), "  "));
        }
    }

    /**
     * The recorded iterations kept, oldest first: the last {@value #DEFAULT_KEEP} by default, all of them with
     * {@code keepMetrics(true)}, none with {@code keepMetrics(false)}. A live, unmodifiable view: it grows as
     * training records.
     */
    public List<IterationMetrics> metrics() {
        return Collections.unmodifiableList(metrics);
    }

    /** The first event of a kind this monitor stops on, if one happened. */
    public Optional<ExplosionEvent> stopEvent() {
        return Optional.ofNullable(stopEvent);
    }

    /** Whether an event of a kind this monitor stops on has happened (for loops that call {@code fit} per minibatch). */
    public boolean stopRequested() {
        return stopEvent != null;
    }

    /**
     * What a resumed run needs besides the recorded rows ({@link #replay}): the dead-unit counters, which no row
     * holds. For checkpoints; null before the monitor watched a network.
     */
    public State state() {
        return recorder == null ? null : recorder.deadUnits().state();
    }

    /** Continues from a checkpointed {@link #state()} (after {@code attach}, before training goes on). */
    public void restore(State state) {
        if (recorder == null) throw new IllegalStateException("attach the monitor before restoring its state");
        recorder.deadUnits().restore(state);
    }

    /**
     * Fails with an {@link IllegalArgumentException} whose one-line message names the field (quoted, as in the
     * checkpoint JSON) when {@code state} cannot be {@link #restore restored} on {@code net}: a counter array
     * per ReLU-family layer of {@code net}, one counter per unit, each in 0..recorded. Checks only; nothing is attached.
     */
    public static void checkState(org.deeplearning4j.nn.api.Model net, State state) {
        new DeadUnits(Network.of(net), 1).check(state);
    }

    /**
     * The monitor's state that recorded rows do not hold.
     *
     * @param recorded     recorded steps the dead-unit counters have seen
     * @param deadUnitRuns per ReLU-family layer, per unit, recorded minibatches in a row without activation
     */
    public record State(@com.fasterxml.jackson.annotation.JsonProperty("recorded") int recorded,
                        @com.fasterxml.jackson.annotation.JsonProperty("dead_unit_runs") int[][] deadUnitRuns) {
    }

    /** The detector's configuration in force. */
    public DetectorConfig detectorConfig() {
        return config();
    }

    /** Removes the monitor from the network's listeners (a deliberate removal: iterations after it are not unwatched) and closes its files. */
    @Override
    public void close() {
        if (network != null) {
            var kept = new ArrayList<>(network.listeners());
            if (kept.remove(this)) network.setListeners(kept);
            if (iterationAtClose < 0) iterationAtClose = network.iterationCount();   // what trains after close() is not ours to watch
        }
        IOException failed = closeQuietly();
        if (failed != null) throw new UncheckedIOException(failed);
    }

    private IOException closeQuietly() {
        IOException failed = null;
        for (Closeable f : files) {
            try {
                f.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        files.clear();
        fileSinks.clear();
        return failed;
    }

    /**
     * What the detector judges: the raw gradient (backprop's output, before any remedy or DL4J normalization),
     * with the norm the optimizer actually received beside it ({@code gradL2GlobalClipped}) for the
     * contained-explosion rule, the update ratios and the dead-unit fractions.
     */
    IterationSample sample(IterationMetrics m) {
        return new IterationSample(m.iteration(), m.epoch(), m.loss(), m.gradL2Global(), m.gradL2GlobalClipped(),
                m.gradL2Layer(), m.gradMaxAbs(), m.gradNonFinite(), m.clipped(), m.skipped(),
                m.batchAccuracy() == null ? Double.NaN : m.batchAccuracy(), layerUpdateRatios(m), m.lr(),
                m.deadUnitFraction());
    }

    /** Per layer, DL4J's update:parameter ratio mean|Δθ| / mean|θ| of its weights ({@link ParamLayout#weightKeys()}). */
    private double[] layerUpdateRatios(IterationMetrics m) {
        if (m.updateParamRatio() == null || weightKeys == null) return new double[0];
        double[] r = new double[weightKeys.size()];
        for (int l = 0; l < r.length; l++) {
            Double v = weightKeys.get(l) == null ? null : m.updateParamRatio().get(weightKeys.get(l));
            r[l] = v == null ? Double.NaN : v;
        }
        return r;
    }

    /** The raw figures as a detector sample, for per-epoch aggregates of recorded rows. */
    public static IterationSample rawSample(IterationMetrics m) {
        return new IterationSample(m.iteration(), m.epoch(), m.loss(), m.gradL2Global(), m.gradL2GlobalClipped(),
                m.gradL2Layer(), m.gradMaxAbs(), m.gradNonFinite(), m.clipped(), m.skipped());
    }

    /** Options of a monitor; every one has a default. */
    public static final class Builder {
        private int every = 1;
        private boolean recordActivations;
        private int keep = DEFAULT_KEEP;
        private boolean logEvents = true;
        private boolean diagnose = true;
        private DetectorConfig detector = DetectorConfig.defaults();
        private boolean detectorChosen;
        private final Set<EventKind> stopOn = EnumSet.noneOf(EventKind.class);
        private final List<Consumer<IterationMetrics>> sinks = new ArrayList<>();
        private final List<Consumer<ExplosionEvent>> eventSinks = new ArrayList<>();
        private final List<Consumer<Warning>> warningSinks = new ArrayList<>();
        private boolean instruments;
        private int sharpnessEvery;
        private WarningRule.Thresholds warningThresholds = WarningRule.Thresholds.defaults();
        private final List<Path> jsonl = new ArrayList<>();
        private final List<Path> csv = new ArrayList<>();

        private Builder() {
        }

        /** Record every {@code n}-th iteration (1 = every one); the others cost nothing. Windows count recorded iterations. */
        public Builder every(int n) {
            if (n < 1) throw new IllegalArgumentException("recording interval must be >= 1, got " + n);
            this.every = n;
            return this;
        }

        /** Also record each layer's activation mean and standard deviation (one reduction per layer). */
        public Builder recordActivations(boolean on) {
            this.recordActivations = on;
            return this;
        }

        /**
         * {@code true}: keep every recorded iteration for {@link #metrics()} (memory grows with the run);
         * {@code false}: keep none. Default: the last {@value #DEFAULT_KEEP}.
         */
        public Builder keepMetrics(boolean keepAll) {
            this.keep = keepAll ? -1 : 0;
            return this;
        }

        /** Keep the last {@code n} recorded iterations for {@link #metrics()} (0: none). */
        public Builder keepLast(int n) {
            if (n < 0) throw new IllegalArgumentException("keepLast must be >= 0, got " + n);
            this.keep = n;
            return this;
        }

        /** Log each event through SLF4J at WARN (default true). */
        public Builder logEvents(boolean on) {
            this.logEvents = on;
            return this;
        }

        /**
         * Run {@link Diagnosis#ofConfiguration} when the monitor binds to its network (default true): each finding is
         * logged through SLF4J, severe ones at WARN, others at INFO, and kept for {@link ExplosionMonitor#diagnosis()}.
         * Configuration checks only: the monitor does not read the training iterator.
         */
        public Builder diagnose(boolean on) {
            this.diagnose = on;
            return this;
        }

        /**
         * The detector's thresholds. Default: {@link DetectorConfig#defaults()} fitted to the network's class
         * count ({@link DetectorConfig#forClasses}); a config given here is used as it is.
         */
        public Builder detector(DetectorConfig config) {
            this.detector = Objects.requireNonNull(config, "config");
            this.detectorChosen = true;
            return this;
        }

        /**
         * End {@code net.fit} with a {@link TrainingStoppedException} after the first event of one of these kinds
         * (at the start of the next step, before DL4J's updater runs).
         */
        public Builder stopOn(EventKind... kinds) {
            stopOn.addAll(List.of(kinds));
            return this;
        }

        /** Also hand every recorded iteration to {@code sink}. */
        public Builder sink(Consumer<IterationMetrics> sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Also hand every detected event to {@code sink} (events are logged through SLF4J anyway, see {@link #logEvents}). */
        public Builder onEvent(Consumer<ExplosionEvent> sink) {
            eventSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /**
         * Measure the early-warning instruments that read what DL4J's step already computed (default false): Adam's
         * update RMS, cos(update, −gradient) and the spike score of the gradient norm ({@link IterationMetrics}). They
         * copy the gradient and the update once more per recorded step (float64, reused buffers) and run a few ND4J /
         * OpenBLAS passes over them: about +27 % training-thread CPU on the tutorial model (bench/lead-time.md), above
         * the 10 % line, so they are off unless asked for. Off: the rows hold none of them and
         * no warning is raised but the sharpness's.
         */
        public Builder instruments(boolean on) {
            this.instruments = on;
            return this;
        }

        /**
         * Measure the directional sharpness against the optimizer's stability limit (2/η for SGD, 38/η for Adam with
         * β₁ = 0.9) on recorded iterations that are multiples of {@code k}; 0 (the default) = never. Each measurement
         * runs DL4J's backprop twice on a probe minibatch (the first one recorded), so k = 1 roughly doubles a
         * step's cost; the training itself stays bit-identical. A MultiLayerNetwork without dropout or weight noise
         * only: elsewhere the monitor logs why and records none.
         */
        public Builder sharpnessEvery(int k) {
            if (k < 0) throw new IllegalArgumentException("sharpnessEvery must be >= 0 (0 = off), got " + k);
            this.sharpnessEvery = k;
            return this;
        }

        /** The lines the warning rule's signals cross (default {@link WarningRule.Thresholds#defaults()}). */
        public Builder warningThresholds(WarningRule.Thresholds thresholds) {
            this.warningThresholds = Objects.requireNonNull(thresholds, "thresholds");
            return this;
        }

        /** Also hand every early {@link Warning} to {@code sink} (warnings are logged through SLF4J at WARN anyway). */
        public Builder onWarning(Consumer<Warning> sink) {
            warningSinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Append one JSON object per recorded iteration to {@code file} (flushed line by line). */
        public Builder jsonl(Path file) {
            jsonl.add(file);
            return this;
        }

        /** Append one CSV row per recorded iteration to {@code file} (header written when the file is new). */
        public Builder csv(Path file) {
            csv.add(file);
            return this;
        }

        /** {@code metrics.jsonl} and {@code metrics.csv} in {@code dir}. */
        public Builder runDirectory(Path dir) {
            return jsonl(dir.resolve("metrics.jsonl")).csv(dir.resolve("metrics.csv"));
        }

        /**
         * A monitor not yet added to any network: pass it to {@code net.setListeners(..., monitor)} or
         * {@code net.addListeners(monitor)}; it watches the network whose callbacks reach it first.
         */
        public ExplosionMonitor build() {
            return new ExplosionMonitor(this);
        }

        /** Builds the monitor and adds it to an initialised network's listeners (keeping the others). */
        public ExplosionMonitor attach(MultiLayerNetwork net) {
            return attachTo(net);
        }

        /** Builds the monitor and adds it to an initialised graph's listeners (keeping the others). */
        public ExplosionMonitor attach(ComputationGraph graph) {
            return attachTo(graph);
        }

        private ExplosionMonitor attachTo(Model model) {
            Objects.requireNonNull(model, "net");
            Network net = Network.of(model);
            if (!net.initialised()) {
                throw new IllegalStateException("the network is not initialised: call net.init() before ExplosionMonitor.attach(net)");
            }
            ExplosionMonitor m = build();
            m.bind(model);
            net.addListener(m);
            return m;
        }
    }
}
