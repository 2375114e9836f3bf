package org.explosionlab.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * A {@link MultiLayerNetwork} whose gradient computation, for plain dense softmax classifiers, runs
 * as a handful of BLAS calls ({@link DenseBackprop}) instead of DL4J's layer-by-layer op graph. Only
 * {@link #computeGradientAndScore()} is replaced: {@code fit}, the solver, the updater (÷ minibatch,
 * {@code GradientNormalization}, L1/L2, the optimizer), the parameter step, constraints, listeners,
 * iteration counts, evaluation and serialization are DL4J's own code. The gradient lands in the same
 * flattened view, with the same per-parameter views DL4J hands its updater, and the score is DL4J's
 * (mean loss + regularization), so the rest of the step cannot tell the difference; the tests train
 * both side by side and compare parameters, scores and metrics.
 *
 * <p>Per-op overhead, not arithmetic, dominates DL4J's step for a network this small (bench/RESULTS.md);
 * this is what brings the project's training to the speed of plain numpy on the same BLAS.
 *
 * <p>The fast path is taken when {@link #whyNotFast()} is null: float32; only {@code DenseLayer}s and
 * one {@code OutputLayer} with softmax and {@code LossMCXENT}/{@code LossNegativeLogLikelihood} without
 * weights; hidden activations ReLU, leaky ReLU, tanh, sigmoid or identity; biases; no dropout, weight
 * noise, layer norm, preprocessors or truncated BPTT; and, per minibatch, no masks and contiguous
 * row-major float32 features and labels. Anything else — or {@code -Dexplosionlab.fastBackprop=false}
 * ({@link #ENABLED_PROPERTY}) — runs DL4J's {@code computeGradientAndScore} unchanged.
 */
public class FastDenseNetwork extends MultiLayerNetwork {
    private static final long serialVersionUID = 1L;
    /** System property that turns the fast path off ({@code false}); read when the network is initialised. */
    public static final String ENABLED_PROPERTY = "explosionlab.fastBackprop";

    private transient DenseBackprop backprop;
    private transient Gradient fastGradient;
    private transient String whyNot = "not initialised";
    private transient long fastSteps;

    public FastDenseNetwork(MultiLayerConfiguration conf) {
        super(conf);
    }

    /**
     * The same network (configuration with its iteration and epoch counts, parameters, updater state)
     * as a {@code FastDenseNetwork}: for networks DL4J's {@code ModelSerializer} restored.
     */
    public static FastDenseNetwork copyOf(MultiLayerNetwork net) {
        FastDenseNetwork copy = new FastDenseNetwork(net.getLayerWiseConfigurations().clone());
        copy.init(net.params().dup(), false);
        var updater = net.getUpdater(false);
        INDArray state = updater == null ? null : updater.getStateViewArray();
        if (state != null) {
            copy.setUpdater(InPlaceMultiLayerUpdater.enabled() ? new InPlaceMultiLayerUpdater(copy, state.dup())
                    : new org.deeplearning4j.nn.updater.MultiLayerUpdater(copy, state.dup()));
        } else if (InPlaceMultiLayerUpdater.enabled()) {
            copy.setUpdater(new InPlaceMultiLayerUpdater(copy));
        }
        return copy;
    }

    /** True unless {@code -Dexplosionlab.fastBackprop=false}. */
    public static boolean enabled() {
        return Switches.on(ENABLED_PROPERTY);
    }

    @Override
    public void init(INDArray parameters, boolean cloneParametersArray) {
        super.init(parameters, cloneParametersArray);
        if (getFlattenedGradients() == null) initGradientsView();   // prepares the fast path
        else prepare();
    }

    @Override
    public void initGradientsView() {
        super.initGradientsView();
        prepare();
    }

    /** Why this network trains through DL4J's own backprop, or null if it takes the fast path. */
    public String whyNotFast() {
        return whyNot;
    }

    /** Minibatches whose gradient the fast path computed (the others went through DL4J's backprop). */
    public long fastSteps() {
        return fastSteps;
    }

    /** Re-reads the parameter and gradient views (after init, or when DL4J replaced them). */
    private void prepare() {
        backprop = null;
        fastGradient = null;
        whyNot = enabled() ? eligibility() : ENABLED_PROPERTY + "=false";
        if (whyNot != null) return;
        List<INDArray> w = new ArrayList<>();
        List<INDArray> b = new ArrayList<>();
        List<INDArray> dw = new ArrayList<>();
        List<INDArray> db = new ArrayList<>();
        List<HiddenActivation> hidden = new ArrayList<>();
        Gradient g = new FlatGradient(getFlattenedGradients());
        Layer[] ls = getLayers();
        for (int i = 0; i < ls.length; i++) {
            Layer layer = ls[i];
            Map<String, INDArray> grads = DefaultParamInitializer.getInstance()
                    .getGradientsFromFlattened(layer.conf(), layer.getGradientsViewArray());
            w.add(layer.getParam(DefaultParamInitializer.WEIGHT_KEY));
            b.add(layer.getParam(DefaultParamInitializer.BIAS_KEY));
            dw.add(grads.get(DefaultParamInitializer.WEIGHT_KEY));
            db.add(grads.get(DefaultParamInitializer.BIAS_KEY));
            g.setGradientFor(i + "_" + DefaultParamInitializer.WEIGHT_KEY, grads.get(DefaultParamInitializer.WEIGHT_KEY));
            g.setGradientFor(i + "_" + DefaultParamInitializer.BIAS_KEY, grads.get(DefaultParamInitializer.BIAS_KEY));
            if (i < ls.length - 1) hidden.add(HiddenActivation.of(((BaseLayer) layer.conf().getLayer()).getActivationFn()));
        }
        var out = (org.deeplearning4j.nn.conf.layers.BaseOutputLayer) ls[ls.length - 1].conf().getLayer();
        boolean softmax = out.getActivationFn() instanceof ActivationSoftmax;
        backprop = out.getLossFn() instanceof LossMCXENT xent
                ? new DenseBackprop(w, b, dw, db, hidden, null, false, xent.getSoftmaxClipEps())
                : new DenseBackprop(w, b, dw, db, hidden, softmax ? null : HiddenActivation.of(out.getActivationFn()), true, 0);
        fastGradient = g;
    }

    /** Null if the configuration can take the fast path, else the first reason it cannot. */
    private String eligibility() {
        MultiLayerConfiguration conf = getLayerWiseConfigurations();
        if (conf.getDataType() != DataType.FLOAT) return "data type " + conf.getDataType() + " (fast path: FLOAT)";
        if (conf.getBackpropType() != BackpropType.Standard) return "backprop type " + conf.getBackpropType();
        if (conf.getInputPreProcessors() != null && !conf.getInputPreProcessors().isEmpty()) return "input preprocessors";
        Layer[] ls = getLayers();
        if (ls.length < 1) return "no layers";
        for (int i = 0; i < ls.length; i++) {
            Layer layer = ls[i];
            var lc = layer.conf().getLayer();
            boolean last = i == ls.length - 1;
            Class<?> expected = last ? org.deeplearning4j.nn.layers.OutputLayer.class
                    : org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class;
            if (layer.getClass() != expected) return "layer " + i + " is " + layer.getClass().getSimpleName();
            if (lc.getIDropout() != null) return "layer " + i + " has dropout";
            BaseLayer bl = (BaseLayer) lc;
            if (bl.getWeightNoise() != null) return "layer " + i + " has weight noise";
            if (lc instanceof org.deeplearning4j.nn.conf.layers.DenseLayer d && (!d.hasBias() || d.hasLayerNorm())) {
                return "layer " + i + " without bias or with layer norm";
            }
            if (last) {
                var out = (org.deeplearning4j.nn.conf.layers.BaseOutputLayer) lc;
                if (!out.hasBias()) return "output layer without bias";
                boolean softmax = bl.getActivationFn() instanceof ActivationSoftmax;
                if (out.getLossFn() instanceof LossMCXENT xent) {
                    if (xent.getWeights() != null) return "weighted loss " + xent;
                    if (!softmax) return "output activation " + bl.getActivationFn() + " with " + xent;
                } else if (out.getLossFn() instanceof LossMSE mse) {
                    if (mse.getWeights() != null) return "weighted loss " + mse;
                    if (!softmax && HiddenActivation.of(bl.getActivationFn()) == null) return "output activation " + bl.getActivationFn();
                } else {
                    return "loss " + out.getLossFn();
                }
            } else if (HiddenActivation.of(bl.getActivationFn()) == null) {
                return "layer " + i + " activation " + bl.getActivationFn();
            }
            if (layer.getParam(DefaultParamInitializer.WEIGHT_KEY) == null || layer.numParams() !=
                    layer.getParam(DefaultParamInitializer.WEIGHT_KEY).length() + layer.getParam(DefaultParamInitializer.BIAS_KEY).length()) {
                return "layer " + i + " parameters other than W and b";
            }
        }
        return null;
    }

    private boolean accepts(INDArray features, INDArray labels) {
        return backprop != null && mask == null && getOutputLayer().getMaskArray() == null
                && features != null && labels != null && features.rank() == 2 && labels.rank() == 2
                && features.ordering() == 'c' && labels.ordering() == 'c'
                && NativeFloats.contiguous(features) && NativeFloats.contiguous(labels)
                && features.size(1) == backprop.inputSize() && labels.size(1) == backprop.outputSize()
                && features.size(0) == labels.size(0);
    }

    @Override
    public void computeGradientAndScore() {
        if (!accepts(input, labels)) {
            super.computeGradientAndScore();
            return;
        }
        synchronizeIterEpochCounts();
        int batch = Math.toIntExact(input.size(0));
        double lossSum = backprop.run(input, labels);
        if (!trainingListeners.isEmpty()) {
            List<INDArray> activations = new ArrayList<>();
            activations.add(input);
            activations.addAll(backprop.hiddenActivations(batch));
            try (var ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (TrainingListener tl : trainingListeners) tl.onForwardPass(this, activations);
            }
        }
        this.gradient = fastGradient;
        score = lossSum / batch + calcRegularizationScore(true);
        if (!trainingListeners.isEmpty()) {
            try (var ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                for (TrainingListener tl : trainingListeners) tl.onBackwardPass(this);
            }
        }
        fastSteps++;
    }

    /**
     * DL4J's {@link DefaultGradient}, except that {@link #gradient()} answers with one rank-1 view of the
     * flattened gradient made once, where DL4J makes a new {@code reshape} (a native shape buffer) on
     * every call — two or three per step.
     */
    private static final class FlatGradient extends DefaultGradient {
        private static final long serialVersionUID = 1L;
        private final transient INDArray flat;

        FlatGradient(INDArray flattened) {
            super(flattened);
            this.flat = flattened.reshape(flattened.length());
        }

        @Override
        public INDArray gradient() {
            return flat;
        }
    }
}
