package org.explosionlab.monitor;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's own {@link MultiLayerUpdater} with the {@link UpdaterHooks} windows into its step (the
 * {@code ComputationGraph} twin is {@link Network.HookedGraphUpdater}). Installed only where a remedy or the
 * after-normalization measurement needs it. It is not part of the saved model: {@code ModelSerializer}
 * stores the updater's state array, not its class, so a {@code model.zip} of a network trained with it
 * loads in a plain DL4J program (and loads without the remedies: install them again after loading).
 */
final class HookedUpdater extends MultiLayerUpdater implements Network.Hooked {
    private static final long serialVersionUID = 1L;
    private final transient UpdaterHooks hooks;

    HookedUpdater(MultiLayerNetwork network, INDArray updaterState) {
        super(network, updaterState);
        this.hooks = new UpdaterHooks(Network.of(network));
    }

    @Override
    public UpdaterHooks hooks() {
        return hooks;
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        if (hooks.beforeUpdate(gradient, batchSize)) super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
    }

    @Override
    public void preApply(Trainable layer, Gradient gradient, int iteration) {
        super.preApply(layer, gradient, iteration);
        hooks.afterPreApply(getFlattenedGradientsView());
    }
}
