package org.explosionlab.network;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
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

    private final boolean inPlace = enabled();
    /** Whether the ÷k is left to {@link FusedAdamUpdater}; decided on the first step. */
    private transient Boolean divisionInAdam;

    public InPlaceMultiLayerUpdater(MultiLayerNetwork network) {
        super(network);
    }

    /** @param updaterState existing updater state to continue from (not re-initialised) */
    public InPlaceMultiLayerUpdater(MultiLayerNetwork network, INDArray updaterState) {
        super(network, updaterState);
    }

    /** True unless {@code -Dexplosionlab.inPlaceUpdater=false}. */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr workspaceMgr) {
        INDArray view = getFlattenedGradientsView();
        Gradient g = inPlace && sameMemory(gradient.gradient(), view) ? new OwnView(gradient, view) : gradient;
        super.update(g, iteration, epoch, batchSize, workspaceMgr);
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
            boolean ok = !updaterBlocks.isEmpty();
            for (UpdaterBlock block : updaterBlocks) {
                ok &= block.getGradientUpdater() instanceof FusedAdamUpdater;
                for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                    var conf = p.getLayer().getConfig();
                    var regularization = conf.getRegularizationByParam(p.getParamName());
                    ok &= p.getLayer().updaterDivideByMinibatch(p.getParamName())
                            && conf.getGradientNormalization() == org.deeplearning4j.nn.conf.GradientNormalization.None
                            && (regularization == null || regularization.isEmpty());
                }
            }
            divisionInAdam = ok;
        }
        return divisionInAdam;
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
