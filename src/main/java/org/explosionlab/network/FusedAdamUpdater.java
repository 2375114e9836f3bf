package org.explosionlab.network;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The {@link GradientUpdater} of {@link FusedAdam}: turns the gradient into the Adam update in place,
 * one pass over the elements, reading and writing DL4J's native float32 buffers directly (as
 * {@link FloatBuffer} views, copied chunk by chunk into small reused {@code float[]}s that stay in L1
 * cache; the loop is an {@link AdamKernel}). On request ({@link #applyNextTo}) the same pass also does
 * DL4J's step θ ← θ − update and measures g, θ and the update ({@link PassFigures}). Per element, in
 * float32 and in the order of DL4J's {@code updaterAdam.cpp}, t = iteration + 1:
 * <pre>
 * m ← β1·m + g·(1 − β1)
 * v ← β2·v + g·g·(1 − β2)
 * g ← (m·α_t) / (√v + ε),     α_t = lr·√(1 − β2^t) / (1 − β1^t)
 * </pre>
 * The state is DL4J's Adam layout: one view {@code [m, v]}, m the first half. Arrays that are not
 * contiguous float32 (e.g. a DOUBLE network) go through DL4J's native {@code adam_updater} op instead,
 * with the same formula.
 */
final class FusedAdamUpdater implements GradientUpdater<FusedAdam> {
    static final String M_STATE = "M";
    static final String V_STATE = "V";

    private final FusedAdam config;
    private INDArray mState;
    private INDArray vState;
    private FloatBuffer mBuffer;
    private FloatBuffer vBuffer;
    /** Minibatch size the next gradient still has to be divided by (1: already divided). */
    private int pendingDivisor = 1;
    private final AdamKernel kernel = AdamKernel.create();
    private final AdamPass pass = new AdamPass();
    private FloatBuffer nextParams;
    private PassFigures nextFigures;
    private int nextOffset;

    FusedAdamUpdater(FusedAdam config) {
        this.config = config;
    }

    @Override
    public FusedAdam getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (!stateMap.containsKey(M_STATE) || !stateMap.containsKey(V_STATE) || stateMap.size() != 2) {
            throw new IllegalStateException("Adam state must hold exactly the keys [M, V], got " + stateMap.keySet());
        }
        use(stateMap.get(M_STATE), stateMap.get(V_STATE), initialize);
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new HashMap<>();
        state.put(M_STATE, mState);
        state.put(V_STATE, vState);
        return state;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (!viewArray.isRowVector() && !viewArray.isVector()) {
            throw new IllegalArgumentException("Adam state must be a vector [m, v], got shape "
                    + java.util.Arrays.toString(viewArray.shape()));
        }
        INDArray flat = viewArray.reshape(viewArray.length());
        long half = flat.length() / 2;
        boolean fortran = gradientOrder == 'f';
        INDArray mView = Shape.newShapeNoCopy(flat.get(NDArrayIndex.interval(0, half)), gradientShape, fortran);
        INDArray vView = Shape.newShapeNoCopy(flat.get(NDArrayIndex.interval(half, flat.length())), gradientShape, fortran);
        if (mView == null || vView == null) {
            throw new IllegalStateException("Adam state halves cannot be viewed as shape " + java.util.Arrays.toString(gradientShape));
        }
        use(mView, vView, initialize);
    }

    private void use(INDArray mArr, INDArray vArr, boolean initialize) {
        if (initialize) {
            mArr.assign(0);
            vArr.assign(0);
        }
        this.mState = mArr;
        this.vState = vArr;
        this.mBuffer = floats(mArr);
        this.vBuffer = floats(vArr);
    }

    /**
     * Makes the next {@link #applyUpdater} divide the gradient by the minibatch size k itself, in its
     * one pass, instead of DL4J's separate {@code divi(k)} over the whole gradient view (see
     * {@link InPlaceMultiLayerUpdater}). The same float32 division, so the same result.
     */
    void divideNextGradientBy(int k) {
        pendingDivisor = k;
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (mState == null) throw new IllegalStateException("Adam updater used before its state was set");
        int divisor = pendingDivisor;
        pendingDivisor = 1;
        double lr = config.getLearningRate(iteration, epoch);
        FloatBuffer gBuffer = floats(gradient);
        if (gBuffer == null || mBuffer == null || vBuffer == null || gradient.length() != mState.length()) {
            if (nextParams != null || nextFigures != null) throw new IllegalStateException("fused parameter update on a non-float32 or non-contiguous block");
            if (divisor != 1) gradient.divi(divisor);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(gradient.reshape(vState.shape()), vState,
                    mState, lr, config.getBeta1(), config.getBeta2(), config.getEpsilon(), iteration));
            return;
        }
        AdamPass p = pass;
        p.gradient = gBuffer;
        p.m = mBuffer;
        p.v = vBuffer;
        p.length = Math.toIntExact(gradient.length());
        p.beta1 = (float) config.getBeta1();
        p.beta2 = (float) config.getBeta2();
        p.epsilon = (float) config.getEpsilon();
        p.alpha = alpha((float) lr, p.beta1, p.beta2, p.epsilon, iteration);
        p.divisor = divisor;
        p.params = nextParams;
        p.figures = nextFigures;
        p.offset = nextOffset;
        nextParams = null;
        nextFigures = null;
        try {
            kernel.run(p);
        } finally {
            p.params = null;
            p.figures = null;
        }
    }

    /**
     * Makes the next {@link #applyUpdater} also subtract the update from these parameters (the block's
     * θ, contiguous float32 of the gradient's length) and, if {@code figures} is not null, measure on
     * the way; {@code offset} is the block's first element in the network's flattened vector. Only
     * for a caller that then keeps DL4J from subtracting the update a second time (see
     * {@link InPlaceMultiLayerUpdater}).
     */
    void applyNextTo(FloatBuffer params, PassFigures figures, int offset) {
        if (figures != null && !kernel.measures()) throw new IllegalStateException("this Adam kernel does not measure");
        this.nextParams = params;
        this.nextFigures = figures;
        this.nextOffset = offset;
    }

    /** The kernel's name ({@link AdamKernel#name}). */
    String kernelName() {
        return kernel.name();
    }

    /** Whether the pass can measure ({@link NativeAdamKernel}, {@link VectorAdamKernel}). */
    boolean measuresInPass() {
        return kernel.measures();
    }

    /**
     * The bias-corrected step size, in DL4J's float32 arithmetic (t = iteration + 1):
     * α_t = lr·√(1 − β2^t) / (1 − β1^t), falling back to ε when that is NaN, infinite or zero.
     */
    static float alpha(float lr, float beta1, float beta2, float epsilon, int iteration) {
        float t = (float) iteration + 1;
        float beta1T = (float) Math.pow(beta1, t);
        float beta2T = (float) Math.pow(beta2, t);
        float root = (float) Math.sqrt((float) (1.0 - beta2T));
        float alpha = (float) ((lr * root) / (1.0 - beta1T));
        return Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0 ? epsilon : alpha;
    }

    /**
     * A native-order view of a contiguous float32 array's elements (no copy), or null for any other
     * array. ND4J's {@code data().addressPointer()} already points at the array's first element.
     */
    static FloatBuffer floats(INDArray arr) {
        if (arr.dataType() != DataType.FLOAT || arr.elementWiseStride() != 1 || arr.length() > Integer.MAX_VALUE) {
            return null;
        }
        FloatPointer p = new FloatPointer(arr.data().addressPointer());
        return p.limit(arr.length()).asBuffer();
    }
}
