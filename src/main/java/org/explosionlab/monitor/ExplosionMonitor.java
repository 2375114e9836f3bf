package org.explosionlab.monitor;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.EarlyStopPolicy;
import org.explosionlab.detection.EventKind;
import org.explosionlab.detection.ExplosionDetector;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.IterationSample;
import org.explosionlab.detection.Verdict;

/**
 * Exploding-gradient monitor for any DL4J {@link MultiLayerNetwork}, attached in one line:
 * <pre>
 * ExplosionMonitor monitor = ExplosionMonitor.attach(net);   // or ExplosionMonitor.builder()...attach(net)
 * net.fit(trainIter, 5);
 * monitor.verdict();   // kind(): healthy / recovered / explosion / nonfinite / collapse / vanishing / stalled; events; advice
 * monitor.metrics();   // one IterationMetrics per recorded iteration
 * </pre>
 * {@code attach} <em>adds</em> a training listener ({@link StepRecorder}) and keeps the user's listeners,
 * updater configuration and optimizer state. It takes the parameter layout from the network's
 * {@code paramTable()}, so it works for every layer DL4J trains (dense, convolution, subsampling, batch
 * normalization, dropout, recurrent). Only when a layer uses DL4J's {@code GradientNormalization} does it
 * install a {@link HookedUpdater} (DL4J's updater with a window after the normalization) to measure what
 * the optimizer receives. Every recorded iteration is judged by an {@link ExplosionDetector}; the figures'
 * definitions are in {@link IterationMetrics}.
 */
public final class ExplosionMonitor implements Closeable {
    private final MultiLayerNetwork net;
    private final ParamLayout layout;
    private final List<String> weightKeys;
    private final ExplosionDetector detector;
    private final boolean keepMetrics;
    private final List<IterationMetrics> metrics = new ArrayList<>();
    private final List<IterationSample> rawSamples = new ArrayList<>();
    private final List<Consumer<IterationMetrics>> sinks;
    private final List<Consumer<ExplosionEvent>> eventSinks;
    private final List<Closeable> files;
    private final List<Consumer<IterationMetrics>> fileSinks;
    private final StepRecorder recorder;
    private ExplosionEvent stopEvent;

    private ExplosionMonitor(MultiLayerNetwork net, Builder b) {
        this.net = net;
        this.layout = ParamLayout.of(net);
        this.weightKeys = layout.weightKeys();
        Set<EventKind> stopKinds = EnumSet.noneOf(EventKind.class);
        stopKinds.addAll(b.detector.earlyStop().stopOn());
        stopKinds.addAll(b.stopOn);
        DetectorConfig chosen = b.detector;
        int classes = classesOf(net);
        if (!b.detectorChosen && classes >= 2) chosen = chosen.forClasses(classes);   // chance loss ln C, stall limit (1 + 1/C) / 2
        DetectorConfig config = chosen.withEarlyStop(new EarlyStopPolicy(stopKinds));
        this.detector = new ExplosionDetector(config);
        this.keepMetrics = b.keepMetrics;
        this.sinks = List.copyOf(b.sinks);
        this.eventSinks = List.copyOf(b.eventSinks);
        this.files = new ArrayList<>();
        this.fileSinks = new ArrayList<>();
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
        if (StepRecorder.hasGradientNormalization(net)) HookedUpdater.installOn(net);
        this.recorder = new StepRecorder(net, layout, b.every, b.recordActivations, this::record, this);
        net.addListeners(recorder);
    }

    /** The output layer's class count when it is a classifying {@code OutputLayer} (nOut ≥ 2), else 0. */
    private static int classesOf(MultiLayerNetwork net) {
        if (net.getOutputLayer().conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.OutputLayer out
                && BatchAccuracy.appliesTo(net)) {
            return (int) out.getNOut();
        }
        return 0;
    }

    /** Attaches a monitor with the defaults: every iteration recorded, {@link DetectorConfig#defaults()}, no files, never stops. */
    public static ExplosionMonitor attach(MultiLayerNetwork net) {
        return builder().attach(net);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Records one step: keeps it, judges it, hands it to the sinks. */
    private void record(IterationMetrics m) {
        if (keepMetrics) metrics.add(m);
        rawSamples.add(rawSample(m));
        Optional<ExplosionEvent> event = judged(m) ? detector.observe(appliedSample(m)) : Optional.empty();
        for (Consumer<IterationMetrics> s : sinks) s.accept(m);
        for (Consumer<IterationMetrics> f : fileSinks) f.accept(m);
        event.ifPresent(e -> {
            eventSinks.forEach(s -> s.accept(e));
            if (stopEvent == null && detector.config().earlyStop().shouldStop(e)) stopEvent = e;
        });
    }

    /**
     * Feeds iterations recorded before this monitor was attached (a resumed run's earlier rows) to the
     * detector and the kept metrics, without writing them to the sinks again.
     */
    public void replay(List<IterationMetrics> earlier) {
        for (IterationMetrics m : earlier) {
            if (keepMetrics) metrics.add(m);
            rawSamples.add(rawSample(m));
            if (judged(m)) detector.observe(appliedSample(m));
        }
    }

    void throwIfStopped() {
        if (stopEvent != null) throw new TrainingStoppedException(stopEvent);
    }

    /** The verdict so far, final accuracy unknown (a collapse is kept on the gradient and loss evidence alone). */
    public Verdict verdict() {
        return detector.verdict(Double.NaN);
    }

    /** The verdict, with the final test accuracy that confirms or rejects a collapse. */
    public Verdict verdict(double testAccuracy) {
        return detector.verdict(testAccuracy);
    }

    /** Every recorded iteration, oldest first (empty when built with {@code keepMetrics(false)}). */
    public List<IterationMetrics> metrics() {
        return Collections.unmodifiableList(metrics);
    }

    /** The recorded iterations as the detector's samples, on the raw gradient (for per-epoch aggregates). */
    public List<IterationSample> rawSamples() {
        return Collections.unmodifiableList(rawSamples);
    }

    /** The first event of a kind this monitor stops on, if one happened. */
    public Optional<ExplosionEvent> stopEvent() {
        return Optional.ofNullable(stopEvent);
    }

    /** Whether an event of a kind this monitor stops on has happened (for loops that call {@code fit} per minibatch). */
    public boolean stopRequested() {
        return stopEvent != null;
    }

    /** Where each parameter lies in the network's flattened vectors. */
    public ParamLayout layout() {
        return layout;
    }

    /** The detector's configuration in force. */
    public DetectorConfig detectorConfig() {
        return detector.config();
    }

    /** Removes the monitor's listener from the network and closes its files. */
    @Override
    public void close() {
        var kept = new ArrayList<>(net.getListeners());
        if (kept.remove(recorder)) net.setListeners(kept);
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
     * Whether the detector sees this step: not when spike skipping dropped it. Its loss and gradient never
     * reached the weights or the optimizer state, so the spike is not an explosion of the run (it stays in
     * the metrics and the raw per-epoch aggregates). A step skip-non-finite dropped is judged: its
     * non-finite gradient is the nonfinite event.
     */
    static boolean judged(IterationMetrics m) {
        return !m.skipped() || m.skipReason() == null || GradientHook.Outcome.NONFINITE.equals(m.skipReason());
    }

    /**
     * What the detector judges: the gradient the optimizer actually used (after the remedies and DL4J's
     * normalization), identical to the raw gradient when nothing clips. A raw spike that clipping
     * contained did not reach the weights, so it is not an explosion of the run; the raw figures stay in
     * the metrics. Non-finite counts are always the raw gradient's.
     */
    IterationSample appliedSample(IterationMetrics m) {
        return new IterationSample(m.iteration(), m.epoch(), m.loss(), m.gradL2GlobalClipped(), m.gradL2GlobalClipped(),
                m.gradL2LayerClipped(), m.gradMaxAbsClipped(), m.gradNonFinite(), m.clipped(), m.skipped(),
                m.batchAccuracy() == null ? Double.NaN : m.batchAccuracy(), layerUpdateRatios(m), m.lr());
    }

    /** Per layer, DL4J's update:parameter ratio mean|Δθ| / mean|θ| of its weights ({@link ParamLayout#weightKeys()}). */
    private double[] layerUpdateRatios(IterationMetrics m) {
        if (m.updateParamRatio() == null) return new double[0];
        double[] r = new double[weightKeys.size()];
        for (int l = 0; l < r.length; l++) {
            Double v = weightKeys.get(l) == null ? null : m.updateParamRatio().get(weightKeys.get(l));
            r[l] = v == null ? Double.NaN : v;
        }
        return r;
    }

    /** The raw figures, for the per-epoch aggregates (median / p99 / max raw norm). */
    static IterationSample rawSample(IterationMetrics m) {
        return new IterationSample(m.iteration(), m.epoch(), m.loss(), m.gradL2Global(), m.gradL2GlobalClipped(),
                m.gradL2Layer(), m.gradMaxAbs(), m.gradNonFinite(), m.clipped(), m.skipped());
    }

    /** Options of a monitor; every one has a default. */
    public static final class Builder {
        private int every = 1;
        private boolean recordActivations;
        private boolean keepMetrics = true;
        private DetectorConfig detector = DetectorConfig.defaults();
        private boolean detectorChosen;
        private final Set<EventKind> stopOn = EnumSet.noneOf(EventKind.class);
        private final List<Consumer<IterationMetrics>> sinks = new ArrayList<>();
        private final List<Consumer<ExplosionEvent>> eventSinks = new ArrayList<>();
        private final List<Path> jsonl = new ArrayList<>();
        private final List<Path> csv = new ArrayList<>();

        private Builder() {
        }

        /** Record every {@code n}-th iteration (1 = every one); the others cost nothing. */
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

        /** Keep every recorded iteration in memory for {@link #metrics()} (default true; false for very long runs with file sinks). */
        public Builder keepMetrics(boolean keep) {
            this.keepMetrics = keep;
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

        /** End {@code net.fit} with a {@link TrainingStoppedException} after the first event of one of these kinds. */
        public Builder stopOn(EventKind... kinds) {
            stopOn.addAll(List.of(kinds));
            return this;
        }

        /** Also hand every recorded iteration to {@code sink}. */
        public Builder sink(Consumer<IterationMetrics> sink) {
            sinks.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Also hand every detected event to {@code sink} (e.g. to print it). */
        public Builder onEvent(Consumer<ExplosionEvent> sink) {
            eventSinks.add(Objects.requireNonNull(sink, "sink"));
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

        /** Attaches the monitor to an initialised network. */
        public ExplosionMonitor attach(MultiLayerNetwork net) {
            Objects.requireNonNull(net, "net");
            if (net.getLayers() == null || net.params() == null) {
                throw new IllegalStateException("the network is not initialised: call net.init() before ExplosionMonitor.attach(net)");
            }
            return new ExplosionMonitor(net, this);
        }
    }
}
