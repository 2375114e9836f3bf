package org.explosionlab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * {@code first-step-gradient}: its numbers against the hand-computed gradient of a linear model, the user's network
 * untouched (parameters, updater state, counters, listeners), and only a few minibatches read.
 */
class FirstStepTest {

    /** y_hat = x W + b, identity, MSE, SGD lr: the gradient is known in closed form. */
    private static MultiLayerConfiguration linear(double lr) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE).updater(new Sgd(lr)).weightInit(WeightInit.XAVIER).list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(3).nOut(1).activation(Activation.IDENTITY).build()).build();
    }

    @Test
    void normAndUpdateRatioMatchTheClosedFormGradient() {
        double lr = 0.1;
        MultiLayerNetwork net = new MultiLayerNetwork(linear(lr));
        net.init();
        double[][] x = {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {-0.75, 0.8, 0.1}, {0.3, 0.3, 0.3}};
        double[] y = {1.0, -2.0, 0.5, 0.0};
        double[] w = net.getParam("0_W").toDoubleVector();
        double b = net.getParam("0_b").getDouble(0);
        // LossMSE with nOut 1: L_i = (y_hat_i - y_i)^2, dL_i/dy_hat_i = 2 (y_hat_i - y_i); DL4J's updater divides the sum by mb
        int mb = x.length;
        double[] gw = new double[3];
        double gb = 0;
        for (int i = 0; i < mb; i++) {
            double yHat = b;
            for (int j = 0; j < 3; j++) yHat += x[i][j] * w[j];
            double d = 2 * (yHat - y[i]);
            for (int j = 0; j < 3; j++) gw[j] += d * x[i][j];
            gb += d;
        }
        double gwNorm = Math.sqrt(gw[0] * gw[0] + gw[1] * gw[1] + gw[2] * gw[2]) / mb;
        double expectedNorm = Math.sqrt(gwNorm * gwNorm + (gb / mb) * (gb / mb));
        double wNorm = Math.sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
        double expectedRatio = lr * gwNorm / wNorm;                       // SGD: delta W = lr g / mb

        DataSet d = new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y).reshape(4, 1));
        Diagnosis dx = Diagnosis.of(net, new ListDataSetIterator<>(List.of(d), 4));
        Finding f = dx.findings(Check.FIRST_STEP_GRADIENT).get(0);
        assertEquals(expectedNorm, f.numbers().get("gradientGlobalNorm"), 1e-9 * expectedNorm);
        assertEquals(expectedRatio, f.numbers().get("maxUpdateRatio"), 1e-9 * expectedRatio);
        assertEquals(4.0, f.numbers().get("minibatch"));
    }

    @Test
    void theUsersNetworkParametersUpdaterStateAndCountersAreUntouched() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.classifier(20, 16, 3, new Adam(1e-2), WeightInit.XAVIER));
        net.init();
        ScoreIterationListener listener = new ScoreIterationListener(1000);
        net.setListeners(listener);
        List<DataSet> data = Nets.classes(96, 20, 3);
        net.fit(Nets.iterator(data, 32), 1);                                  // Adam state is now non-zero
        INDArray params = net.params().dup();
        INDArray state = net.getUpdater().getStateViewArray().dup();
        int iterations = net.getIterationCount(), epochs = net.getEpochCount();

        Diagnosis dx = Diagnosis.of(net, Nets.iterator(data, 32));

        assertEquals(Check.FIRST_STEP_GRADIENT, dx.findings(Check.FIRST_STEP_GRADIENT).get(0).check());
        assertArrayEquals(params.toFloatVector(), net.params().toFloatVector(), 0f);
        assertArrayEquals(state.toFloatVector(), net.getUpdater().getStateViewArray().toFloatVector(), 0f);
        assertEquals(iterations, net.getIterationCount());
        assertEquals(epochs, net.getEpochCount());
        assertEquals(List.of(listener), new ArrayList<>(net.getListeners()));
    }

    @Test
    void anUninitialisedNetworkStaysUninitialised() {
        MultiLayerNetwork net = new MultiLayerNetwork(Nets.classifier(Nets.adam()));
        Diagnosis dx = Diagnosis.of(net, Nets.iterator(Nets.classes(32, 20, 3), 16));
        assertTrue(dx.checksRun().contains(Check.FIRST_STEP_GRADIENT));
        assertTrue(!net.isInitCalled(), "Diagnosis.of must not call init() on the user's network");
    }

    @Test
    void aComputationGraphIsUntouchedToo() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-2)).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        List<DataSet> data = Nets.classes(64, 20, 3);
        g.fit(Nets.iterator(data, 32));
        INDArray params = g.params().dup();
        INDArray state = g.getUpdater().getStateViewArray().dup();
        Diagnosis dx = Diagnosis.of(g, Nets.iterator(data, 32));
        assertEquals("ComputationGraph", dx.headline().split(" ")[3]);
        assertArrayEquals(params.toFloatVector(), g.params().toFloatVector(), 0f);
        assertArrayEquals(state.toFloatVector(), g.getUpdater().getStateViewArray().toFloatVector(), 0f);
        assertTrue(dx.checksRun().contains(Check.FIRST_STEP_GRADIENT));
    }

    /** Counts next() and reset() on a 50-minibatch iterator. */
    private static final class Counting extends ListDataSetIterator<DataSet> {
        int nexts, resets;

        Counting(List<DataSet> rows, int batch) {
            super(rows, batch);
        }

        @Override
        public DataSet next() {
            nexts++;
            return super.next();
        }

        @Override
        public void reset() {
            resets++;
            super.reset();
        }
    }

    @Test
    void readsAtMostTheSampledMinibatchesThenResets() {
        List<DataSet> rows = Nets.classes(50 * 8, 20, 3).get(0).asList();
        Counting it = new Counting(rows, 8);
        Diagnosis dx = Diagnosis.of(Nets.classifier(Nets.adam()), it);
        assertEquals(Diagnosis.DEFAULT_SAMPLE_BATCHES, it.nexts);
        assertEquals(1, it.resets);
        assertEquals(Diagnosis.DEFAULT_SAMPLE_BATCHES, dx.sampledBatches());
        assertEquals(Diagnosis.DEFAULT_SAMPLE_BATCHES * 8, dx.sampledRows());
        assertArrayEquals(rows.get(0).getFeatures().toFloatVector(), it.next().getFeatures().getRow(0).toFloatVector(), 0f);   // training starts at the start
        Counting two = new Counting(rows, 8);
        Diagnosis.builder().sampleBatches(2).run(Nets.classifier(Nets.adam()), two);
        assertEquals(2, two.nexts);
    }

    @Test
    void configurationOnlySaysWhatItSkipped() {
        Diagnosis dx = Diagnosis.ofConfiguration(Nets.classifier(Nets.adam()));
        assertEquals(0, dx.sampledBatches());
        assertTrue(dx.skipped().containsKey(Check.FIRST_STEP_GRADIENT));
        assertTrue(dx.skipped().containsKey(Check.LABELS_INVALID));
        DataSetIterator none = new ListDataSetIterator<>(new ArrayList<DataSet>(), 4);
        assertEquals("the iterator had no minibatch", Diagnosis.of(Nets.classifier(Nets.adam()), none).skipped().get(Check.UNNORMALIZED_INPUT));
    }
}
