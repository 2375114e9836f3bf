package org.explosionlab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * {@code first-step-gradient}'s fix follows the cause: a long step from a small gradient is the learning rate (and the
 * rate it proposes really brings the ratio to DL4J's 1e-3); a large gradient is a scale problem, and the clipping it
 * proposes binds; a regression's norm is judged against its labels' scale.
 */
class FirstStepCauseTest {

    private static Finding firstStep(MultiLayerConfiguration conf, DataSetIterator it) {
        return Diagnosis.of(conf, it).findings(Check.FIRST_STEP_GRADIENT).get(0);
    }

    private static DataSetIterator classes() {
        return Nets.iterator(Nets.classes(128, 20, 3), 32);
    }

    /** The user trial's cases: SGD lr 5 and Adam 0.05, gradient norm below 1, ratio above 0.3. */
    @Test
    void aLongStepFromASmallGradientIsTheLearningRate_andTheProposedRateBringsTheFirstStepRatioTo001() {
        for (IUpdater u : List.of(new Sgd(5), new Adam(0.05))) {
            Finding f = firstStep(Nets.classifier(20, 16, 3, u, WeightInit.XAVIER), classes());
            double norm = f.numbers().get("gradientGlobalNorm"), ratio = f.numbers().get("maxUpdateRatio");
            assertTrue(norm < 1 && ratio > FirstStep.WARN_RATIO, f::saw);
            assertFalse(f.fixDl4j().contains("ClipL2PerLayer"), f.fixDl4j());
            double lr = u.getLearningRate(0, 0);
            double proposed = f.numbers().get("suggestedLearningRate");
            // lr x 0.01 / ratio, rounded down to one significant digit
            double exact = lr * FirstStep.TARGET_RATIO / ratio;
            assertTrue(proposed <= exact && proposed > exact / 2, proposed + " vs " + exact);
            assertEquals("learningRate=" + Numbers.fmt(proposed), f.fixSet());
            assertTrue(f.fixDl4j().contains("new " + u.getClass().getSimpleName() + "(" + Numbers.fmt(proposed) + ")"), f.fixDl4j());
            // applied, DL4J's next first step has a ratio near the target, below the warning line
            IUpdater fixed = u instanceof Sgd ? new Sgd(proposed) : new Adam(proposed);
            Finding after = firstStep(Nets.classifier(20, 16, 3, fixed, WeightInit.XAVIER), classes());
            double r = after.numbers().get("maxUpdateRatio");
            assertTrue(r > 3e-3 && r <= 1.1e-2, u + ": ratio after the proposed rate " + r);
            assertEquals(Severity.INFO, after.severity(), after::saw);
        }
    }

    /** N(0, 1) weights on a 784-wide layer (the bad-init preset): the norm is the cause; the clipping proposed binds on the largest layer. */
    @Test
    void aLargeGradientIsAScaleProblem_andTheClippingProposedBinds() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(Nets.SEED).dataType(DataType.FLOAT).updater(new Adam(1e-3))
                .weightInit(new NormalDistribution(0, 1)).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(128).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(128).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(64).nOut(10).activation(Activation.SOFTMAX).build()).build();
        Finding f = firstStep(conf, Nets.iterator(Nets.classes(64, 784, 10), 32));
        assertEquals(Severity.SEVERE, f.severity(), f::saw);
        assertTrue(f.numbers().get("gradientGlobalNorm") > FirstStep.SEVERE_NORM, f::saw);
        assertTrue(f.fixDl4j().startsWith("fix what the init-activation-mismatch finding names"), f.fixDl4j());
        assertTrue(f.fixDl4j().contains("ClipL2PerLayer"), f.fixDl4j());
        // the threshold it names is below the largest per-layer gradient norm DL4J computes
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        DataSet d = Nets.iterator(Nets.classes(64, 784, 10), 32).next();
        net.setInput(d.getFeatures());
        net.setLabels(d.getLabels());
        net.computeGradientAndScore();
        double maxLayer = 0;
        for (int i = 0; i < 3; i++) {
            double w = net.gradient().getGradientFor(i + "_W").norm2Number().doubleValue() / 32;
            double b = net.gradient().getGradientFor(i + "_b").norm2Number().doubleValue() / 32;
            maxLayer = Math.max(maxLayer, Math.sqrt(w * w + b * b));
        }
        String t = f.fixDl4j().replaceAll(".*gradientNormalizationThreshold\\(([^)]*)\\).*", "$1");
        assertTrue(Double.parseDouble(t) < maxLayer, t + " vs " + maxLayer);
    }

    /** The user trial: targets around 25 (|y| <= 81), MSE, Adam 1e-3; trains, so it is not a severe first step. */
    private static List<DataSet> regression(int n) {
        Random r = new Random(5);
        float[][] x = new float[n][8], y = new float[n][1];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 8; j++) {
                x[i][j] = (float) r.nextGaussian();
                s += (j % 2 == 0 ? 1 : -1) * x[i][j];
            }
            y[i][0] = (float) Math.max(0, Math.min(81, 25 + 12 * s / Math.sqrt(8) + 3 * r.nextGaussian()));
        }
        return List.of(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
    }

    private static MultiLayerConfiguration regressor() {
        return new NeuralNetConfiguration.Builder().seed(Nets.SEED).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(8).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(64).nOut(1).activation(Activation.IDENTITY).build()).build();
    }

    @Test
    void aRegressionNormIsJudgedAgainstItsLabelScale() {
        Diagnosis dx = Diagnosis.of(regressor(), Nets.iterator(regression(512), 64));
        Finding f = dx.findings(Check.FIRST_STEP_GRADIENT).get(0);
        assertTrue(f.numbers().get("gradientGlobalNorm") > FirstStep.SEVERE_NORM, f::saw);      // the unscaled ceiling would call it severe
        assertEquals(Severity.WARNING, f.severity(), dx::toText);
        assertTrue(f.fixDl4j().contains("unscaled-regression-labels"), f.fixDl4j());
        assertEquals(Severity.WARNING, dx.findings(Check.UNSCALED_REGRESSION_LABELS).get(0).severity());
        // the ceiling is 100 x the labels' RMS, computed here from the first minibatch
        double sq = 0;
        DataSet first = Nets.iterator(regression(512), 64).next();
        for (double y : first.getLabels().toDoubleVector()) sq += y * y;
        assertEquals(100 * Math.sqrt(sq / 64), f.numbers().get("normCeiling"), 1e-3);
        // and it does train: Adam 1e-3 brings the MSE far down, finite throughout
        MultiLayerNetwork net = new MultiLayerNetwork(regressor());
        net.init();
        DataSetIterator it = Nets.iterator(regression(512), 64);
        double before = net.score(Nets.iterator(regression(512), 512).next());
        net.fit(it, 60);
        double after = net.score(Nets.iterator(regression(512), 512).next());
        assertTrue(Double.isFinite(after) && after < before / 10, before + " -> " + after);
    }

    @Test
    void oneSignificantDigitRoundsDown() {
        assertEquals(0.009, FirstStep.oneSignificant(0.00913), 1e-15);
        assertEquals(4e-5, FirstStep.oneSignificant(4.69e-5), 1e-18);
        assertEquals(1.0, FirstStep.oneSignificant(1.0), 0);
        assertNotEquals(0.0, FirstStep.oneSignificant(1.2e-7));
    }
}
