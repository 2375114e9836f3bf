package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Verdict;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The verdict defects a user trial reported, each through real DL4J training of the user's kind of network
 * (plain DL4J programs, synthetic data, fixed seeds).
 */
class UserTrialVerdictTest {

    /** 4 Gaussian blobs in 20 dimensions, overlapping enough that a few epochs of Adam 1e-3 are not yet accurate. */
    static List<DataSet> blobs(int n, int batch, long seed) {
        Random r = new Random(seed);
        int d = 20;
        int k = 4;
        double[][] centres = new double[k][d];
        for (double[] c : centres) for (int j = 0; j < d; j++) c[j] = 0.5 * r.nextGaussian();
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < n / batch; b++) {
            double[][] x = new double[batch][d];
            double[][] y = new double[batch][k];
            for (int i = 0; i < batch; i++) {
                int c = r.nextInt(k);
                for (int j = 0; j < d; j++) x[i][j] = centres[c][j] + r.nextGaussian();
                y[i][c] = 1;
            }
            out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        return out;
    }

    static MultiLayerNetwork mlp(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(4).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static double accuracy(MultiLayerNetwork net, List<DataSet> data) {
        var e = net.evaluate(new ExistingDataSetIterator(data));
        return e.accuracy();
    }

    @Test
    void aClassifierWhoseLossIsStillFallingIsNotCalledNotLearning() {
        List<DataSet> train = blobs(256, 16, 1);
        MultiLayerNetwork net = mlp(7);
        ExplosionMonitor monitor = ExplosionMonitor.builder().keepMetrics(true).attach(net);
        net.fit(new ExistingDataSetIterator(train), 4);                   // 64 iterations
        List<IterationMetrics> m = monitor.metrics();
        assertEquals(64, m.size());
        assertTrue(meanLoss(m, 48, 64) < 0.95 * meanLoss(m, 32, 48), "the loss still falls at the end");
        double batchAccuracy = m.subList(32, 64).stream().mapToDouble(IterationMetrics::batchAccuracy).average().orElseThrow();
        assertTrue(batchAccuracy < 0.625, "the last minibatches are below the 4-class limit: " + batchAccuracy);
        Verdict v = monitor.verdict();
        assertFalse(v.failed(), v.summary());
        assertEquals(Verdict.Kind.HEALTHY, v.kind(), v.summary());

        MultiLayerNetwork longer = mlp(7);                                  // the same run, trained on: it was learning
        longer.fit(new ExistingDataSetIterator(train), 20);
        assertTrue(accuracy(longer, blobs(512, 16, 1)) > 0.8);
    }

    /** A run whose loss has stopped falling at a low accuracy (labels independent of the inputs) is still not_learning. */
    @Test
    void aClassifierThatCannotLearnIsStillNotLearningAndItsAdviceKnowsItUsesCrossEntropy() {
        List<DataSet> train = blobs(256, 16, 1);
        Random r = new Random(3);
        for (DataSet d : train) {                                           // labels shuffled across examples: nothing to learn
            double[][] y = new double[16][4];
            for (double[] row : y) row[r.nextInt(4)] = 1;
            d.setLabels(Nd4j.create(y));
        }
        MultiLayerNetwork net = mlp(7);
        ExplosionMonitor monitor = ExplosionMonitor.builder().attach(net);
        net.fit(new ExistingDataSetIterator(train), 8);
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.NOT_LEARNING, v.kind(), v.summary());
        assertFalse(v.advice().contains("LossFunction.MCXENT"), "the net already uses MCXENT: " + v.advice());
    }

    @Test
    void aRunTooShortToJudgeIsTooShortWhateverTheTestAccuracy() {
        MultiLayerNetwork net = mlp(7);
        ExplosionMonitor monitor = ExplosionMonitor.builder().attach(net);
        net.fit(new ExistingDataSetIterator(blobs(160, 16, 1)));            // 10 iterations
        assertEquals(Verdict.Kind.TOO_SHORT, monitor.verdict().kind());
        Verdict withAccuracy = monitor.verdict(0.30);
        assertEquals(Verdict.Kind.TOO_SHORT, withAccuracy.kind(), withAccuracy.summary());
        assertTrue(withAccuracy.unjudged().containsKey("not_learning"));
    }

    static double meanLoss(List<IterationMetrics> m, int from, int to) {
        return m.subList(from, to).stream().mapToDouble(IterationMetrics::loss).average().orElseThrow();
    }

    /** Targets around 25 (|y| ≤ 81), MSE, Adam 1e-3: the first step's norm is above the ceiling, the MSE falls throughout. */
    static List<DataSet> regression(int n, int batch, long seed) {
        Random r = new Random(seed);
        int d = 8;
        double[] w = new double[d];
        for (int j = 0; j < d; j++) w[j] = 8 * r.nextGaussian();
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < n / batch; b++) {
            double[][] x = new double[batch][d];
            double[][] y = new double[batch][1];
            for (int i = 0; i < batch; i++) {
                double t = 25;
                for (int j = 0; j < d; j++) {
                    x[i][j] = r.nextGaussian();
                    t += w[j] * x[i][j];
                }
                y[i][0] = Math.max(-81, Math.min(81, t));
            }
            out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
        }
        return out;
    }

    static MultiLayerNetwork regressor(long seed, WeightInit init) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(1e-3))
                .weightInit(init).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(32).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void aRegressionWhoseFirstStepIsOverTheCeilingAndWhoseLossFallsIsNotAnExplosion() {
        List<DataSet> train = regression(512, 32, 3);
        MultiLayerNetwork net = regressor(5, WeightInit.XAVIER);
        ExplosionMonitor monitor = ExplosionMonitor.builder().keepMetrics(true).attach(net);
        net.fit(new ExistingDataSetIterator(train), 30);
        List<IterationMetrics> m = monitor.metrics();
        assertTrue(m.get(0).gradL2Global() > 100, "the first step is above the plain ceiling: " + m.get(0).gradL2Global());
        assertTrue(meanLoss(m, m.size() - 16, m.size()) < 0.4 * meanLoss(m, 0, 16), "the MSE falls");
        Verdict v = monitor.verdict();
        assertFalse(v.exploded(), v.summary());
        assertFalse(v.failed(), v.summary());
    }

    /** The same regression with N(0, 1) weights (the bad-init preset's init) still explodes at the first step. */
    @Test
    void aRegressionWithNormalInitStillExplodes() {
        List<DataSet> train = regression(512, 32, 3);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).updater(new Adam(1e-3))
                .weightInit(new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 1)).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(256).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(256).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        ExplosionMonitor monitor = ExplosionMonitor.builder().keepMetrics(true).attach(net);
        net.fit(new ExistingDataSetIterator(train), 2);
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.EXPLOSION, v.kind(), v.summary());
        assertEquals(0, v.firstIteration());
    }

    /** 0–255 inputs (unscaled pixels) into a Xavier-initialised net: the first step explodes, and the init is not the cause. */
    @Test
    void theFirstStepAdviceDoesNotBlameAScaledInitForUnscaledInputs() {
        List<DataSet> train = blobs(512, 16, 1);
        for (DataSet d : train) d.setFeatures(d.getFeatures().add(3).mul(40));       // pixel-like magnitudes, up to ~255
        MultiLayerNetwork net = mlp(7);
        ExplosionMonitor monitor = ExplosionMonitor.builder().attach(net);
        net.fit(new ExistingDataSetIterator(train), 1);
        Verdict v = monitor.verdict();
        assertTrue(v.exploded(), v.summary());
        ExplosionEvent first = v.events().get(0);
        assertEquals(0, first.iteration(), v.summary());
        assertFalse(first.advice().contains("initial weights are the cause"), first.advice());
        assertTrue(first.advice().contains("input scale"), first.advice());
        assertTrue(first.advice().indexOf("input scale") < first.advice().indexOf("initial weights"),
                "with Xavier init the inputs are checked first: " + first.advice());
    }

    static List<DataSet> withNaNLabel(List<DataSet> train, int batch) {
        train.get(batch).getLabels().putScalar(3, 1, Double.NaN);
        return train;
    }

    /** A NaN label after finite, ordinary steps: the advice points at the data, not at the learning rate first. */
    @Test
    void aNaNLabelIsTracedToTheData() {
        MultiLayerNetwork net = mlp(7);
        ExplosionMonitor monitor = ExplosionMonitor.builder().attach(net);
        net.fit(new ExistingDataSetIterator(withNaNLabel(blobs(512, 16, 1), 12)));
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.NONFINITE, v.kind(), v.summary());
        assertEquals(12, v.firstIteration());
        assertTrue(v.advice().contains("check the data for NaN or Infinity in the features and the labels"), v.advice());
        assertTrue(v.advice().indexOf("check the data") < v.advice().indexOf("lower the learning rate"), v.advice());
    }

    /** Skip-non-finite kept the weights finite through a NaN label: contained, and the installed remedy is not advised. */
    @Test
    void aSkippedNaNStepIsContainedAndTheInstalledRemedyIsNotAdvised() {
        MultiLayerNetwork net = mlp(7);
        Remedies.skipNonFinite(5).installOn(net);
        ExplosionMonitor monitor = ExplosionMonitor.builder().attach(net);
        net.fit(new ExistingDataSetIterator(withNaNLabel(blobs(512, 16, 1), 12)), 4);   // the NaN batch is met every epoch
        assertTrue(allFinite(net.params()));
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.CONTAINED, v.kind(), v.summary());
        ExplosionEvent event = v.decidingEvent();
        assertEquals(12, event.iteration());
        assertTrue(event.message().contains("the step was skipped, so the weights stay finite"), event.message());
        assertFalse(event.message().contains("lost"), event.message());
        assertFalse(v.advice().contains("Remedies.skipNonFinite"), v.advice());
        assertFalse(v.advice().contains("clips"), v.advice());
        assertTrue(v.advice().contains("check the data for NaN"), v.advice());
    }

    static boolean allFinite(org.nd4j.linalg.api.ndarray.INDArray a) {
        for (double x : a.toDoubleVector()) if (!Double.isFinite(x)) return false;
        return true;
    }
}
