package org.explosionlab.monitor;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.monitor.GradientStats.Figures;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The measuring half of {@link ExplosionMonitor} (which is the DL4J training listener and calls this from its
 * callbacks): turns each recorded step of a {@code MultiLayerNetwork} or a {@code ComputationGraph} into one
 * {@link IterationMetrics}. Where in DL4J 1.0.0-M2.1's step each figure is taken
 * ({@code StochasticGradientDescent.optimize}; both network classes call the same callbacks in the same order):
 * <ol>
 *   <li>{@code onForwardPass} — dead units of the ReLU-family layers ({@link DeadUnits}), and the mean and
 *       standard deviation of each layer's activations (only with {@code recordActivations});</li>
 *   <li>{@code onBackwardPass} — after backprop and DL4J's score, still inside DL4J's activations workspace:
 *       the output layer's input, parameters and labels give the <b>exact loss</b> and the <b>saturated
 *       fraction</b> ({@link ExactLoss}; only for an OutputLayer with softmax and MCXENT / NLL) and the
 *       <b>minibatch accuracy</b> ({@link BatchAccuracy}; any classifying OutputLayer);</li>
 *   <li>{@code onGradientCalculation} — after backprop, before the updater: the <b>raw gradient</b>
 *       (DL4J's minibatch sum, read on the mean-loss scale, ÷k) and the <b>parameters θ</b> the step
 *       starts from;</li>
 *   <li>inside the updater, when a {@link HookedUpdater} is installed (remedies, or a layer with
 *       {@code GradientNormalization}): the gradient <b>after the remedies and DL4J's
 *       normalization</b>, what the optimizer receives;</li>
 *   <li>{@code iterationDone} — after the updater and after θ ← θ − Δθ (DL4J 1.0.0-M2.1's
 *       {@code StochasticGradientDescent} steps the parameters first; weight constraints and the iteration
 *       counter come after the listeners): DL4J's gradient view still holds the <b>update Δθ</b> the step
 *       applied, and the ratios divide it by the parameters read at {@code onGradientCalculation}, before the
 *       step. The minibatch loss is {@code model.score()}.</li>
 * </ol>
 * With the early-warning instruments on ({@code instruments(true)}), the same points also give: the raw gradient's copy
 * at {@code onGradientCalculation} and the gradient the optimizer received inside the updater, then at
 * {@code iterationDone} Adam's <b>update RMS</b> ({@link AdamUpdateRms}), the <b>cosine</b> between the
 * applied update and the descent direction ({@link UpdateCosine}), the <b>spike score</b> of the global
 * norm ({@link GradNormSpikeScore}) and, every {@code sharpnessEvery} iterations, the <b>directional
 * sharpness</b> on a probe minibatch ({@link DirectionalSharpness}), taken last, once DL4J's update has been
 * read from the gradient view.
 *
 * <p>Also a stop point: after an event of a kind the monitor stops on, the next step's
 * {@code onGradientCalculation} throws {@link TrainingStoppedException} before the updater runs, so
 * {@code net.fit} ends with the parameters of the step that raised the event.
 */
final class StepRecorder implements UpdaterHooks.StepObserver {
    private final Network net;
    private final ParamLayout layout;
    private final List<String> keys;
    private final int every;
    private final boolean activations;
    private final boolean dl4jNormalization;
    private final IUpdater lrUpdater;
    private final DeadUnits deadUnits;
    private final Layer output;
    private final Consumer<IterationMetrics> sink;
    private final Supplier<Optional<ExplosionEvent>> stopEvent;
    private final GradientStats raw;
    private final GradientStats params;
    private final GradientStats afterRemedies;
    private final GradientStats afterNormalization;
    private final GradientStats update;
    private boolean measuring;
    private int batchSize;
    private boolean remediesChanged;
    private boolean dl4jChanged;
    private double[] activationMean;
    private double[] activationStd;
    private final boolean exactLoss;
    private ExactLoss.Figures exact;
    private long exactIteration = -1;
    private final boolean classifier;
    private double accuracy = Double.NaN;
    private long accuracyIteration = -1;
    private final boolean instruments;
    private final DoubleVector rawCopy;
    private final DoubleVector receivedCopy;
    private final DoubleVector updateCopy;
    private boolean receivedFromRaw;
    private double receivedScale;
    private final AdamUpdateRms adamRms;
    private final UpdateCosine cosine;
    private final GradNormSpikeScore spikeScore;
    private final int sharpnessEvery;
    private final DirectionalSharpness sharpness;
    private final String sharpnessUnavailable;
    private boolean probing;

    /**
     * @param instruments    whether to measure the early-warning instruments (update RMS, cosine, spike score)
     * @param sharpnessEvery measure the directional sharpness on recorded iterations that are multiples of this; 0 = never
     * @param stopEvent      the event the run is to stop on, asked before every step; empty to go on
     */
    StepRecorder(Network net, ParamLayout layout, int every, boolean activations, int deadUnitWindow, boolean instruments,
                 int sharpnessEvery, Consumer<IterationMetrics> sink, Supplier<Optional<ExplosionEvent>> stopEvent) {
        this.net = net;
        this.layout = layout;
        this.keys = layout.keys();
        this.every = every;
        this.activations = activations;
        this.dl4jNormalization = hasGradientNormalization(net);
        this.lrUpdater = net.firstUpdaterWithLearningRate();
        this.deadUnits = new DeadUnits(net, deadUnitWindow);
        this.output = net.singleOutputLayer();
        this.sink = sink;
        this.stopEvent = stopEvent;
        this.raw = new GradientStats(layout);
        this.params = new GradientStats(layout);
        this.afterRemedies = new GradientStats(layout);
        this.afterNormalization = new GradientStats(layout);
        this.update = new GradientStats(layout);
        this.exactLoss = ExactLoss.appliesTo(output);
        this.classifier = BatchAccuracy.appliesTo(output);
        this.instruments = instruments;
        this.rawCopy = instruments ? new DoubleVector(layout.length()) : null;
        this.updateCopy = instruments ? new DoubleVector(layout.length()) : null;
        this.receivedCopy = instruments ? new DoubleVector(layout.length()) : null;
        this.adamRms = instruments && AdamUpdateRms.appliesTo(net.updater(true)) ? new AdamUpdateRms(layout) : null;
        this.cosine = instruments ? new UpdateCosine(layout) : null;
        this.spikeScore = instruments ? new GradNormSpikeScore() : null;
        this.sharpnessEvery = sharpnessEvery;
        this.sharpnessUnavailable = sharpnessEvery > 0 ? DirectionalSharpness.unavailableReason(net) : null;
        this.sharpness = sharpnessEvery > 0 && sharpnessUnavailable == null
                ? new DirectionalSharpness((org.deeplearning4j.nn.multilayer.MultiLayerNetwork) net.model()) : null;
    }

    /** Why the sharpness was asked for and is not measured on this network, else null. */
    String sharpnessUnavailable() {
        return sharpnessUnavailable;
    }

    /** Whether the sharpness probe is running DL4J's forward and backward pass (the monitor ignores those callbacks). */
    boolean probing() {
        return probing;
    }

    /** The sharpness instrument, null when it is off or unavailable. */
    DirectionalSharpness sharpness() {
        return sharpness;
    }

    /** The ReLU-family layers whose dead units are measured. */
    DeadUnits deadUnits() {
        return deadUnits;
    }

    /** Whether the output layer is a classifier whose minibatch accuracy is read. */
    boolean classifier() {
        return classifier;
    }

    /** Whether any layer of {@code net} has a DL4J {@code GradientNormalization} other than None. */
    static boolean hasGradientNormalization(Network net) {
        for (var layer : net.layers()) {
            if (layer.conf().getLayer() instanceof BaseLayer b && b.getGradientNormalization() != null
                    && b.getGradientNormalization() != GradientNormalization.None) {
                return true;
            }
        }
        return false;
    }

    boolean recording(long iteration) {
        return iteration % every == 0;
    }

    /** A MultiLayerNetwork's forward pass: index 0 is the input, i + 1 layer i's output. */
    void onForwardPass(List<INDArray> acts) {
        if (!recording(net.iterationCount())) return;
        if (deadUnits.any()) deadUnits.measure(acts);
        if (!activations) return;
        int n = acts.size() - 1;                     // index 0 is the input
        activationMean = new double[n];
        activationStd = new double[n];
        for (int i = 0; i < n; i++) {
            INDArray a = acts.get(i + 1);
            activationMean[i] = a.meanNumber().doubleValue();
            activationStd[i] = a.stdNumber().doubleValue();
        }
    }

    /**
     * A ComputationGraph's forward pass: activations by vertex name. With {@code recordActivations}, the mean and
     * standard deviation per layer in DL4J's {@code getLayers()} order (the output layers are not in the map).
     */
    void onForwardPass(Map<String, INDArray> acts) {
        if (!recording(net.iterationCount())) return;
        if (deadUnits.any()) deadUnits.measure(acts);
        if (!activations) return;
        Layer[] layers = net.layers();
        List<INDArray> found = new java.util.ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            INDArray a = acts.get(net.layerName(i));
            if (a != null) found.add(a);
        }
        activationMean = new double[found.size()];
        activationStd = new double[found.size()];
        for (int i = 0; i < found.size(); i++) {
            activationMean[i] = found.get(i).meanNumber().doubleValue();
            activationStd[i] = found.get(i).stdNumber().doubleValue();
        }
    }

    void onBackwardPass() {
        long iteration = net.iterationCount();
        if (!recording(iteration)) return;
        if (exactLoss) {
            exact = ExactLoss.measure(output, net.regularizationScore());
            exactIteration = iteration;
        }
        if (classifier) {
            accuracy = BatchAccuracy.measure(output);
            accuracyIteration = iteration;
        }
    }

    void onGradientCalculation() {
        stopEvent.get().ifPresent(e -> {
            throw new TrainingStoppedException(e);
        });
        UpdaterHooks hooked = UpdaterHooks.of(net);
        if (hooked != null) hooked.observe(this);
        measuring = recording(net.iterationCount());
        remediesChanged = false;
        dl4jChanged = false;
        if (!measuring) return;
        batchSize = Math.max(1, net.batchSize());
        raw.measure(net.gradients(), 1.0 / batchSize, Figures.NORMS_AND_MAX);
        params.measure(net.params(), 1.0, Figures.NORMS_AND_MEAN_ABS);
        if (instruments) {
            rawCopy.assign(net.gradients());
            receivedFromRaw = true;
            receivedScale = 1.0 / batchSize;
        }
    }

    @Override
    public void afterRemedies(INDArray flat, int k, boolean changedByHooks) {
        remediesChanged = changedByHooks;
        if (measuring && changedByHooks && !dl4jNormalization) {
            afterRemedies.measure(flat, 1.0 / k, Figures.NORMS_AND_MAX);
            if (instruments) {
                receivedCopy.assign(flat);
                receivedFromRaw = false;
                receivedScale = 1.0 / k;
            }
        }
    }

    @Override
    public void afterNormalization(INDArray flat) {
        if (!measuring || !dl4jNormalization) return;
        afterNormalization.measure(flat, 1.0, Figures.NORMS_AND_MAX);   // DL4J has divided by k
        if (instruments) {
            receivedCopy.assign(flat);
            receivedFromRaw = false;
            receivedScale = 1.0;
        }
        for (int p = 0; p < layout.size() && !dl4jChanged; p++) {       // did DL4J's normalization change anything?
            if (!layout.get(p).lossGradient()) continue;
            double before = raw.paramL2(p);
            double after = afterNormalization.paramL2(p);
            dl4jChanged = !(Math.abs(after - before) <= 1e-6 * Math.max(before, 1e-30));
        }
    }

    /** @return whether this iteration was recorded (handed to the sink) */
    boolean iterationDone(int iteration, int epoch) {
        if (recording(iteration) && measuring) {
            measuring = false;
            IterationMetrics m = measure(iteration, epoch);
            if (sharpness != null && iteration % sharpnessEvery == 0) m = withSharpness(m, iteration, epoch);
            sink.accept(m);
            return true;
        }
        return false;
    }

    /** Figures of the gradient the optimizer used; the raw ones when nothing changed it. */
    private GradientStats applied(GradientHook.Outcome outcome) {
        if (outcome.skip()) return raw;
        if (dl4jNormalization) return afterNormalization;
        return remediesChanged ? afterRemedies : raw;
    }

    private IterationMetrics measure(int iteration, int epoch) {
        UpdaterHooks hooked = UpdaterHooks.of(net);
        GradientHook.Outcome outcome = hooked == null ? GradientHook.Outcome.UNCHANGED : hooked.lastOutcome();
        GradientStats upd = update.measure(net.gradients(), 1.0, Figures.NORMS_AND_MEAN_ABS);   // Δθ
        GradientStats clipped = applied(outcome);
        Map<String, Double> gradParam = ParamValues.of(keys, raw::paramL2);
        Map<String, Double> gradParamClipped = ParamValues.of(keys, clipped::paramL2);
        Map<String, Double> updateL2 = ParamValues.of(keys, upd::paramL2);
        Map<String, Double> ratio = ParamValues.of(keys, p -> upd.paramMeanAbs(p) / params.paramMeanAbs(p));
        Map<String, Double> ratioL2 = ParamValues.of(keys, p -> upd.paramL2(p) / params.paramL2(p));
        Map<String, Double> paramL2 = ParamValues.of(keys, params::paramL2);
        int layers = layout.layers();
        double[] layer = new double[layers];
        double[] layerClipped = new double[layers];
        for (int l = 0; l < layers; l++) {
            layer[l] = raw.layerL2(l);
            layerClipped[l] = clipped.layerL2(l);
        }
        double threshold = outcome.threshold();
        boolean changed = !outcome.skip() && (remediesChanged || dl4jChanged);
        boolean haveExact = exactLoss && exactIteration == iteration;
        ExactLoss.Figures e = !exactLoss ? null : haveExact ? exact : ExactLoss.Figures.NAN;
        IterationMetrics m = new IterationMetrics(iteration, epoch, net.score(), e == null ? null : e.lossExact(),
                e == null ? null : e.saturatedFraction(),
                !classifier ? null : accuracyIteration == iteration ? accuracy : Double.NaN, learningRate(iteration, epoch),
                raw.globalL2(), clipped.globalL2(), layer, layerClipped, gradParam, gradParamClipped,
                raw.maxAbs(), clipped.maxAbs(), raw.nonFinite(), changed, outcome.skip(), outcome.skip() ? outcome.skipReason() : null,
                Double.isNaN(threshold) ? null : threshold, updateL2, ratio, ratioL2, paramL2,
                activations ? activationMean : null, activations ? activationStd : null,
                deadUnits.any() ? deadUnits.fractions() : null);
        return instruments ? instruments(m, outcome, iteration) : m;
    }

    /** The row with the early-warning instruments that need no extra pass of DL4J (update RMS, cosine, spike score). */
    private IterationMetrics instruments(IterationMetrics m, GradientHook.Outcome outcome, int iteration) {
        Double z = spikeScore.score(m.gradL2Global());
        double[] rms = null;
        double[] cos = null;
        if (!outcome.skip()) {
            updateCopy.assign(net.gradients());                  // Δθ
            cos = cosine.measure(updateCopy, rawCopy);
            if (adamRms != null) rms = adamRms.measure(net.updater(false), receivedFromRaw ? rawCopy : receivedCopy, receivedScale, iteration);
        }
        return new IterationMetrics(m.iteration(), m.epoch(), m.loss(), m.lossExact(), m.lossSaturatedFraction(), m.batchAccuracy(),
                m.lr(), m.gradL2Global(), m.gradL2GlobalClipped(), m.gradL2Layer(), m.gradL2LayerClipped(), m.gradL2Param(),
                m.gradL2ParamClipped(), m.gradMaxAbs(), m.gradMaxAbsClipped(), m.gradNonFinite(), m.clipped(), m.skipped(),
                m.skipReason(), m.clipThreshold(), m.updateL2Param(), m.updateParamRatio(), m.updateParamRatioL2(), m.paramL2(),
                m.activationMean(), m.activationStd(), m.deadUnitFraction(),
                rms == null ? null : rms[0], rms == null ? null : java.util.Arrays.copyOfRange(rms, 1, rms.length),
                cos == null ? null : cos[0], cos == null ? null : java.util.Arrays.copyOfRange(cos, 1, cos.length),
                null, null, z);
    }

    /** The row with the directional sharpness, measured after everything else read the step (it runs DL4J's backprop twice). */
    private IterationMetrics withSharpness(IterationMetrics m, int iteration, int epoch) {
        sharpness.captureProbe();
        boolean adam = adamRms != null || AdamUpdateRms.appliesTo(net.updater(false));
        double value;
        probing = true;
        try {
            value = sharpness.measure(adam, iteration);
        } finally {
            probing = false;
        }
        double limit = DirectionalSharpness.limit(lrUpdater, learningRate(iteration, epoch));
        return m.withSharpness(Double.isNaN(value) ? null : value, Double.isNaN(limit) ? null : limit);
    }

    private double learningRate(int iteration, int epoch) {
        return lrUpdater == null ? Double.NaN : lrUpdater.getLearningRate(iteration, epoch);
    }
}
