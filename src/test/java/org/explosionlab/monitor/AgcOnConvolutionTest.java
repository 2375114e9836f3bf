package org.explosionlab.monitor;

import static org.explosionlab.monitor.MonitorTestNets.dupAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.explosionlab.monitor.Remedies;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Adaptive gradient clipping on a CNN, against DL4J's own parameter and gradient views:
 * <ul>
 *   <li>{@link ParamLayout} cuts a convolution kernel ({@code [nOut, nIn, kH, kW]}) into one unit per output
 *       channel, {@code unitLength = nIn·kH·kW}, and unit i is exactly the flattened elements of
 *       {@code W[i, :, :, :]} in DL4J's parameter vector; weights that look like vectors (a 1×1 kernel on one
 *       channel, a dense layer with nIn = 1) still get one unit per output unit, a bias stays one unit;</li>
 *   <li>{@code Remedies.agc(λ)} clips each output channel on its own: for every unit u (an output channel of a
 *       kernel, a column of a dense weight, a whole bias) of every layer but the output layer,
 *       G_u ← G_u · min(1, λ·max(‖W_u‖, ε) / ‖G_u‖), with G the mean-loss gradient and W the parameters
 *       before the step. Expected values are computed here from a clone's
 *       {@code computeGradientAndScore()} (÷k) and {@code net.getParam(key)} sliced with ND4J indexing
 *       (kernel: {@code W[i]}, dense: column j), never from {@link ParamLayout}. The clipped gradient
 *       the optimizer received is read from DL4J's gradient view after the updater, with SGD at
 *       learning rate 1 (there Δθ = the gradient, bit for bit). λ is put between two channels' ratios
 *       of the second convolution, so that channels of one kernel are clipped and others are not: a
 *       whole-tensor clip would fail the check.</li>
 * </ul>
 * Tolerance: 1e-4 relative per unit (float32).
 */
class AgcOnConvolutionTest {
    private static final double EPS = 1e-3;   // Remedies.agc(λ)'s ε (NFNets)

    @Test
    void convolutionKernelHasOneUnitPerOutputChannel() {
        MultiLayerNetwork net = MonitorTestNets.twoConv(21, new Sgd(1.0));
        ParamLayout layout = ParamLayout.of(net);
        Map<String, ParamLayout.Param> byKey = new LinkedHashMap<>();
        layout.params().forEach(p -> byKey.put(p.key(), p));
        assertEquals(1 * 5 * 5, byKey.get("0_W").unitLength());
        assertEquals(4, byKey.get("0_W").units());
        assertEquals(4 * 3 * 3, byKey.get("2_W").unitLength());
        assertEquals(6, byKey.get("2_W").units());
        assertEquals(6, byKey.get("2_b").unitLength(), "a bias is one unit");
        assertEquals(16, byKey.get("3_W").units(), "dense [nIn, nOut]: one unit per column");
        float[] flat = net.params().toFloatVector();
        for (String key : List.of("0_W", "2_W")) {
            INDArray w = net.getParam(key).dup('c');   // (ND4J's get(point, all…) on the raw view of the parameter vector returns an empty array)
            assertEquals(4, w.rank());
            ParamLayout.Param p = byKey.get(key);
            assertEquals(w.size(0), p.units());
            assertEquals(w.size(1) * w.size(2) * w.size(3), p.unitLength());
            for (int i = 0; i < p.units(); i++) {
                float[] channel = w.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
                        .dup('c').reshape(p.unitLength()).toFloatVector();
                assertEquals(p.unitLength(), channel.length);
                int from = p.offset() + i * p.unitLength();
                assertTrue(Arrays.equals(channel, Arrays.copyOfRange(flat, from, from + p.unitLength())),
                        key + ": output channel " + i + " is unit " + i + " of the layout");
            }
        }
    }

    /**
     * Weights whose shape looks like a vector are still cut into one unit per output unit: a 1×1 kernel on one
     * input channel ({@code [nOut, 1, 1, 1]}: nOut units of 1 element) and a dense layer with nIn = 1
     * ({@code [1, nOut]}: nOut columns of 1 element). A bias stays one unit. Checked against DL4J's views.
     */
    @Test
    void weightsThatLookLikeVectorsHaveOneUnitPerOutput() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(24).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(5).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 4, 1))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        Map<String, ParamLayout.Param> byKey = new LinkedHashMap<>();
        ParamLayout.of(net).params().forEach(p -> byKey.put(p.key(), p));
        assertEquals(List.of(5L, 1L, 1L, 1L), Arrays.stream(net.getParam("0_W").shape()).boxed().toList());
        assertEquals(1, byKey.get("0_W").unitLength(), "1×1 kernel, one input channel: 1 element per output channel");
        assertEquals(5, byKey.get("0_W").units());
        assertEquals(List.of(1L, 3L), Arrays.stream(net.getParam("2_W").shape()).boxed().toList());
        assertEquals(1, byKey.get("2_W").unitLength(), "dense with nIn = 1: a column is 1 element");
        assertEquals(3, byKey.get("2_W").units());
        assertEquals(80, byKey.get("1_W").unitLength(), "dense with nOut = 1: one column of nIn");
        assertEquals(1, byKey.get("1_W").units());
        assertEquals(3, byKey.get("2_b").unitLength(), "a bias is one unit");
        assertEquals(1, byKey.get("2_b").units());
    }

    @Test
    void agcClipsEachOutputChannelIndependently() {
        MultiLayerNetwork net = MonitorTestNets.twoConv(22, new Sgd(1.0));
        List<DataSet> batches = MonitorTestNets.mnistBatches(16, 23, 2);
        DataSet ds = batches.get(0);
        int k = Math.toIntExact(ds.getFeatures().size(0));

        // independent: DL4J's minibatch-sum gradient of a clone, and the parameters the step starts from
        MultiLayerNetwork clone = net.clone();
        clone.setInput(ds.getFeatures());
        clone.setLabels(ds.getLabels());
        clone.computeGradientAndScore();
        Map<String, INDArray> g = dupAll(clone.gradient().gradientForVariable());
        Map<String, INDArray> w = dupAll(net.paramTable());
        int outputLayer = net.getnLayers() - 1;

        Map<String, List<double[]>> gUnits = new LinkedHashMap<>();
        Map<String, List<double[]>> wUnits = new LinkedHashMap<>();
        for (String key : w.keySet()) {
            gUnits.put(key, units(g.get(key), 1.0 / k));
            wUnits.put(key, units(w.get(key), 1.0));
        }
        // λ between the 3rd and 4th smallest ratio ‖G_i‖ / max(‖W_i‖, ε) of the second convolution's 6 channels
        double[] ratios = new double[6];
        for (int i = 0; i < 6; i++) ratios[i] = norm(gUnits.get("2_W").get(i)) / Math.max(norm(wUnits.get("2_W").get(i)), EPS);
        double[] sorted = ratios.clone();
        Arrays.sort(sorted);
        assertTrue(sorted[3] > sorted[2] * 1.01, "the channels' ratios are apart: " + Arrays.toString(sorted));
        double lambda = Math.sqrt(sorted[2] * sorted[3]);

        Remedies.agc(lambda).installOn(net);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        UpdateGrabber grab = new UpdateGrabber();
        net.addListeners(grab);
        net.fit(ds);

        int clippedIn2W = 0;
        int clippedUnits = 0;
        for (String key : w.keySet()) {
            int layer = Integer.parseInt(key.substring(0, key.indexOf('_')));
            List<double[]> expected = new ArrayList<>();
            double expectedSq = 0;
            for (int u = 0; u < gUnits.get(key).size(); u++) {
                double[] gu = gUnits.get(key).get(u);
                double gn = norm(gu);
                double max = lambda * Math.max(norm(wUnits.get(key).get(u)), EPS);
                double coef = layer != outputLayer && gn > max ? max / Math.max(gn, 1e-6) : 1.0;
                if (coef < 1.0) {
                    clippedUnits++;
                    if (key.equals("2_W")) clippedIn2W++;
                }
                double[] e = gu.clone();
                for (int i = 0; i < e.length; i++) e[i] *= coef;
                expected.add(e);
                expectedSq += norm(e) * norm(e);
            }
            List<double[]> actual = units(grab.update.get(key), 1.0);   // SGD lr 1: Δθ = the clipped mean gradient
            assertEquals(expected.size(), actual.size(), key);
            for (int u = 0; u < expected.size(); u++) {
                double[] e = expected.get(u);
                double[] a = actual.get(u);
                double diff = 0;
                for (int i = 0; i < e.length; i++) diff += (e[i] - a[i]) * (e[i] - a[i]);
                double tol = 1e-4 * norm(e) + 1e-9;
                assertTrue(Math.sqrt(diff) <= tol, key + " unit " + u + ": ‖Δθ − clipped G‖ = " + Math.sqrt(diff)
                        + " > " + tol + " (‖clipped G‖ = " + norm(e) + ", ‖Δθ‖ = " + norm(a) + ")");
            }
            double expectedNorm = Math.sqrt(expectedSq);
            assertEquals(expectedNorm, monitor.metrics().get(0).gradL2ParamClipped().get(key), 1e-4 * expectedNorm + 1e-9,
                    key + ": the monitor's clipped figure");
        }
        assertEquals(3, clippedIn2W, "3 of the second convolution's 6 channels are above λ, 3 below");
        assertTrue(clippedUnits > 3);
        assertTrue(monitor.metrics().get(0).clipped());
    }

    /**
     * The units of a DL4J parameter array, each as a double[], from ND4J indexing on DL4J's own view
     * (independent of {@link ParamLayout}): kernel [nOut, nIn, kH, kW] → W[i] per output channel;
     * dense [nIn, nOut] → column j; a bias / vector → one unit. Every value is multiplied by {@code scale}.
     */
    private static List<double[]> units(INDArray a, double scale) {
        List<double[]> out = new ArrayList<>();
        INDArray d = a.castTo(DataType.DOUBLE).mul(scale);
        if (d.rank() == 4) {
            for (long i = 0; i < d.size(0); i++) {
                out.add(d.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup().reshape(-1).toDoubleVector());
            }
        } else if (d.rank() == 2 && d.size(0) > 1 && d.size(1) > 1) {
            for (long j = 0; j < d.size(1); j++) out.add(d.getColumn(j).dup().reshape(-1).toDoubleVector());
        } else {
            out.add(d.dup().reshape(-1).toDoubleVector());
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return Math.sqrt(s);
    }

    /** Copies DL4J's per-parameter gradient views at the end of the step, when they hold the update Δθ. */
    private static final class UpdateGrabber extends BaseTrainingListener {
        Map<String, INDArray> update;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            update = dupAll(((MultiLayerNetwork) model).gradient().gradientForVariable());
        }
    }
}
