package org.explosionlab.training;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.explosionlab.remedy.GradientStats;
import org.explosionlab.remedy.ParamLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * The DL4J training listener that turns each step into one {@link IterationMetrics}. It reads the
 * gradient figures the {@link InstrumentedUpdater} measured inside the step, and at
 * {@code iterationDone} — where DL4J's gradient view holds the update Δθ just applied — the figures of
 * the update; the parameters θ the step started from were measured before the update. All three are
 * measured by the Adam pass when it can ({@link StepProbe}), else in native BLAS passes. Optionally
 * ({@code recordActivations}) records activation mean/std per layer in {@code onForwardPass}.
 */
public final class MetricsListener extends BaseTrainingListener {
    private final MultiLayerNetwork net;
    private final StepProbe probe;
    private final int every;
    private final boolean activations;
    private final List<Consumer<IterationMetrics>> sinks;
    /** The parameter keys in flattened order, shared by every recorded step's per-parameter maps. */
    private final List<String> keys;
    private double[] activationMean;
    private double[] activationStd;

    MetricsListener(MultiLayerNetwork net, StepProbe probe, int every, boolean activations,
                    List<Consumer<IterationMetrics>> sinks) {
        this.net = net;
        this.probe = probe;
        this.every = every;
        this.activations = activations;
        this.sinks = List.copyOf(sinks);
        this.keys = probe.layout().keys();
        probe.measureNextStep(true);
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> acts) {
        if (!activations || !recording(net.getIterationCount())) return;
        int n = acts.size() - 1;                     // index 0 is the input
        activationMean = new double[n];
        activationStd = new double[n];
        for (int i = 0; i < n; i++) {
            INDArray a = acts.get(i + 1);
            activationMean[i] = a.meanNumber().doubleValue();
            activationStd[i] = a.stdNumber().doubleValue();
        }
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (recording(iteration)) sinks.forEach(s -> s.accept(measure(iteration, epoch)));
        probe.measureNextStep(recording(iteration + 1));
    }

    private boolean recording(long iteration) {
        return iteration % every == 0;
    }

    private IterationMetrics measure(int iteration, int epoch) {
        ParamLayout layout = probe.layout();
        GradientStats updateStats = probe.update(net.getFlattenedGradients());     // the update Δθ
        GradientStats paramStats = probe.params();                 // θ before the step
        GradientStats raw = probe.raw();
        GradientStats clipped = probe.clipped();
        Map<String, Double> gradParam = ParamValues.of(keys, raw::paramL2);
        Map<String, Double> gradParamClipped = ParamValues.of(keys, clipped::paramL2);
        Map<String, Double> updateL2 = ParamValues.of(keys, updateStats::paramL2);
        Map<String, Double> ratio = ParamValues.of(keys, p -> updateStats.paramMeanAbs(p) / paramStats.paramMeanAbs(p));
        Map<String, Double> ratioL2 = ParamValues.of(keys, p -> updateStats.paramL2(p) / paramStats.paramL2(p));
        Map<String, Double> paramL2 = ParamValues.of(keys, paramStats::paramL2);
        double[] layer = new double[layout.layers()];
        double[] layerClipped = new double[layout.layers()];
        for (int l = 0; l < layer.length; l++) {
            layer[l] = raw.layerL2(l);
            layerClipped[l] = clipped.layerL2(l);
        }
        double threshold = probe.threshold();
        IterationMetrics m = new IterationMetrics(iteration, epoch, net.score(), learningRate(iteration, epoch),
                raw.globalL2(), clipped.globalL2(), layer, layerClipped, gradParam, gradParamClipped,
                raw.maxAbs(), clipped.maxAbs(), raw.nonFinite(), probe.clippedThisStep(), probe.skipped(),
                Double.isNaN(threshold) ? null : threshold, updateL2, ratio, ratioL2, paramL2,
                activations ? activationMean : null, activations ? activationStd : null);
        return m;
    }

    private double learningRate(int iteration, int epoch) {
        IUpdater u = ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater();
        return u.hasLearningRate() ? u.getLearningRate(iteration, epoch) : Double.NaN;
    }
}
