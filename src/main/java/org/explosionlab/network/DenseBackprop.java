package org.explosionlab.network;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward and backward pass of a dense softmax classifier — the computation DL4J's
 * {@code MultiLayerNetwork.computeGradientAndScore} performs for {@code DenseLayer}s and a softmax
 * {@code OutputLayer} with multiclass cross-entropy — as 2L − 1 single-precision BLAS calls
 * ({@code cblas_sgemm}, the OpenBLAS ND4J itself uses) and one Java loop per element-wise stage, on
 * buffers allocated once per batch size. For layer l with weights W<sub>l</sub> [nIn, nOut] (DL4J's
 * column-major view) and bias b<sub>l</sub>, a minibatch of B rows:
 * <pre>
 * forward   z_l = a_{l−1}·W_l + b_l,   a_l = f_l(z_l),   p = softmax(z_L)
 * loss      Σ_rows −Σ_j y_j·log(clip(p_j, ε, 1 − ε))          (DL4J's LossMCXENT, ε = softmaxClipEps)
 *           or Σ_rows Σ_j (y_j − a_j)²/k with a = f(z_L)       (LossMSE, any supported output activation)
 * backward  δ_L = p − y  (MCXENT + softmax; MSE: see {@link #squaredErrorAndDelta});   ∂W_l = a_{l−1}ᵀ·δ_l;   ∂b_l = Σ_rows δ_l;   δ_{l−1} = (δ_l·W_lᵀ) ⊙ f'_{l−1}(z_{l−1})
 * </pre>
 * Like DL4J, the gradient is the <em>sum</em> over the minibatch (the updater divides by B), and is
 * written straight into the network's flattened gradient view; parameters are read in place.
 */
final class DenseBackprop {
    private final int layers;
    private final int[] nIn;
    private final int[] nOut;
    private final HiddenActivation[] activation;   // hidden layers; the last layer is softmax
    private final double clipEps;
    private final boolean squaredError;
    private final HiddenActivation outputActivation;   // null: softmax
    private final FloatPointer[] weights;
    private final FloatBuffer[] bias;
    private final FloatPointer[] weightGrad;
    private final FloatBuffer[] biasGrad;
    private final float[][] biasValues;
    private Buffers buffers;

    /**
     * @param weights    per layer, the weight parameter view [nIn, nOut], column-major, contiguous
     * @param bias       per layer, the bias parameter view (nOut elements)
     * @param weightGrad per layer, the weight gradient view (same layout as the weights)
     * @param biasGrad   per layer, the bias gradient view
     */
    DenseBackprop(List<INDArray> weights, List<INDArray> bias, List<INDArray> weightGrad, List<INDArray> biasGrad,
                  List<HiddenActivation> hidden, HiddenActivation outputActivation, boolean squaredError,
                  double softmaxClipEps) {
        this.layers = weights.size();
        this.nIn = new int[layers];
        this.nOut = new int[layers];
        this.weights = new FloatPointer[layers];
        this.bias = new FloatBuffer[layers];
        this.weightGrad = new FloatPointer[layers];
        this.biasGrad = new FloatBuffer[layers];
        this.biasValues = new float[layers][];
        for (int l = 0; l < layers; l++) {
            INDArray w = weights.get(l);
            if (w.rank() != 2 || w.ordering() != 'f' || weightGrad.get(l).ordering() != 'f') {
                throw new IllegalArgumentException("layer " + l + ": expected column-major [nIn, nOut] weights");
            }
            nIn[l] = Math.toIntExact(w.size(0));
            nOut[l] = Math.toIntExact(w.size(1));
            if (l > 0 && nIn[l] != nOut[l - 1]) throw new IllegalArgumentException("layer " + l + ": nIn != previous nOut");
            this.weights[l] = NativeFloats.pointer(w);
            this.bias[l] = NativeFloats.buffer(bias.get(l));
            this.weightGrad[l] = NativeFloats.pointer(weightGrad.get(l));
            this.biasGrad[l] = NativeFloats.buffer(biasGrad.get(l));
            this.biasValues[l] = new float[nOut[l]];
        }
        if (hidden.size() != layers - 1) throw new IllegalArgumentException("one activation per hidden layer");
        this.activation = hidden.toArray(new HiddenActivation[0]);
        this.clipEps = softmaxClipEps;
        this.squaredError = squaredError;
        this.outputActivation = outputActivation;
        if (!squaredError && outputActivation != null) throw new IllegalArgumentException("cross-entropy needs softmax");
    }

    int inputSize() {
        return nIn[0];
    }

    int outputSize() {
        return nOut[layers - 1];
    }

    /**
     * One forward and backward pass; fills the gradient views and returns the summed loss over the
     * minibatch (DL4J's score before ÷B and regularization).
     *
     * @param features [B, nIn] row-major contiguous float32
     * @param labels   [B, nOut] row-major contiguous float32
     */
    double run(INDArray features, INDArray labels) {
        int batch = Math.toIntExact(features.size(0));
        Buffers b = buffersFor(batch);
        FloatPointer x = NativeFloats.pointer(features);
        NativeFloats.buffer(labels).get(0, b.labels, 0, batch * outputSize());
        // forward
        for (int l = 0; l < layers; l++) {
            FloatPointer in = l == 0 ? x : b.actPtr[l - 1];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, batch, nOut[l], nIn[l], 1f, in, nIn[l],
                    weights[l], nIn[l], 0f, b.zPtr[l], nOut[l]);
            float[] z = b.z[l];
            int n = batch * nOut[l];
            b.zBuf[l].get(0, z, 0, n);
            float[] bv = biasValues[l];
            bias[l].get(0, bv, 0, nOut[l]);
            for (int r = 0, o = 0; r < batch; r++, o += nOut[l]) {
                for (int j = 0; j < nOut[l]; j++) z[o + j] += bv[j];
            }
            if (l < layers - 1) {
                activation[l].forward(z, b.a[l], n);
                b.actBuf[l].put(0, b.a[l], 0, n);
            }
        }
        double loss = squaredError ? squaredErrorAndDelta(b, batch) : softmaxLossAndDelta(b, batch);
        // backward: b.delta holds δ_L
        float[] delta = b.delta[layers - 1];
        for (int l = layers - 1; l >= 0; l--) {
            int n = batch * nOut[l];
            b.deltaBuf[l].put(0, delta, 0, n);
            FloatPointer in = l == 0 ? x : b.actPtr[l - 1];
            cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, nIn[l], nOut[l], batch, 1f, in, nIn[l],
                    b.deltaPtr[l], nOut[l], 0f, weightGrad[l], nIn[l]);
            float[] db = biasValues[l];
            java.util.Arrays.fill(db, 0f);
            for (int r = 0, o = 0; r < batch; r++, o += nOut[l]) {
                for (int j = 0; j < nOut[l]; j++) db[j] += delta[o + j];
            }
            biasGrad[l].put(0, db, 0, nOut[l]);
            if (l > 0) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, batch, nIn[l], nOut[l], 1f, b.deltaPtr[l], nOut[l],
                        weights[l], nIn[l], 0f, b.epsPtr[l - 1], nIn[l]);
                float[] prev = b.delta[l - 1];
                b.epsBuf[l - 1].get(0, prev, 0, batch * nIn[l]);
                activation[l - 1].backward(b.z[l - 1], b.a[l - 1], prev, batch * nIn[l]);
                delta = prev;
            }
        }
        return loss;
    }

    /** p = softmax(z_L) row by row (max subtracted), δ_L = p − y, and the summed clipped cross-entropy. */
    private double softmaxLossAndDelta(Buffers b, int batch) {
        int k = outputSize();
        float[] p = b.a[layers - 1];
        float[] y = b.labels;
        float[] delta = b.delta[layers - 1];
        softmax(b.z[layers - 1], p, batch, k);
        float lo = (float) clipEps;
        float hi = (float) (1.0 - clipEps);
        double loss = 0;
        for (int i = 0; i < batch * k; i++) {
            if (clipEps > 0) {
                if (y[i] != 0f) loss -= y[i] * Math.log(Math.min(Math.max(p[i], lo), hi));
            } else {
                loss -= y[i] * Math.log(p[i]);   // 0·log 0 = NaN, as in DL4J without clipping
            }
            delta[i] = p[i] - y[i];
        }
        return loss;
    }

    /**
     * DL4J's {@code LossMSE} on the output a = f(z_L): loss Σ_rows Σ_j (y_j − a_j)² / k, and
     * δ_L = f'(z_L)ᵀ·2(a − y) / k — through the softmax Jacobian (δ_j = a_j·(g_j − Σ_i g_i·a_i)) when
     * the output is softmax, element-wise otherwise.
     */
    private double squaredErrorAndDelta(Buffers b, int batch) {
        int k = outputSize();
        int n = batch * k;
        float[] z = b.z[layers - 1];
        float[] a = b.a[layers - 1];
        float[] y = b.labels;
        float[] delta = b.delta[layers - 1];
        if (outputActivation == null) softmax(z, a, batch, k);
        else outputActivation.forward(z, a, n);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            float d = a[i] - y[i];
            loss += (double) (d * d) / k;
            delta[i] = 2f * d;
        }
        if (outputActivation == null) {
            for (int r = 0, o = 0; r < batch; r++, o += k) {
                float dot = 0f;
                for (int j = 0; j < k; j++) dot += delta[o + j] * a[o + j];
                for (int j = 0; j < k; j++) delta[o + j] = (delta[o + j] - dot) * a[o + j];
            }
        } else {
            outputActivation.backward(z, a, delta, n);
        }
        for (int i = 0; i < n; i++) delta[i] /= k;
        return loss;
    }

    /** a = softmax(z) row by row, the row maximum subtracted first. */
    private static void softmax(float[] z, float[] a, int batch, int k) {
        for (int r = 0, o = 0; r < batch; r++, o += k) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) max = Math.max(max, z[o + j]);
            float sum = 0f;
            for (int j = 0; j < k; j++) {
                float e = (float) Math.exp(z[o + j] - max);
                a[o + j] = e;
                sum += e;
            }
            for (int j = 0; j < k; j++) a[o + j] /= sum;
        }
    }

    /** The hidden activations a_0 … a_{L−2} of the last pass, as INDArrays over the reused buffers. */
    List<INDArray> hiddenActivations(int batch) {
        Buffers b = buffersFor(batch);
        List<INDArray> out = new ArrayList<>();
        for (int l = 0; l < layers - 1; l++) out.add(b.act[l]);
        return out;
    }

    private Buffers buffersFor(int batch) {
        if (buffers == null || buffers.batch != batch) buffers = new Buffers(batch);
        return buffers;
    }

    /** Everything sized by the batch: native arrays BLAS reads and writes, Java arrays the loops use. */
    private final class Buffers {
        final int batch;
        final float[] labels;
        final float[][] z = new float[layers][];
        final float[][] a = new float[layers][];
        final float[][] delta = new float[layers][];
        final INDArray[] act = new INDArray[layers];
        final FloatPointer[] zPtr = new FloatPointer[layers];
        final FloatBuffer[] zBuf = new FloatBuffer[layers];
        final FloatPointer[] actPtr = new FloatPointer[layers];
        final FloatBuffer[] actBuf = new FloatBuffer[layers];
        final FloatPointer[] deltaPtr = new FloatPointer[layers];
        final FloatBuffer[] deltaBuf = new FloatBuffer[layers];
        final FloatPointer[] epsPtr = new FloatPointer[layers];
        final FloatBuffer[] epsBuf = new FloatBuffer[layers];
        private final List<INDArray> keepAlive = new ArrayList<>();

        Buffers(int batch) {
            this.batch = batch;
            this.labels = new float[batch * outputSize()];
            for (int l = 0; l < layers; l++) {
                int n = batch * nOut[l];
                z[l] = new float[n];
                a[l] = new float[n];
                delta[l] = new float[n];
                INDArray zArr = array(batch, nOut[l]);
                zPtr[l] = NativeFloats.pointer(zArr);
                zBuf[l] = zPtr[l].asBuffer();
                act[l] = array(batch, nOut[l]);
                actPtr[l] = NativeFloats.pointer(act[l]);
                actBuf[l] = actPtr[l].asBuffer();
                INDArray d = array(batch, nOut[l]);
                deltaPtr[l] = NativeFloats.pointer(d);
                deltaBuf[l] = deltaPtr[l].asBuffer();
                INDArray e = array(batch, nOut[l]);
                epsPtr[l] = NativeFloats.pointer(e);
                epsBuf[l] = epsPtr[l].asBuffer();
            }
        }

        private INDArray array(int rows, int cols) {
            INDArray arr;
            try (var ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                arr = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
            }
            keepAlive.add(arr);
            return arr;
        }
    }
}
