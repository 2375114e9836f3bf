package org.explosionlab.training;

import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.remedy.ParamLayout;
import org.explosionlab.remedy.RemedyChain;
import org.explosionlab.spec.ExperimentSpec;

/**
 * A network built from a spec with the project's instruments installed: the {@link InstrumentedUpdater}
 * (remedies + gradient windows) and the {@link MetricsListener} feeding {@code sinks}. Training it is
 * plain DL4J: {@code net.fit(dataSet)}.
 */
public final class InstrumentedNetwork {
    private final MultiLayerNetwork net;
    private final StepProbe probe;
    private final ParamLayout layout;

    private InstrumentedNetwork(MultiLayerNetwork net, StepProbe probe, ParamLayout layout) {
        this.net = net;
        this.probe = probe;
        this.layout = layout;
    }

    /** Builds and instruments the spec's network; every recorded iteration goes to each sink. */
    public static InstrumentedNetwork create(ExperimentSpec spec, List<Consumer<IterationMetrics>> sinks) {
        return instrument(NetworkFactory.build(spec), spec, sinks);
    }

    /** Instruments an existing network built from {@code spec} (e.g. restored from a checkpoint). */
    public static InstrumentedNetwork instrument(MultiLayerNetwork net, ExperimentSpec spec, List<Consumer<IterationMetrics>> sinks) {
        ParamLayout layout = ParamLayout.ofDenseLayers(spec.layerSizes());
        if (layout.length() != net.numParams()) {
            throw new IllegalStateException("parameter layout has " + layout.length() + " elements, network " + net.numParams());
        }
        StepProbe probe = new StepProbe(layout, RemedyChain.of(spec, layout),
                spec.gradientNormalization() != GradientNormalization.None);
        var state = net.getUpdater(false) == null ? null : net.getUpdater().getStateViewArray();
        net.setUpdater(state == null ? new InstrumentedUpdater(net, probe) : new InstrumentedUpdater(net, state.dup(), probe));
        net.setListeners(new MetricsListener(net, probe, spec.metricsEvery(), spec.recordActivations(), sinks));
        return new InstrumentedNetwork(net, probe, layout);
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public ParamLayout layout() {
        return layout;
    }

    /** The remedies' state, for checkpoints. */
    public org.explosionlab.remedy.RemedyChain.State remedyState() {
        return probe.remedies().state();
    }

    /** Continues the remedies from a checkpoint. */
    public void restoreRemedies(org.explosionlab.remedy.RemedyChain.State state) {
        probe.remedies().restore(state);
    }

    /** "adam pass" when the Adam pass did DL4J's θ ← θ − Δθ on the last step, else "dl4j". */
    public String updateStep() {
        return net.getUpdater(false) instanceof org.explosionlab.network.InPlaceMultiLayerUpdater u && u.fusesStep()
                ? "adam pass" : "dl4j";
    }

    /** Which element loop computed Adam (see {@link RunResults#adamKernel()}). */
    public String adamKernel() {
        return org.explosionlab.network.InPlaceMultiLayerUpdater.adamKernelOf(net);
    }

    /** Where the recorded steps' figures were taken (see {@link RunResults#metricsMeasured()}). */
    public String metricsMeasured() {
        return probe.whereMeasured();
    }

    /** True once skip-non-finite has skipped its maximum number of consecutive steps. */
    public boolean skipGaveUp() {
        return probe.gaveUp();
    }
}
