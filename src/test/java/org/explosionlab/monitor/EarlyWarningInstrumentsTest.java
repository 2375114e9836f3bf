package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Adam's update RMS and the update/gradient cosine, each against a hand computation from DL4J's own state: the
 * gradient from {@code calculateGradients} on a copy of the network before the step (÷ k), the second moment from the
 * updater's state view [M | V] after it, the update from the parameters before and after.
 */
class EarlyWarningInstrumentsTest {

    @Test
    void adamUpdateRmsAndCosineMatchAHandComputationFromTheUpdaterState() {
        double beta2 = 0.999, eps = 1e-8;
        MultiLayerNetwork net = DirectionalSharpnessTest.tiny(new Adam(0.05, 0.9, beta2, eps), 21);
        List<IterationMetrics> rows = new ArrayList<>();
        ExplosionMonitor.builder().logEvents(false).instruments(true).sink(rows::add).attach(net);
        int n = (int) net.numParams();
        for (int step = 0; step < 6; step++) {
            DataSet d = DirectionalSharpnessTest.batch(100 + step, 8);
            MultiLayerNetwork copy = net.clone();
            copy.calculateGradients(d.getFeatures(), d.getLabels(), null, null);
            double[] g = copy.getFlattenedGradients().toDoubleVector();
            for (int i = 0; i < n; i++) g[i] /= 8;
            double[] before = net.params().toDoubleVector();
            int t = net.getIterationCount() + 1;
            net.fit(d);
            double[] after = net.params().toDoubleVector();
            double[] state = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getStateViewArray().toDoubleVector();
            double[] v = Arrays.copyOfRange(state, n, 2 * n);

            double sum = 0, dot = 0, uu = 0, gg = 0;
            double[] layerSum = new double[2];
            int[] layerEnd = {3 * 4 + 4, n};                     // layer 0: W 3×4 + b 4; layer 1: W 4×3 + b 3
            for (int i = 0; i < n; i++) {
                double r = g[i] * g[i] / Math.max(v[i] / (1 - Math.pow(beta2, t)), eps * eps);
                sum += r;
                layerSum[i < layerEnd[0] ? 0 : 1] += r;
                double du = before[i] - after[i];                // θ ← θ − Δθ
                dot += du * g[i];
                uu += du * du;
                gg += g[i] * g[i];
            }
            IterationMetrics m = rows.get(rows.size() - 1);
            assertEquals(Math.sqrt(sum / n), m.updateRms(), 1e-6 * Math.sqrt(sum / n), "global update RMS at step " + step);
            assertEquals(Math.sqrt(layerSum[0] / layerEnd[0]), m.updateRmsLayer()[0], 1e-6);
            assertEquals(Math.sqrt(layerSum[1] / (n - layerEnd[0])), m.updateRmsLayer()[1], 1e-6);
            assertEquals(dot / Math.sqrt(uu * gg), m.updateCos(), 1e-6, "cos(update, -gradient) at step " + step);
        }
        assertEquals(1.0, rows.get(0).updateRms(), 1e-3, "first step: v̂ = g², so the RMS is 1 up to ε");
    }

    @Test
    void plainSgdStepsAlongTheGradientAndHasNoAdamRms() {
        MultiLayerNetwork net = DirectionalSharpnessTest.tiny(new Sgd(0.1), 5);
        List<IterationMetrics> rows = new ArrayList<>();
        ExplosionMonitor.builder().logEvents(false).instruments(true).sink(rows::add).attach(net);
        for (int i = 0; i < 3; i++) net.fit(DirectionalSharpnessTest.batch(i, 8));
        for (IterationMetrics m : rows) {
            assertEquals(1.0, m.updateCos(), 1e-9);
            for (double c : m.updateCosLayer()) assertEquals(1.0, c, 1e-9);
            assertNull(m.updateRms());
        }
    }

    @Test
    void spikeScoreIsTheZScoreOfLogNormAgainstThePreviousWindow() {
        GradNormSpikeScore s = new GradNormSpikeScore();
        java.util.Random r = new java.util.Random(3);
        List<Double> logs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            double norm = Math.exp(r.nextGaussian() * 0.2);
            Double z = s.score(norm);
            if (logs.size() < GradNormSpikeScore.MIN_HISTORY) {
                assertNull(z);
            } else {
                List<Double> w = logs.subList(Math.max(0, logs.size() - GradNormSpikeScore.WINDOW), logs.size());
                double mean = w.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double var = w.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / w.size();
                assertEquals((Math.log(norm) - mean) / Math.sqrt(var), z, 1e-9);
            }
            logs.add(Math.log(norm));
        }
        assertTrue(s.score(1000.0) > 7, "a 1000x jump is a 7-sigma spike");
        assertEquals(Double.POSITIVE_INFINITY, s.score(Double.NaN));
    }

    @Test
    void instrumentsAreOffByDefaultAndOffLeavesTheRowsWithoutThem() {
        MultiLayerNetwork plain = DirectionalSharpnessTest.tiny(new Adam(0.01), 5);
        List<IterationMetrics> defaults = new ArrayList<>();
        ExplosionMonitor.builder().logEvents(false).sink(defaults::add).attach(plain);
        plain.fit(DirectionalSharpnessTest.batch(1, 8));
        assertNull(defaults.get(0).updateRms());
        assertNull(defaults.get(0).sharpness());

        MultiLayerNetwork net = DirectionalSharpnessTest.tiny(new Adam(0.01), 5);
        List<IterationMetrics> rows = new ArrayList<>();
        ExplosionMonitor.builder().logEvents(false).instruments(false).sink(rows::add).attach(net);
        net.fit(DirectionalSharpnessTest.batch(1, 8));
        assertNull(rows.get(0).updateRms());
        assertNull(rows.get(0).updateCos());
        assertNull(rows.get(0).gradNormZ());
        assertNull(rows.get(0).sharpness());
    }

    @Test
    void sharpnessOnEveryKthIterationWithItsLimit() {
        MultiLayerNetwork net = DirectionalSharpnessTest.tiny(new Sgd(0.2), 5);
        List<IterationMetrics> rows = new ArrayList<>();
        ExplosionMonitor.builder().logEvents(false).sharpnessEvery(3).sink(rows::add).attach(net);
        for (int i = 0; i < 7; i++) net.fit(DirectionalSharpnessTest.batch(i, 8));
        for (IterationMetrics m : rows) {
            if (m.iteration() % 3 == 0) {
                assertNotNull(m.sharpness(), "iteration " + m.iteration());
                assertEquals(2 / 0.2, m.sharpnessLimit(), 1e-12);
            } else {
                assertNull(m.sharpness());
            }
        }
    }

    @Test
    void aComputationGraphSaysTheSharpnessIsUnavailableAndStillRecordsTheOtherInstruments() {
        var graph = denseGraph(3);
        List<IterationMetrics> rows = new ArrayList<>();
        ExplosionMonitor monitor = ExplosionMonitor.builder().logEvents(false).instruments(true).sharpnessEvery(1).sink(rows::add).attach(graph);
        for (DataSet d : MonitorTestNets.mnistBatches(16, 1, 3)) graph.fit(d);
        assertTrue(monitor.sharpnessUnavailable().orElseThrow().contains("ComputationGraph"));
        for (IterationMetrics m : rows) {
            assertNull(m.sharpness());
            assertNotNull(m.updateCos());
        }
        assertEquals(3, rows.size());
    }

    private static org.deeplearning4j.nn.graph.ComputationGraph denseGraph(long seed) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in")
                .addLayer("dense", new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(784).nOut(16)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build(), "in")
                .addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build();
        var graph = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
