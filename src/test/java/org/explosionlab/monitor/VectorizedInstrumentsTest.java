package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The update RMS and the cosine, computed with ND4J / OpenBLAS on float64 copies, against the per-element Java loops
 * they replaced (the formulas of {@link AdamUpdateRms} and {@link UpdateCosine}, summed in double one element at a
 * time) on random gradients, updates and second moments of a network whose parameter offsets are not multiples of
 * the SIMD width (37 → 23 → 11).
 */
class VectorizedInstrumentsTest {

    private static MultiLayerNetwork net(double beta2, double eps) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(0.01, 0.9, beta2, eps))
                .list()
                .layer(new DenseLayer.Builder().nIn(37).nOut(23).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(23).nOut(11).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        INDArray x = Nd4j.createFromArray(random(new Random(3), 8 * 37, 0.1, false)).reshape(8, 37);
        INDArray y = Nd4j.zeros(8, 11);
        for (int i = 0; i < 8; i++) y.putScalar(i, i % 11, 1.0);
        net.fit(new DataSet(x, y));                                   // the updater's blocks and state exist
        return net;
    }

    private static float[] random(Random r, int n, double scale, boolean positive) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double v = scale * Math.exp(3 * r.nextGaussian());          // magnitudes over many decades
            a[i] = (float) (positive || r.nextBoolean() ? v : -v);
        }
        return a;
    }

    private static DoubleVector vector(float[] a) {
        DoubleVector v = new DoubleVector(a.length);
        v.assign(Nd4j.createFromArray(a));
        return v;
    }

    /** The former loop: Σ over the layer's elements of (g·s)² / max(v·c, ε²), per layer and over all, then √(sum / count). */
    private static double[] loopRms(ParamLayout layout, float[] g, float[] v, double scale, double correction, double eps2) {
        int layers = layout.layers();
        double[] sum = new double[layers];
        long[] count = new long[layers];
        for (int p = 0; p < layout.size(); p++) {
            ParamLayout.Param param = layout.get(p);
            int l = layout.ordinalOf(param.layer());
            for (int k = param.offset(); k < param.offset() + param.length(); k++) {
                double gk = g[k] * scale;
                sum[l] += gk * gk / Math.max(v[k] * correction, eps2);
                count[l]++;
            }
        }
        double[] out = new double[layers + 1];
        double total = 0;
        long n = 0;
        for (int l = 0; l < layers; l++) {
            out[l + 1] = Math.sqrt(sum[l] / count[l]);
            total += sum[l];
            n += count[l];
        }
        out[0] = Math.sqrt(total / n);
        return out;
    }

    /** The former loop: Σ u g / √(Σ u² Σ g²) per layer and over all. */
    private static double[] loopCos(ParamLayout layout, float[] u, float[] g) {
        int layers = layout.layers();
        double[] d = new double[layers + 1], a = new double[layers + 1], b = new double[layers + 1];
        for (int p = 0; p < layout.size(); p++) {
            ParamLayout.Param param = layout.get(p);
            int l = layout.ordinalOf(param.layer()) + 1;
            for (int k = param.offset(); k < param.offset() + param.length(); k++) {
                d[l] += (double) u[k] * g[k];
                a[l] += (double) u[k] * u[k];
                b[l] += (double) g[k] * g[k];
            }
        }
        double[] out = new double[layers + 1];
        for (int l = 1; l <= layers; l++) {
            d[0] += d[l];
            a[0] += a[l];
            b[0] += b[l];
        }
        for (int l = 0; l <= layers; l++) out[l] = d[l] / Math.sqrt(a[l] * b[l]);
        return out;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.abs(expected[i]), what + " [" + i + "]");
        }
    }

    @Test
    void updateRmsAndCosineEqualTheElementLoopsOnRandomState() {
        double beta2 = 0.999, eps = 1e-8;
        MultiLayerNetwork net = net(beta2, eps);
        ParamLayout layout = ParamLayout.of(net);
        int n = layout.length();
        INDArray state = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getStateViewArray();
        AdamUpdateRms rms = new AdamUpdateRms(layout);
        UpdateCosine cosine = new UpdateCosine(layout);
        Random r = new Random(2026);
        for (int trial = 0; trial < 5; trial++) {
            float[] g = random(r, n, 1.0, false);
            float[] u = random(r, n, 1e-3, false);
            float[] v = random(r, n, trial == 0 ? 1e-20 : 1e-2, true);   // trial 0: most of v̂ below ε², the floor matters
            for (int i = 0; i < n; i++) state.putScalar(n + i, v[i]);     // the updater state is [M | V]
            double scale = 1.0 / (trial + 3);
            int iteration = 7 * trial;
            double correction = 1.0 / (1.0 - Math.pow(beta2, iteration + 1.0));
            assertClose(loopRms(layout, g, v, scale, correction, eps * eps), rms.measure(net.getUpdater(), vector(g), scale, iteration),
                    "update RMS, trial " + trial);
            assertClose(loopCos(layout, u, g), cosine.measure(vector(u), vector(g)), "cosine, trial " + trial);
        }
    }

    @Test
    void aNonFiniteSecondMomentMakesItsLayerNaNAsTheLoopDid() {
        MultiLayerNetwork net = net(0.999, 1e-8);
        ParamLayout layout = ParamLayout.of(net);
        int n = layout.length();
        UpdaterBlock block = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getUpdaterBlocks().get(0);
        assertEquals(n, block.getParamOffsetEnd() - block.getParamOffsetStart(), "one Adam block over all parameters");
        INDArray state = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getStateViewArray();
        state.putScalar(n + 37 * 23 + 23 + 5, Double.NaN);         // V of the output layer's 6th weight
        double[] out = new AdamUpdateRms(layout).measure(net.getUpdater(), vector(random(new Random(1), n, 1.0, false)), 1.0, 3);
        assertTrue(Double.isFinite(out[1]), "layer 0 is untouched: " + out[1]);
        assertTrue(Double.isNaN(out[2]), "layer 1 holds the NaN: " + out[2]);
        assertTrue(Double.isNaN(out[0]), "and so does the global figure");
    }
}
