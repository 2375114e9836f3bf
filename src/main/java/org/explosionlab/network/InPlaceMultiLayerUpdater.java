package org.explosionlab.network;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link MultiLayerUpdater}, made to take its own fast path. DL4J 1.0.0-M2.1's
 * {@code BaseMultiLayerUpdater.update} decides whether a gradient is "external" (computed by another
 * network) by object identity, {@code gradient.gradient() != getFlattenedGradientsView()}; but
 * {@code DefaultGradient.gradient()} returns a fresh {@code reshape} of the flattened array on every
 * call, so the test is always true and every step takes the external path, which rebuilds the
 * per-parameter views (two {@code reshape}+{@code get} per parameter and regularization phase, and the
 * minibatch-division subsets) instead of using the ones built once. This class hands DL4J a gradient
 * whose {@code gradient()} <em>is</em> the updater's view object when it covers the same memory, so
 * the standard path runs: the same operations on the same memory, without the view rebuilding.
 * A gradient in other memory is passed on unchanged and still takes DL4J's external path.
 *
 * <p>On by default; with {@code -Dexplosionlab.inPlaceUpdater=false} ({@link #ENABLED_PROPERTY}, read
 * when the updater is created) {@code NetworkFactory} leaves networks with DL4J's plain updater and
 * this class behaves exactly like it.
 */
public class InPlaceMultiLayerUpdater extends MultiLayerUpdater {
    private static final long serialVersionUID = 1L;
    /** System property that turns this updater off ({@code false}); read when a network is built. */
    public static final String ENABLED_PROPERTY = "explosionlab.inPlaceUpdater";

    /** System property that keeps DL4J's own θ ← θ − update step ({@code -Dexplosionlab.fusedStep=false}). */
    public static final String FUSED_STEP_PROPERTY = "explosionlab.fusedStep";

    private final boolean inPlace = enabled();
    private final boolean fusedStepEnabled = inPlace
            && Switches.on(FUSED_STEP_PROPERTY);
    /** Whether every block is a {@link FusedAdamUpdater} without regularization; decided on the first step. */
    private transient Boolean adamOnly;
    /** Whether the ÷k is left to {@link FusedAdamUpdater}; decided on the first step. */
    private transient Boolean divisionInAdam;
    private transient ConvexOptimizer optimizerSeen;
    private transient FusedStepFunction stepFunction;
    private transient long paramsAddress;
    private transient FloatBuffer[] blockParams;
    private transient PassFigures nextFigures;

    public InPlaceMultiLayerUpdater(MultiLayerNetwork network) {
        super(network);
    }

    /** @param updaterState existing updater state to continue from (not re-initialised) */
    public InPlaceMultiLayerUpdater(MultiLayerNetwork network, INDArray updaterState) {
        super(network, updaterState);
    }

    /** True unless {@code -Dexplosionlab.inPlaceUpdater=false}. */
    public static boolean enabled() {
        return Switches.on(ENABLED_PROPERTY);
    }

    /**
     * DL4J's update, and — when every block is a {@link FusedAdam} without regularization and the network
     * is trained by DL4J's SGD solver — DL4J's step θ ← θ − update done inside the Adam pass, which
     * reads and writes each element anyway; the solver's own {@code params.subi(update)} is then skipped
     * ({@link FusedStepFunction}). Same float32 subtraction, same bits; the gradient view still holds
     * the update afterwards, as listeners expect at {@code iterationDone}.
     */
    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        Gradient g = ownView(gradient);
        boolean own = g instanceof OwnView;
        PassFigures figures = nextFigures;
        nextFigures = null;
        FusedStepFunction step = own ? fusedStep() : null;
        if (figures != null && (step == null || !divisionInAdam())) {
            throw new IllegalStateException("the Adam pass was asked to measure a step it cannot fuse");
        }
        if (step != null) {
            step.reset();
            FloatBuffer[] params = blockParams();
            for (int b = 0; b < updaterBlocks.size(); b++) {
                UpdaterBlock block = updaterBlocks.get(b);
                ((FusedAdamUpdater) block.getGradientUpdater()).applyNextTo(params[b], figures, block.getParamOffsetStart());
            }
        }
        super.update(g, iteration, epoch, batchSize, workspaceMgr);
        if (step != null) step.alreadyApplied();
    }

    /**
     * Whether the next step's Adam pass can measure the raw gradient, θ and the update itself
     * ({@link #measureNextStepInPass}): {@code gradient} is the network's own (see {@link #ownView}),
     * the fused step is in place, nothing changes the gradient between backprop and the pass, and the
     * Adam kernel measures ({@link NativeAdamKernel} or {@link VectorAdamKernel}).
     */
    public boolean passCanMeasure(Gradient gradient) {
        if (!(gradient instanceof OwnView) || !divisionInAdam() || fusedStep() == null) return false;
        for (UpdaterBlock block : updaterBlocks) {
            if (!((FusedAdamUpdater) block.getGradientUpdater()).measuresInPass()) return false;
        }
        return true;
    }

    /**
     * The network's gradient answering {@link Gradient#gradient()} with this updater's own view object
     * when it covers the same memory (DL4J's standard path, see the class comment; no new view per
     * call), else {@code gradient} itself. Idempotent.
     */
    protected Gradient ownView(Gradient gradient) {
        if (gradient instanceof OwnView || !inPlace) return gradient;
        INDArray view = getFlattenedGradientsView();
        return sameMemory(gradient.gradient(), view) ? new OwnView(gradient, view) : gradient;
    }

    /** Makes the next {@link #update} measure in its Adam pass; only after {@link #passCanMeasure} said yes. */
    public void measureNextStepInPass(PassFigures figures) {
        this.nextFigures = figures;
    }

    /** {@link #adamKernel()} of the network's updater, or "dl4j" when it is not this project's in-place updater. */
    public static String adamKernelOf(MultiLayerNetwork net) {
        return net.getUpdater(false) instanceof InPlaceMultiLayerUpdater u ? u.adamKernel() : "dl4j";
    }

    /**
     * Which element loop computes Adam: the {@code FusedAdam} kernel's name ("native", "vector",
     * "scalar") when every updater block is {@code FusedAdam}, else "dl4j".
     */
    public String adamKernel() {
        String name = null;
        for (UpdaterBlock block : updaterBlocks) {
            if (!(block.getGradientUpdater() instanceof FusedAdamUpdater f)) return "dl4j";
            name = f.kernelName();
        }
        return name == null ? "dl4j" : name;
    }

    /** Whether the last steps subtracted the update inside the Adam pass (the fused step is installed). */
    public boolean fusesStep() {
        return stepFunction != null;
    }

    /** The fused step function of the solver training this network, or null if the step cannot be fused. */
    private FusedStepFunction fusedStep() {
        if (!fusedStepEnabled || !adamOnly()) return null;
        ConvexOptimizer optimizer;
        try {
            optimizer = network.getOptimizer();
        } catch (NullPointerException noSolverYet) {     // DL4J 1.0.0-M2.1 has no accessor that tolerates a missing solver
            return null;
        }
        if (optimizer != optimizerSeen) {
            optimizerSeen = optimizer;
            stepFunction = optimizer == null ? null : FusedStepFunction.install(optimizer);
        }
        return stepFunction;
    }

    /** Each block's slice of the network's parameters, as native float buffers (rebuilt if they moved). */
    private FloatBuffer[] blockParams() {
        INDArray params = network.params();
        long address = params.data().address();
        if (blockParams == null || address != paramsAddress) {
            FloatBuffer all = NativeFloats.buffer(params);
            blockParams = new FloatBuffer[updaterBlocks.size()];
            for (int b = 0; b < blockParams.length; b++) {
                UpdaterBlock block = updaterBlocks.get(b);
                blockParams[b] = all.slice(block.getParamOffsetStart(), block.getParamOffsetEnd() - block.getParamOffsetStart());
            }
            paramsAddress = address;
        }
        return blockParams;
    }

    /**
     * DL4J divides the whole gradient view by the minibatch size k in a pass of its own, right before
     * the optimizer reads it. When nothing else reads the gradient in between — every block is a
     * {@link FusedAdam}, no layer has a {@code GradientNormalization} or L1/L2/weight-decay
     * regularization, and every parameter is one DL4J divides — the division is left to the Adam pass,
     * which does the same float32 division element by element on its way through: one pass over the
     * parameters less per step, bit-identical results (tested). Anything else takes DL4J's path.
     */
    @Override
    protected void divideByMinibatch(boolean isExternal, Gradient gradient, int batchSize) {
        if (!isExternal && inPlace && divisionInAdam()) {
            for (UpdaterBlock block : updaterBlocks) ((FusedAdamUpdater) block.getGradientUpdater()).divideNextGradientBy(batchSize);
            return;
        }
        super.divideByMinibatch(isExternal, gradient, batchSize);
    }

    /** Whether this updater leaves the ÷k to the Adam pass (decided on the first step). */
    boolean divisionInAdam() {
        if (divisionInAdam == null) {
            boolean ok = adamOnly();
            for (UpdaterBlock block : updaterBlocks) {
                for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                    ok &= p.getLayer().updaterDivideByMinibatch(p.getParamName())
                            && p.getLayer().getConfig().getGradientNormalization() == org.deeplearning4j.nn.conf.GradientNormalization.None;
                }
            }
            divisionInAdam = ok;
        }
        return divisionInAdam;
    }

    /**
     * Whether every block is a {@link FusedAdamUpdater} on the network's float32 parameters and no
     * parameter has L1/L2/weight-decay regularization (which DL4J applies around the optimizer, reading
     * θ): then the Adam pass alone turns the gradient into the update (decided on the first step).
     */
    boolean adamOnly() {
        if (adamOnly == null) {
            boolean ok = !updaterBlocks.isEmpty() && NativeFloats.contiguous(network.params());
            for (UpdaterBlock block : updaterBlocks) {
                ok &= block.getGradientUpdater() instanceof FusedAdamUpdater;
                for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                    var regularization = p.getLayer().getConfig().getRegularizationByParam(p.getParamName());
                    ok &= regularization == null || regularization.isEmpty();
                }
            }
            adamOnly = ok;
        }
        return adamOnly;
    }

    /** Whether two arrays are the same elements of the same buffer (shape aside). */
    static boolean sameMemory(INDArray a, INDArray b) {
        return a == b || a != null && b != null && a.length() == b.length() && a.dataType() == b.dataType()
                && a.elementWiseStride() == 1 && b.elementWiseStride() == 1
                && a.data().address() == b.data().address();
    }

    /** The network's gradient, answering {@link #gradient()} with the updater's own view object. */
    private static final class OwnView implements Gradient {
        private static final long serialVersionUID = 1L;
        private final Gradient delegate;
        private final transient INDArray view;

        OwnView(Gradient delegate, INDArray view) {
            this.delegate = delegate;
            this.view = view;
        }

        @Override
        public INDArray gradient() {
            return view;
        }

        @Override
        public Map<String, INDArray> gradientForVariable() {
            return delegate.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return delegate.gradient(order);
        }

        @Override
        public void clear() {
            delegate.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return delegate.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient) {
            return delegate.setGradientFor(variable, gradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
            return delegate.setGradientFor(variable, gradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return delegate.flatteningOrderForVariable(variable);
        }
    }
}
