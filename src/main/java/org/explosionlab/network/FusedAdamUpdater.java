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
 * cache). Per element, in float32 and in the order of DL4J's {@code updaterAdam.cpp}, t = iteration + 1:
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
    /** Elements per chunk: 3 × 2048 floats = 24 KiB of scratch, inside a typical L1 data cache. */
    static final int CHUNK = 2048;
    static final String M_STATE = "M";
    static final String V_STATE = "V";

    private final FusedAdam config;
    private final float[] g = new float[CHUNK];
    private final float[] m = new float[CHUNK];
    private final float[] v = new float[CHUNK];
    private INDArray mState;
    private INDArray vState;
    private FloatBuffer mBuffer;
    private FloatBuffer vBuffer;
    /** Minibatch size the next gradient still has to be divided by (1: already divided). */
    private int pendingDivisor = 1;

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
            if (divisor != 1) gradient.divi(divisor);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater(gradient.reshape(vState.shape()), vState,
                    mState, lr, config.getBeta1(), config.getBeta2(), config.getEpsilon(), iteration));
            return;
        }
        float beta1 = (float) config.getBeta1();
        float beta2 = (float) config.getBeta2();
        float epsilon = (float) config.getEpsilon();
        step(gBuffer, mBuffer, vBuffer, Math.toIntExact(gradient.length()), beta1, beta2, epsilon,
                alpha((float) lr, beta1, beta2, epsilon, iteration), divisor);
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

    private void step(FloatBuffer gb, FloatBuffer mb, FloatBuffer vb, int n, float beta1, float beta2, float epsilon,
                      float alpha, int divisor) {
        float k = divisor;
        float keep1 = 1 - beta1;
        float keep2 = 1 - beta2;
        for (int start = 0; start < n; start += CHUNK) {
            int len = Math.min(CHUNK, n - start);
            gb.get(start, g, 0, len);
            mb.get(start, m, 0, len);
            vb.get(start, v, 0, len);
            if (divisor != 1) {
                for (int i = 0; i < len; i++) g[i] /= k;
            }
            for (int i = 0; i < len; i++) {
                float gi = g[i];
                float mi = beta1 * m[i] + gi * keep1;
                float vi = beta2 * v[i] + gi * gi * keep2;
                m[i] = mi;
                v[i] = vi;
                g[i] = (mi * alpha) / ((float) Math.sqrt(vi) + epsilon);
            }
            gb.put(start, g, 0, len);
            mb.put(start, m, 0, len);
            vb.put(start, v, 0, len);
        }
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
