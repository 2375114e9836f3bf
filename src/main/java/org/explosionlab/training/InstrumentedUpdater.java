package org.explosionlab.training;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.explosionlab.network.InPlaceMultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's own {@link MultiLayerUpdater}, with two windows into its step. DL4J 1.0.0-M2.1's
 * {@code BaseMultiLayerUpdater.update} does: ÷ minibatch → {@code preApply} per layer (the
 * {@code GradientNormalization} modes) → per-block L1/L2 + optimizer, turning the gradient view into
 * the update in place. This class
 * <ul>
 *   <li>before all of that, hands the raw minibatch-sum gradient to the {@link StepProbe}, which
 *       measures it and runs this project's remedies on it (or skips the step: the view is zeroed and
 *       DL4J's updater is not run, so parameters and optimizer state stay as they were);</li>
 *   <li>after the last layer's {@code preApply}, lets the probe measure what the optimizer receives.</li>
 * </ul>
 * On a recorded step with nothing between backprop and the optimizer, the probe's figures are taken by
 * the Adam pass itself ({@link #measureNextStepInPass}) instead of separate passes.
 * Everything else is DL4J's code path, unchanged (through {@link InPlaceMultiLayerUpdater}, which only
 * lets DL4J use the views it built once instead of rebuilding them every step).
 */
public final class InstrumentedUpdater extends InPlaceMultiLayerUpdater {
    private final transient StepProbe probe;
    private final int layersWithGradients;
    private int preApplied;

    InstrumentedUpdater(MultiLayerNetwork network, StepProbe probe) {
        super(network);
        this.probe = probe;
        this.layersWithGradients = probe.layout().layers();
    }

    InstrumentedUpdater(MultiLayerNetwork network, INDArray updaterState, StepProbe probe) {
        super(network, updaterState);
        this.probe = probe;
        this.layersWithGradients = probe.layout().layers();
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        Gradient own = ownView(gradient);
        INDArray flat = own.gradient();
        boolean inPass = probe.wantsPassMeasurement() && passCanMeasure(own);
        if (probe.beforeUpdate(flat, network.params(), batchSize, inPass)) {
            flat.assign(0);          // params -= 0: the step is skipped
            return;
        }
        if (probe.measuredInPass()) measureNextStepInPass(probe.passFigures());
        preApplied = 0;
        super.update(own, iteration, epoch, batchSize, workspaceMgr);
    }

    /** Whether the last step's figures were measured by the Adam pass (for tests). */
    boolean probeMeasuredInPass() {
        return probe.measuredInPass();
    }

    @Override
    public void preApply(Trainable layer, Gradient gradient, int iteration) {
        super.preApply(layer, gradient, iteration);
        if (++preApplied == layersWithGradients) probe.afterNormalization(getFlattenedGradientsView());
    }
}
