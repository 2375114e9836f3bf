package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two windows this project opens into DL4J's own updater step, for both network classes
 * ({@link HookedUpdater}, {@link Network.HookedGraphUpdater}); everything else is DL4J's code path,
 * unchanged. DL4J 1.0.0-M2.1's {@code BaseMultiLayerUpdater.update} does: ÷ minibatch → {@code preApply}
 * per layer (the {@code GradientNormalization} modes) → per-block L1/L2 + optimizer, turning the gradient
 * view into the update Δθ in place; the solver then does θ ← θ − Δθ.
 * <ul>
 *   <li>Before all of that, the {@link GradientHook}s (this project's remedies) get the raw minibatch-sum
 *       gradient, <b>in a fixed order</b> whatever order they were installed in: skip-non-finite, then
 *       spike skipping, then the clipping rules ({@link GradientHook#stage()}). When one says skip, the view is
 *       zeroed and DL4J's updater does not run: θ − 0 leaves the parameters as they were, and the optimizer
 *       state (Adam's moments) does not move.</li>
 *   <li>After the remedies, and again after the last layer's {@code preApply}, the {@link StepObserver}
 *       (the {@link ExplosionMonitor}) can measure what the optimizer is about to receive.</li>
 * </ul>
 * Not part of the saved model: {@code ModelSerializer} stores the updater's state array, not its class.
 */
final class UpdaterHooks {
    private final Network network;
    private final List<GradientHook> hooks = new ArrayList<>();
    private StepObserver observer;
    private ParamLayout layout;
    private float[] gradientCopy;
    private float[] paramsCopy;
    private GradientHook.Outcome last = GradientHook.Outcome.UNCHANGED;
    private int preApplied;
    private int layersWithGradients;

    UpdaterHooks(Network network) {
        this.network = network;
    }

    /**
     * The network's hooks, installing a hooked updater first if its updater is still DL4J's: the new one is
     * built from the same layer configurations and continues from a copy of the old one's state (Adam's
     * moments), so the user's updater configuration and state are kept.
     */
    static UpdaterHooks installOn(Network net) {
        if (!net.initialised()) throw new IllegalStateException("call net.init() before installing on the network");
        Updater current = net.updater(true);
        if (current instanceof Network.Hooked h) return h.hooks();
        INDArray state = current == null ? null : current.getStateViewArray();
        return net.installHookedUpdater(state == null ? null : state.dup()).hooks();
    }

    /** The network's hooks, or null when its updater is DL4J's own. */
    static UpdaterHooks of(Network net) {
        return net.updater(false) instanceof Network.Hooked h ? h.hooks() : null;
    }

    /** Adds a hook in its stage's place, after the hooks of the same stage already installed (idempotent for the same object). */
    void add(GradientHook hook) {
        if (hooks.contains(hook)) return;
        hooks.add(hook);
        hooks.sort(Comparator.comparingInt(GradientHook::stage));     // stable: install order within a stage
    }

    /** The hooks, in the order they run. */
    List<GradientHook> hooks() {
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

    /**
     * Runs the hooks on DL4J's gradient view before DL4J's update.
     *
     * @return whether DL4J's update should run (false: the step is skipped, the view holds zeros)
     */
    boolean beforeUpdate(Gradient gradient, int batchSize) {
        INDArray flat = gradient.gradient();
        last = runHooks(flat, batchSize);
        if (last.skip()) {
            flat.assign(0);                          // θ − 0: the step is skipped
            return false;
        }
        if (observer != null) observer.afterRemedies(flat, batchSize, last.changed());
        preApplied = 0;
        layersWithGradients = layersIn(gradient);
        return true;
    }

    /** Called after each layer's {@code preApply}; after the last one, the observer sees what the optimizer receives. */
    void afterPreApply(INDArray flatView) {
        if (++preApplied == layersWithGradients && observer != null) observer.afterNormalization(flatView);
    }

    private GradientHook.Outcome runHooks(INDArray flat, int k) {
        if (hooks.isEmpty()) return GradientHook.Outcome.UNCHANGED;
        if (layout == null) {
            layout = ParamLayout.of(network);
            gradientCopy = new float[layout.length()];
            paramsCopy = new float[layout.length()];
        }
        NdBuffers.copy(flat, gradientCopy);
        NdBuffers.copy(network.params(), paramsCopy);
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

    /** Number of layers with a gradient this step: DL4J calls {@code preApply} once for each (keys are {@code layer_param}). */
    private static int layersIn(Gradient gradient) {
        Set<String> layers = new HashSet<>();
        for (String key : gradient.gradientForVariable().keySet()) layers.add(key.substring(0, key.lastIndexOf('_')));
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
