package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's own {@link MultiLayerUpdater}, with two windows into its step; everything else is DL4J's
 * code path, unchanged. DL4J 1.0.0-M2.1's {@code BaseMultiLayerUpdater.update} does: ÷ minibatch →
 * {@code preApply} per layer (the {@code GradientNormalization} modes) → per-block L1/L2 + optimizer,
 * turning the gradient view into the update Δθ in place; the solver then does θ ← θ − Δθ.
 * <ul>
 *   <li>Before all of that, the {@link GradientHook}s (this project's remedies) get the raw minibatch-sum
 *       gradient. When one says skip, the view is zeroed and DL4J's updater does not run: θ − 0 leaves
 *       the parameters as they were, and the optimizer state (Adam's moments) does not move.</li>
 *   <li>After the remedies, and again after the last layer's {@code preApply}, the {@link StepObserver}
 *       (the {@link ExplosionMonitor}) can measure what the optimizer is about to receive.</li>
 * </ul>
 * Installed only where a remedy or the after-normalization measurement needs it. It is not part of the
 * saved model: {@code ModelSerializer} stores the updater's state array, not its class, so a
 * {@code model.zip} of a network trained with it loads in a plain DL4J program.
 */
public final class HookedUpdater extends MultiLayerUpdater {
    private static final long serialVersionUID = 1L;
    private final transient List<GradientHook> hooks = new ArrayList<>();
    private transient StepObserver observer;
    private transient ParamLayout layout;
    private transient float[] gradientCopy;
    private transient float[] paramsCopy;
    private transient GradientHook.Outcome last = GradientHook.Outcome.UNCHANGED;
    private transient int preApplied;
    private transient int layersWithGradients;

    private HookedUpdater(MultiLayerNetwork network, INDArray updaterState) {
        super(network, updaterState);
    }

    /**
     * The network's {@code HookedUpdater}, installed first if its updater is still DL4J's: the new one is
     * built from the same layer configurations and continues from a copy of the old one's state (Adam's
     * moments), so the user's updater configuration and state are kept.
     */
    public static HookedUpdater installOn(MultiLayerNetwork net) {
        if (net.params() == null) throw new IllegalStateException("call net.init() before installing on the network");
        Updater current = net.getUpdater(true);
        if (current instanceof HookedUpdater h) return h;
        INDArray state = current == null ? null : current.getStateViewArray();
        HookedUpdater h = new HookedUpdater(net, state == null ? null : state.dup());
        net.setUpdater(h);
        return h;
    }

    /** The network's {@code HookedUpdater}, or null when none is installed. */
    static HookedUpdater of(MultiLayerNetwork net) {
        return net.getUpdater(false) instanceof HookedUpdater h ? h : null;
    }

    /** Adds a hook after those already installed (idempotent for the same object). */
    public void add(GradientHook hook) {
        if (!hooks.contains(hook)) hooks.add(hook);
    }

    /** The hooks, in the order they run. */
    public List<GradientHook> hooks() {
        return List.copyOf(hooks);
    }

    /** Sets who measures inside the step (one observer per network). */
    void observe(StepObserver observer) {
        this.observer = observer;
    }

    /** What the hooks did on the last step, combined: changed by any, skipped by one, the last threshold given. */
    GradientHook.Outcome lastOutcome() {
        return last;
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray flat = gradient.gradient();
        last = runHooks(flat, batchSize);
        if (last.skip()) {
            flat.assign(0);                          // θ − 0: the step is skipped
            return;
        }
        if (observer != null) observer.afterRemedies(flat, batchSize, last.changed());
        preApplied = 0;
        layersWithGradients = layersIn(gradient);
        super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
    }

    @Override
    public void preApply(Trainable layer, Gradient gradient, int iteration) {
        super.preApply(layer, gradient, iteration);
        if (++preApplied == layersWithGradients && observer != null) observer.afterNormalization(getFlattenedGradientsView());
    }

    private GradientHook.Outcome runHooks(INDArray flat, int k) {
        if (hooks.isEmpty()) return GradientHook.Outcome.UNCHANGED;
        if (layout == null) {
            layout = ParamLayout.of((MultiLayerNetwork) network);
            gradientCopy = new float[layout.length()];
            paramsCopy = new float[layout.length()];
        }
        NdBuffers.copy(flat, gradientCopy);
        NdBuffers.copy(((MultiLayerNetwork) network).params(), paramsCopy);
        // DL4J's computeGradientAndScore has set the score before BaseOptimizer hands the gradient to the updater
        RawGradient step = new RawGradient(layout, gradientCopy, paramsCopy, k, network.score());
        boolean changed = false;
        double threshold = Double.NaN;
        for (GradientHook hook : hooks) {
            GradientHook.Outcome o = hook.apply(step);
            if (o.skip()) return o;
            changed |= o.changed();
            if (!Double.isNaN(o.threshold())) threshold = o.threshold();
        }
        if (changed) NdBuffers.write(gradientCopy, flat);
        return new GradientHook.Outcome(changed, false, threshold);
    }

    /** Number of layers with a gradient this step: DL4J calls {@code preApply} once for each. */
    private static int layersIn(Gradient gradient) {
        Set<String> layers = new HashSet<>();
        for (String key : gradient.gradientForVariable().keySet()) layers.add(key.substring(0, key.indexOf('_')));
        return layers.size();
    }

    /** Who measures inside the step: the {@link ExplosionMonitor}. */
    interface StepObserver {
        /** After the hooks, before DL4J's ÷k: {@code flat} is on the minibatch-sum scale. */
        void afterRemedies(INDArray flat, int k, boolean changedByHooks);

        /** After DL4J's ÷k and every layer's {@code GradientNormalization}: what the optimizer receives. */
        void afterNormalization(INDArray flat);
    }
}
