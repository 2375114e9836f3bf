package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * End to end through real DL4J training on MNIST minibatches: the sharpness probe (two extra backprops on every
 * iteration, parameters perturbed and written back) and the other instruments leave the training bit-identical —
 * every parameter, every updater state element and every minibatch score equal, float for float — to the same
 * training with the monitor's instruments off, and to the same training without any monitor.
 */
class SharpnessBitIdentityTest {

    private record Trace(float[] params, float[] updaterState, List<Double> scores) {
    }

    private static Trace train(IUpdater updater, int mode) {
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(17)
                .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT).updater(updater)
                .weightInit(org.deeplearning4j.nn.weights.WeightInit.XAVIER).list()
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(784).nOut(32)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nIn(32).nOut(16)
                        .activation(org.nd4j.linalg.activations.Activation.RELU).build())
                .layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nIn(16).nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        List<IterationMetrics> rows = new ArrayList<>();
        if (mode == 1) ExplosionMonitor.builder().logEvents(false).instruments(false).attach(net);
        if (mode == 2) ExplosionMonitor.builder().logEvents(false).instruments(true).sharpnessEvery(1).sink(rows::add).attach(net);
        List<Double> scores = new ArrayList<>();
        for (DataSet d : MonitorTestNets.mnistBatches(32, 5, 25)) {
            net.fit(d);
            scores.add(net.score());
        }
        if (mode == 2) assertTrue(rows.stream().allMatch(m -> m.sharpness() != null), "the probe ran on every iteration");
        return new Trace(net.params().toFloatVector(), net.getUpdater().getStateViewArray() == null ? new float[0]
                : net.getUpdater().getStateViewArray().toFloatVector(), scores);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam"})
    void trainingIsBitIdenticalWithAndWithoutTheSharpnessProbe(String updater) {
        IUpdater u = updater.equals("sgd") ? new Sgd(0.5) : new Adam(3e-3);
        Trace none = train(u, 0);
        Trace off = train(u, 1);
        Trace probed = train(u, 2);
        assertArrayEquals(off.params(), probed.params(), 0f, "parameters, instruments off vs sharpness every iteration");
        assertArrayEquals(none.params(), probed.params(), 0f, "parameters, no monitor vs sharpness every iteration");
        assertArrayEquals(off.updaterState(), probed.updaterState(), 0f, "updater state");
        assertArrayEquals(off.scores().stream().mapToDouble(Double::doubleValue).toArray(),
                probed.scores().stream().mapToDouble(Double::doubleValue).toArray(), 0.0, "minibatch scores");
    }
}
