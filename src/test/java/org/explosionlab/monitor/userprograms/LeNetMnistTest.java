package org.explosionlab.monitor.userprograms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.ExplosionAssertions;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.Remedies;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * dl4j-examples' LeNetMNIST, as a user copies it, on 3,000 examples drawn at random from the embedded MNIST (one epoch of 47
 * minibatches of 64), with the example's own listeners ({@code ScoreIterationListener(10)} and an
 * {@code EvaluativeListener} on the test set at each epoch's end) put before and after the monitor:
 * {@code setListeners} after {@code attach} removes the monitor (verdict {@code no_data}, and {@code assertHealthy}
 * says so); in the same {@code setListeners} call or with {@code addListeners} after {@code attach} it watches
 * the run, which is healthy. The same CNN initialised with N(0, 5) weights explodes, and the verdict names the
 * layer DL4J's way; a global-norm clip at 1.0 does not make it healthy (explosions are judged on the raw gradient).
 */
class LeNetMnistTest {
    private static final int SEED = 123;
    private static final int BATCH = 64;
    private static final int EPOCHS = 1;
    private static final int TRAIN_EXAMPLES = 3000;

    /** The example's network; {@code init} is the only thing the exploding variant changes. */
    private static MultiLayerNetwork lenet(NeuralNetConfiguration.Builder base) {
        int nChannels = 1;   // MNIST is greyscale
        int outputNum = 10;  // ten digits
        MultiLayerConfiguration conf = base
                .seed(SEED)
                .l2(0.0005)                       // weight decay, as in the example
                .updater(new Adam(1e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nIn(nChannels)           // depth of the input: one channel
                        .stride(1, 1)
                        .nOut(20)                 // 20 filters
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)         // halves 24×24 to 12×12
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .stride(1, 1)             // nIn need not be given in later layers
                        .nOut(50)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU)
                        .nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(outputNum)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))  // flat [n, 784] rows in, DL4J adds the reshape
                .build();
        MultiLayerNetwork model = new MultiLayerNetwork(conf);
        model.init();
        return model;
    }

    private static MultiLayerNetwork saneLenet() {
        return lenet(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER));
    }

    /** Weights drawn from N(0, 5): every layer multiplies its input's scale by about 5·√fanIn. */
    private static MultiLayerNetwork explodingLenet() {
        return lenet(new NeuralNetConfiguration.Builder().weightInit(new NormalDistribution(0, 5)));
    }

    private static DataSetIterator trainIter() {
        return UserData.iterator(UserData.trainSubset(TRAIN_EXAMPLES, SEED), BATCH);
    }

    private static DataSetIterator testIter() {
        return UserData.iterator(UserData.mnist().test(), 500);
    }

    /** One user program: the sane LeNet with the example's two listeners, wired to the monitor by {@code wire}. */
    private record Trained(ExplosionMonitor monitor, Verdict verdict, double accuracy) {
    }

    private static Trained train(String label, BiFunction<MultiLayerNetwork, EvaluativeListener, ExplosionMonitor> wire) {
        UserData.cpuAndSeed(SEED);
        MultiLayerNetwork model = saneLenet();
        DataSetIterator trainIter = trainIter();
        DataSetIterator testIter = testIter();
        AtomicInteger evaluations = new AtomicInteger();
        EvaluativeListener eval = new EvaluativeListener(testIter, 1, InvocationType.EPOCH_END);
        eval.setCallback((listener, m, count, results) -> evaluations.incrementAndGet());  // to check the user's listener ran
        ExplosionMonitor monitor = wire.apply(model, eval);
        long start = System.nanoTime();
        model.fit(trainIter, EPOCHS);
        double accuracy = model.evaluate(testIter).accuracy();
        Verdict verdict = monitor.verdict(accuracy);
        assertEquals(EPOCHS, evaluations.get(), "the EvaluativeListener ran at each epoch's end");
        report(label, verdict, accuracy, start);
        return new Trained(monitor, verdict, accuracy);
    }

    @Test
    void setListenersAfterAttachRemovesTheMonitor() {
        Trained t = train("(a) attach, then setListeners", (model, eval) -> {
            ExplosionMonitor monitor = ExplosionMonitor.attach(model);
            // the example's own line, written after the monitor: setListeners replaces every listener, the monitor included
            model.setListeners(new ScoreIterationListener(10), eval);
            return monitor;
        });
        assertEquals(Verdict.Kind.NO_DATA, t.verdict().kind(), t.verdict().summary());
        assertFalse(t.verdict().healthy(), "a run the monitor never saw is never healthy");
        assertTrue(t.accuracy() > 0.55, "the network itself trained: " + t.accuracy());
        AssertionError failure = assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(t.monitor(), t.accuracy()));
        assertTrue(failure.getMessage().contains("no_data"), failure.getMessage());
        assertTrue(failure.getMessage().contains("setListeners"), "the message says what removed the monitor: " + failure.getMessage());
        AssertionError plain = assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(t.monitor()));
        assertTrue(plain.getMessage().contains("no_data"), plain.getMessage());
        ExplosionAssertions.assertVerdict(t.monitor(), Verdict.Kind.NO_DATA);
    }

    @Test
    void monitorInTheSameSetListenersCall() {
        Trained t = train("(b) setListeners(score, eval, monitor)", (model, eval) -> {
            ExplosionMonitor monitor = ExplosionMonitor.builder().logEvents(true).build();
            model.setListeners(new ScoreIterationListener(10), eval, monitor);
            return monitor;
        });
        assertEquals(TRAIN_EXAMPLES / BATCH + 1, t.monitor().metrics().size(), "every iteration recorded");
        ExplosionAssertions.assertHealthy(t.monitor(), t.accuracy());
        assertEquals(Verdict.Kind.HEALTHY, t.verdict().kind());
    }

    @Test
    void attachThenAddListeners() {
        Trained t = train("(c) attach, then addListeners", (model, eval) -> {
            ExplosionMonitor monitor = ExplosionMonitor.attach(model);
            model.addListeners(new ScoreIterationListener(10), eval);   // addListeners keeps what is there: the monitor stays
            return monitor;
        });
        ExplosionAssertions.assertHealthy(t.monitor(), t.accuracy());
        assertEquals(Verdict.Kind.HEALTHY, t.verdict().kind());
    }

    @Test
    void explodingInitIsNotHealthyAndNamesTheLayer() {
        UserData.cpuAndSeed(SEED);
        MultiLayerNetwork model = explodingLenet();
        DataSetIterator testIter = testIter();
        ExplosionMonitor monitor = ExplosionMonitor.attach(model);
        model.addListeners(new ScoreIterationListener(10));
        long start = System.nanoTime();
        model.fit(trainIter(), EPOCHS);
        double accuracy = model.evaluate(testIter).accuracy();
        Verdict verdict = monitor.verdict(accuracy);
        report("(2) N(0,5) init", verdict, accuracy, start);

        assertFalse(verdict.healthy(), verdict.summary());
        assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(monitor, accuracy));
        assertTrue(verdict.exploded(), "the raw gradient blew up: " + verdict.summary());
        assertTrue(verdict.kind() == Verdict.Kind.EXPLOSION || verdict.kind() == Verdict.Kind.NONFINITE, verdict.summary());
        LayerLabels.assertIndexedLabel(model, verdict);
    }

    @Test
    void globalNormClipDoesNotMakeTheExplodingCnnHealthy() {
        UserData.cpuAndSeed(SEED);
        MultiLayerNetwork model = explodingLenet();
        DataSetIterator testIter = testIter();
        Remedies.globalNorm(1.0).installOn(model);   // clip the whole gradient to norm 1 before the updater
        ExplosionMonitor monitor = ExplosionMonitor.attach(model);
        long start = System.nanoTime();
        model.fit(trainIter(), EPOCHS);
        double accuracy = model.evaluate(testIter).accuracy();
        Verdict verdict = monitor.verdict(accuracy);
        report("(2) N(0,5) init + globalNorm(1.0)", verdict, accuracy, start);

        assertFalse(verdict.healthy(), verdict.summary());
        assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(monitor, accuracy));
        assertTrue(verdict.exploded(), "judged on the raw gradient, which the clip does not change: " + verdict.summary());
        LayerLabels.assertIndexedLabel(model, verdict);
    }

    static void report(String what, Verdict verdict, double accuracy, long startNanos) {
        System.out.printf("USERPROGRAM %s: kind=%s accuracy=%.4f time=%.1fs%n  %s%n", what, verdict.kind().label(), accuracy,
                (System.nanoTime() - startNanos) / 1e9, verdict.summary());
    }
}
