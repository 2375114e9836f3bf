package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * {@code loss_exact} and {@code loss_saturated_fraction} on minibatches whose answer is known: logits set
 * by hand, and healthy MNIST steps of networks with a preprocessor, dropout (also on the output layer's
 * input) and L1/L2, where nothing saturates and the exact loss must equal DL4J's score.
 */
class LossExactTest {
    /** Healthy steps: DL4J's float32 log-softmax vs this project's double log-sum-exp. */
    private static final double HEALTHY_REL = 1e-5;

    /**
     * Dense(3→3, identity, W = I, b = 0) → OutputLayer(3→3, softmax, W = I, b = 0): the output layer's
     * z is the input row exactly. Row i is z = [0, m_i, 0] with true class 0, so ℓ_i = ln(2 + e^{m_i}) and
     * p_true = 1 / (2 + e^{m_i}). m = 100, 50, 30, 23.5 give p_true ≤ 1e-10 (23.5: 6.2e-11); 22.5 (1.7e-10),
     * 20, 1 and 0 do not: 4 of 8 saturate. numpy (float64): mean ℓ_i = 31.08125712589819, DL4J's clipped
     * mean of min(ℓ_i, −ln float32(1e-10) = 23.025850916589025) = 17.15668258417712.
     */
    @ParameterizedTest
    @EnumSource(value = LossFunction.class, names = {"MCXENT", "NEGATIVELOGLIKELIHOOD"})
    void handSetLogitsSaturateWhereTheTrueClassProbabilityIsAtMost1e10(LossFunction lossFunction) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Sgd(0.0)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(3).activation(Activation.IDENTITY).build())
                .layer(new OutputLayer.Builder(lossFunction).nIn(3).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        for (String layer : List.of("0", "1")) {
            net.setParam(layer + "_W", Nd4j.eye(3).castTo(DataType.FLOAT));
            net.setParam(layer + "_b", Nd4j.zeros(DataType.FLOAT, 1, 3));
        }
        float[] margins = {100f, 50f, 30f, 23.5f, 22.5f, 20f, 1f, 0f};
        float[][] x = new float[margins.length][3];
        float[][] y = new float[margins.length][3];
        for (int i = 0; i < margins.length; i++) {
            x[i][1] = margins[i];
            y[i][0] = 1f;
        }
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        net.fit(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        IterationMetrics m = monitor.metrics().get(0);
        assertEquals(4 / 8.0, m.lossSaturatedFraction(), 0.0);
        assertEquals(31.08125712589819, m.lossExact(), 1e-6 * 31.08);
        assertEquals(17.15668258417712, m.loss(), 1e-5 * 17.16, "DL4J's score caps each example at 23.03");
    }

    /** A dense net with dropout on the output layer's input (retain 0.8) and L1 + L2 on every layer. */
    private static MultiLayerNetwork denseDropoutL1L2(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).l1(1e-4).l2(1e-3).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(10).activation(Activation.SOFTMAX)
                        .dropOut(0.8).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void onHealthyStepsTheExactLossIsDl4jsScore() {
        List<Supplier<MultiLayerNetwork>> nets = List.of(() -> MonitorTestNets.lenet(3, new Adam(1e-3)),
                () -> MonitorTestNets.denseBnDropout(3), () -> denseDropoutL1L2(3));
        for (Supplier<MultiLayerNetwork> make : nets) {
            MultiLayerNetwork net = make.get();
            ExplosionMonitor monitor = ExplosionMonitor.attach(net);
            for (DataSet d : MonitorTestNets.mnistBatches(32, 5, 4)) net.fit(d);
            String name = net.getLayers().length + "-layer net";
            assertEquals(4, monitor.metrics().size());
            for (IterationMetrics m : monitor.metrics()) {
                assertEquals(0.0, m.lossSaturatedFraction(), 0.0, name);
                assertEquals(m.loss(), m.lossExact(), HEALTHY_REL * m.loss(), name + " iteration " + m.iteration());
            }
        }
    }

    @Test
    void theRegularisationTermIsInBothLosses() {
        MultiLayerNetwork net = denseDropoutL1L2(3);
        double reg = net.calcRegularizationScore(true);
        assertTrue(reg > 100 * HEALTHY_REL * Math.log(10), "the L1/L2 term (" + reg + ") is large enough to be seen");
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        net.fit(MonitorTestNets.mnistBatches(32, 5, 1).get(0));
        IterationMetrics m = monitor.metrics().get(0);
        assertEquals(m.loss(), m.lossExact(), HEALTHY_REL * m.loss());
    }

    @Test
    void readingTheExactLossDoesNotChangeTraining() {
        List<DataSet> batches = MonitorTestNets.mnistBatches(32, 5, 4);
        MultiLayerNetwork plain = denseDropoutL1L2(3);
        Nd4j.getRandom().setSeed(11);                       // dropout draws from ND4J's global generator
        for (DataSet d : batches) plain.fit(d);
        MultiLayerNetwork watched = denseDropoutL1L2(3);
        ExplosionMonitor monitor = ExplosionMonitor.attach(watched);
        Nd4j.getRandom().setSeed(11);
        for (DataSet d : batches) watched.fit(d);
        assertFalse(Double.isNaN(monitor.metrics().get(3).lossExact()));
        assertArrayEquals(plain.params().toFloatVector(), watched.params().toFloatVector(), 0f,
                "same seed, same batches: bit-identical parameters with and without the monitor");
    }

    @Test
    void absentWhereTheLossIsNotSoftmaxCrossEntropy(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(16).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork mse = new MultiLayerNetwork(conf);
        mse.init();
        ExplosionMonitor monitor = ExplosionMonitor.builder().runDirectory(dir).attach(mse);
        mse.fit(MonitorTestNets.mnistBatches(32, 5, 1).get(0));
        monitor.close();
        assertNull(monitor.metrics().get(0).lossExact());
        assertNull(monitor.metrics().get(0).lossSaturatedFraction());
        JsonNode row = new ObjectMapper().readTree(Files.readAllLines(dir.resolve("metrics.jsonl")).get(0));
        assertFalse(row.has("loss_exact"), "absent, not NaN, when it does not apply");
        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        int col = List.of(csv.get(0).split(",")).indexOf("loss_exact");
        assertEquals("", csv.get(1).split(",", -1)[col]);

        MultiLayerNetwork rnn = MonitorTestNets.lstm(1);     // RnnOutputLayer: not a DL4J OutputLayer
        ExplosionMonitor rnnMonitor = ExplosionMonitor.attach(rnn);
        rnn.fit(MonitorTestNets.sequences(8, 5, 1));
        assertNull(rnnMonitor.metrics().get(0).lossExact());
    }
}
