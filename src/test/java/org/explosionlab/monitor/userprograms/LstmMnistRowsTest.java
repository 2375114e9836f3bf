package org.explosionlab.monitor.userprograms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.ExplosionAssertions;
import org.explosionlab.monitor.ExplosionMonitor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A recurrent classifier as a user writes one: each MNIST digit read as a sequence of 28 rows of 28 pixels,
 * an {@code LSTM} wrapped in {@code LastTimeStep} (classify from the state after the last row) and a softmax
 * {@code OutputLayer}, trained with {@code model.fit(trainIter, epochs)} on 4,000 random training examples.
 * With Adam and Xavier init it learns and is healthy; with a huge learning rate, or a huge initialisation, the
 * verdict is not healthy.
 */
class LstmMnistRowsTest {
    private static final int SEED = 42;
    private static final int BATCH = 50;
    private static final int EPOCHS = 1;
    private static final int TRAIN_EXAMPLES = 4000;

    private static MultiLayerNetwork lstm(NeuralNetConfiguration.Builder base, IUpdater updater) {
        MultiLayerConfiguration conf = base
                .seed(SEED)
                .updater(updater)
                .list()
                .layer(new LastTimeStep(new LSTM.Builder()   // only the state after the last row feeds the classifier
                        .nIn(28)                                // the 28 pixels of a row
                        .nOut(64)
                        .activation(Activation.TANH)
                        .build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(64)
                        .nOut(10)                               // ten digits
                        .activation(Activation.SOFTMAX)
                        .build())
                .build();
        MultiLayerNetwork model = new MultiLayerNetwork(conf);
        model.init();
        return model;
    }

    private static DataSetIterator trainIter() {
        return UserData.iterator(UserData.rowsAsSequences(UserData.trainSubset(TRAIN_EXAMPLES, SEED)), BATCH);
    }

    private static DataSetIterator testIter() {
        return UserData.iterator(UserData.rowsAsSequences(UserData.mnist().test()), 500);
    }

    private static Verdict train(MultiLayerNetwork model, ExplosionMonitor monitor, String what) {
        model.addListeners(new ScoreIterationListener(20));
        long start = System.nanoTime();
        model.fit(trainIter(), EPOCHS);
        double accuracy = model.evaluate(testIter()).accuracy();
        Verdict verdict = monitor.verdict(accuracy);
        LeNetMnistTest.report(what, verdict, accuracy, start);
        lastAccuracy = accuracy;
        return verdict;
    }

    private static double lastAccuracy;

    @Test
    void saneLstmIsHealthy() {
        UserData.cpuAndSeed(SEED);
        MultiLayerNetwork model = lstm(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER), new Adam(5e-3));
        ExplosionMonitor monitor = ExplosionMonitor.attach(model);
        Verdict verdict = train(model, monitor, "(3) LSTM Adam 5e-3");
        assertEquals(TRAIN_EXAMPLES / BATCH, monitor.metrics().size());
        ExplosionAssertions.assertHealthy(monitor, lastAccuracy);
        assertEquals(Verdict.Kind.HEALTHY, verdict.kind());
    }

    @Test
    void hugeLearningRateIsNotHealthy() {
        UserData.cpuAndSeed(SEED);
        MultiLayerNetwork model = lstm(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER), new Sgd(50.0));
        ExplosionMonitor monitor = ExplosionMonitor.attach(model);
        Verdict verdict = train(model, monitor, "(3) LSTM Sgd 50");
        assertFalse(verdict.healthy(), verdict.summary());
        assertTrue(verdict.failed(), "a failure, not merely unjudged: " + verdict.summary());
        assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(monitor, lastAccuracy));
        assertTrue(verdict.exploded(), verdict.summary());
        LayerLabels.assertIndexedLabel(model, verdict);   // the LSTM inside LastTimeStep: getLayer(0).conf().getLayer() is the LSTM
    }

    @Test
    void hugeInitIsNotHealthy() {
        UserData.cpuAndSeed(SEED);
        MultiLayerNetwork model = lstm(new NeuralNetConfiguration.Builder().weightInit(new NormalDistribution(0, 5)), new Adam(5e-3));
        ExplosionMonitor monitor = ExplosionMonitor.attach(model);
        Verdict verdict = train(model, monitor, "(3) LSTM N(0,5) init");
        assertFalse(verdict.healthy(), verdict.summary());
        assertTrue(verdict.failed(), "a failure, not merely unjudged: " + verdict.summary());
        assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(monitor, lastAccuracy));
        assertTrue(verdict.exploded(), verdict.summary());
        LayerLabels.assertIndexedLabel(model, verdict);   // the LSTM inside LastTimeStep: getLayer(0).conf().getLayer() is the LSTM
    }
}
