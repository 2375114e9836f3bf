package org.explosionlab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Every check id: a failing configuration rebuilt from the DL4J issue it cites, and a passing one. Numbers a finding
 * reports are compared with the data or the formula they come from.
 */
class DiagnosisChecksTest {
    private static final double TOL = 1e-9;

    private static List<Finding> config(MultiLayerConfiguration conf, Check c) {
        return Diagnosis.ofConfiguration(conf).findings(c);
    }

    private static Finding only(List<Finding> fs) {
        assertEquals(1, fs.size(), () -> "expected one finding, got " + fs);
        return fs.get(0);
    }

    // ---------------------------------------------------------------- learning-rate-range

    @Test
    void learningRateRange_fails_sgdAtOne_asInHighLrAndTheTuningThreads() {
        // the high-lr preset: the seed MLP with plain SGD at 1.0 (the #1411/#4303/#4306 threads: "NaN score", closed as tuning)
        Finding f = only(config(NetworkFactory.configuration(Presets.load("high-lr")), Check.LEARNING_RATE_RANGE));
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(1.0, f.numbers().get("learningRate"), TOL);
        assertEquals("learningRate=0.1", f.fixSet());
        Finding adam = only(config(Nets.classifier(new Adam(0.1)), Check.LEARNING_RATE_RANGE));
        assertEquals(Severity.SEVERE, adam.severity());
        assertTrue(adam.saw().contains("Adam family"), adam.saw());
    }

    @Test
    void learningRateRange_passes_usualRates_andOnlyWarnsWhenEveryLayerIsClipped() {
        assertTrue(config(Nets.classifier(new Adam(1e-3)), Check.LEARNING_RATE_RANGE).isEmpty());
        assertTrue(config(Nets.classifier(new Sgd(0.1)), Check.LEARNING_RATE_RANGE).isEmpty());
        assertTrue(config(Nets.classifier(new Nesterovs(0.01, 0.9)), Check.LEARNING_RATE_RANGE).isEmpty());
        Finding clipped = only(config(NetworkFactory.configuration(Presets.load("high-lr-clip-layer")), Check.LEARNING_RATE_RANGE));
        assertEquals(Severity.WARNING, clipped.severity());
        Finding tiny = only(config(Nets.classifier(new Adam(1e-8)), Check.LEARNING_RATE_RANGE));
        assertEquals(Severity.WARNING, tiny.severity());
    }

    // ---------------------------------------------------------------- #3346: y = 15 + 5 x, x = s i

    /** #3346's data: 1000 points x_i = s i, y_i = 15 + 5 x_i. */
    private static DataSet issue3346(double s, double labelScale) {
        float[][] x = new float[1000][1], y = new float[1000][1];
        for (int i = 0; i < 1000; i++) {
            x[i][0] = (float) (s * i);
            y[i][0] = (float) ((15 + 5 * x[i][0]) * labelScale);
        }
        return new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y));
    }

    /** #3346's network: one weight and a bias, identity, MSE, Nesterov 0.01 momentum 0.9, Xavier. */
    private static MultiLayerConfiguration linear() {
        return new NeuralNetConfiguration.Builder().seed(Nets.SEED).updater(new Nesterovs(0.01, 0.9)).weightInit(WeightInit.XAVIER).list()
                .layer(new OutputLayer.Builder(LossFunction.MSE).nIn(1).nOut(1).activation(Activation.IDENTITY).build()).build();
    }

    @Test
    void unnormalizedInput_fails_issue3346_inputsUpTo999() {
        DataSet d = issue3346(1.0, 1.0 / 5010);
        Diagnosis dx = Diagnosis.builder().sampleBatches(1000).run(linear(), Nets.iterator(List.of(d), 100));
        Finding f = only(dx.findings(Check.UNNORMALIZED_INPUT));
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(999.0, f.numbers().get("max"), TOL);
        assertEquals(0.0, f.numbers().get("min"), TOL);
        assertEquals(499.5, f.numbers().get("mean"), 1e-9);
        assertEquals(Math.sqrt((1000.0 * 1000 - 1) / 12), f.numbers().get("std"), 1e-6);     // population std of 0..999
    }

    @Test
    void unnormalizedInput_passes_issue3346_scaledTo01() {
        Diagnosis dx = Diagnosis.of(linear(), Nets.iterator(List.of(issue3346(0.001, 1.0 / 5010)), 100));
        assertTrue(dx.findings(Check.UNNORMALIZED_INPUT).isEmpty(), dx::toText);
    }

    @Test
    void unnormalizedInput_fails_onNaNFeatures() {
        List<DataSet> data = Nets.classes(64, 20, 3);
        data.get(0).getFeatures().putScalar(5, 3, Double.NaN);
        Finding f = only(Diagnosis.of(Nets.classifier(Nets.adam()), Nets.iterator(data, 16)).findings(Check.UNNORMALIZED_INPUT));
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(1.0, f.numbers().get("nan"), TOL);
    }

    @Test
    void unscaledRegressionLabels_fails_issue3346_targetsUpTo5010() {
        Diagnosis dx = Diagnosis.builder().sampleBatches(1000).run(linear(), Nets.iterator(List.of(issue3346(0.001, 1.0)), 100));
        Finding f = only(dx.findings(Check.UNSCALED_REGRESSION_LABELS));
        assertEquals(Severity.WARNING, f.severity());                              // x in [0, 1) but y up to ~20
        assertEquals(15 + 5 * 0.999, f.numbers().get("absMax"), 1e-4);            // y of the largest x = 0.999
        Diagnosis big = Diagnosis.builder().sampleBatches(1000).run(linear(), Nets.iterator(List.of(issue3346(1.0, 1.0)), 100));
        Finding g = only(big.findings(Check.UNSCALED_REGRESSION_LABELS));
        assertEquals(Severity.SEVERE, g.severity());
        assertEquals(15 + 5 * 999.0, g.numbers().get("absMax"), TOL);
    }

    @Test
    void unscaledRegressionLabels_passes_standardizedTargets() {
        Diagnosis dx = Diagnosis.of(linear(), Nets.iterator(List.of(issue3346(0.001, 1.0 / 20)), 100));
        assertTrue(dx.findings(Check.UNSCALED_REGRESSION_LABELS).isEmpty(), dx::toText);
    }

    // ---------------------------------------------------------------- constant-feature (#1646, #1890)

    /** #1890: the iris CSV example with one column changed to a single value. */
    private static List<DataSet> irisWithConstantColumn(boolean constant) {
        Random r = new Random(7);
        float[][] x = new float[150][4], y = new float[150][3];
        for (int i = 0; i < 150; i++) {
            x[i][0] = 4.3f + 3.6f * r.nextFloat();
            x[i][1] = 2.0f + 2.4f * r.nextFloat();
            x[i][2] = constant ? 1.4f : 1.0f + 5.9f * r.nextFloat();
            x[i][3] = 0.1f + 2.4f * r.nextFloat();
            y[i][i % 3] = 1;
        }
        return List.of(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
    }

    @Test
    void constantFeature_fails_issue1890_irisColumnWithOneValue() {
        MultiLayerConfiguration conf = Nets.classifier(4, 8, 3, Nets.adam(), WeightInit.XAVIER);
        Finding raw = only(Diagnosis.of(conf, Nets.iterator(irisWithConstantColumn(true), 50)).findings(Check.CONSTANT_FEATURE));
        assertEquals(Severity.INFO, raw.severity());        // finite: no information, no harm; the value does not matter (below)
        assertEquals(1.0, raw.numbers().get("constantColumns"), TOL);
        assertTrue(raw.saw().contains("column 2 = 1.4"), raw.saw());
        // #1646: standardized by hand, (x - mean) / std, with std = 0 for that column: NaN in every row
        DataSetIterator manual = Nets.iterator(irisWithConstantColumn(true), 50);
        manual.setPreProcessor(ds -> {
            INDArray f = ((DataSet) ds).getFeatures();
            INDArray mean = f.mean(0), std = f.std(false, 0);
            f.subiRowVector(mean).diviRowVector(std);
        });
        Diagnosis dx = Diagnosis.builder().firstStep(false).run(conf, manual);
        Finding standardized = only(dx.findings(Check.CONSTANT_FEATURE));
        assertEquals(Severity.SEVERE, standardized.severity(), standardized::saw);
        assertEquals(1.0, standardized.numbers().get("nonFiniteColumns"), TOL);
        assertEquals(Severity.SEVERE, only(dx.findings(Check.UNNORMALIZED_INPUT)).severity());
        // ND4J 1.0.0-M2.1's NormalizerStandardize guards std = 0: no NaN, the constant column stays info
        DataSetIterator it = Nets.iterator(irisWithConstantColumn(true), 50);
        NormalizerStandardize n = new NormalizerStandardize();
        n.fit(it);
        it.setPreProcessor(n);
        Diagnosis guarded = Diagnosis.builder().firstStep(false).run(conf, it);
        assertEquals(Severity.INFO, only(guarded.findings(Check.CONSTANT_FEATURE)).severity());
        assertTrue(guarded.findings(Check.UNNORMALIZED_INPUT).isEmpty(), guarded::toText);
    }

    /** The user trial: a constant-1 column was a warning, constant-0 columns info. One rule, whatever the value. */
    @Test
    void constantFeature_severityDoesNotDependOnTheValue() {
        MultiLayerConfiguration conf = Nets.classifier(4, 8, 3, Nets.adam(), WeightInit.XAVIER);
        for (float value : new float[] {0f, 1f, -3.5f}) {
            List<DataSet> data = irisWithConstantColumn(true);
            data.get(0).getFeatures().getColumn(2).assign(value);
            Finding f = only(Diagnosis.builder().firstStep(false).run(conf, Nets.iterator(data, 50)).findings(Check.CONSTANT_FEATURE));
            assertEquals(Severity.INFO, f.severity(), "constant " + value + ": " + f.saw());
        }
    }

    @Test
    void constantFeature_passes_everyColumnVaries() {
        MultiLayerConfiguration conf = Nets.classifier(4, 8, 3, Nets.adam(), WeightInit.XAVIER);
        assertTrue(Diagnosis.of(conf, Nets.iterator(irisWithConstantColumn(false), 50)).findings(Check.CONSTANT_FEATURE).isEmpty());
    }

    // ---------------------------------------------------------------- normalizer-not-attached (#1666)

    /** Pixel-like features 0..255. */
    private static List<DataSet> pixels() {
        List<DataSet> d = Nets.classes(128, 20, 3);
        d.get(0).getFeatures().muli(255).castTo(DataType.FLOAT);
        return d;
    }

    @Test
    void normalizerNotAttached_fails_issue1666_fittedButNeverSetAsPreProcessor() {
        DataSetIterator it = Nets.iterator(pixels(), 32);
        NormalizerStandardize n = new NormalizerStandardize();
        n.fit(it);                                      // ... and then forgot it.setPreProcessor(n)
        it.reset();
        Diagnosis dx = Diagnosis.builder().normalizer(n).run(Nets.classifier(Nets.adam()), it);
        Finding f = only(dx.findings(Check.NORMALIZER_NOT_ATTACHED));
        assertEquals(Severity.SEVERE, f.severity());
        assertTrue(f.saw().contains("no pre-processor attached"), f.saw());
        // a normalizer attached but never fitted
        DataSetIterator it2 = Nets.iterator(pixels(), 32);
        it2.setPreProcessor(new NormalizerStandardize());
        assertEquals(Severity.SEVERE, Diagnosis.builder().firstStep(false).run(Nets.classifier(Nets.adam()), it2)
                .findings(Check.NORMALIZER_NOT_ATTACHED).get(0).severity());
    }

    @Test
    void normalizerNotAttached_passes_whenAttached() {
        DataSetIterator it = Nets.iterator(pixels(), 32);
        NormalizerStandardize n = new NormalizerStandardize();
        n.fit(it);
        it.setPreProcessor(n);
        Diagnosis dx = Diagnosis.builder().normalizer(n).run(Nets.classifier(Nets.adam()), it);
        assertTrue(dx.findings(Check.NORMALIZER_NOT_ATTACHED).isEmpty(), dx::toText);
        assertTrue(dx.findings(Check.UNNORMALIZED_INPUT).isEmpty(), dx::toText);
    }

    // ---------------------------------------------------------------- loss-activation-mismatch (#1248 / PR #1268, #3247)

    @Test
    void lossActivationMismatch_fails_issue1248_softmaxWithMse() {
        // #1248 (fixed by PR #1268): GravesLSTM 10 -> 8, RnnOutputLayer softmax + MSE, nOut 5
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new GravesLSTM.Builder().nIn(10).nOut(8).build())
                .layer(new RnnOutputLayer.Builder().nIn(8).nOut(5).activation(Activation.SOFTMAX).lossFunction(LossFunction.MSE).build())
                .build();
        Finding f = only(config(conf, Check.LOSS_ACTIVATION_MISMATCH));
        assertEquals(Severity.WARNING, f.severity());
        assertEquals("lossFunction=MCXENT", f.fixSet());
        // softmax + binary XENT with DL4J's own check turned off
        MultiLayerConfiguration off = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.XENT).nIn(8).nOut(3).activation(Activation.SOFTMAX).build())
                .validateOutputLayerConfig(false).build();
        assertEquals(Severity.SEVERE, only(config(off, Check.LOSS_ACTIVATION_MISMATCH)).severity());
    }

    @Test
    void lossActivationMismatch_passes_softmaxWithMcxent_andIdentityWithMse() {
        assertTrue(config(Nets.classifier(Nets.adam()), Check.LOSS_ACTIVATION_MISMATCH).isEmpty());
        assertTrue(config(linear(), Check.LOSS_ACTIVATION_MISMATCH).isEmpty());
    }

    // ---------------------------------------------------------------- labels-invalid (#3992)

    /** #3992: a graph, Dense 1024 -> 50 relu, sigmoid + L2 output of 2 tasks, a missing label as NaN under a 0 mask. */
    private static ComputationGraphConfiguration issue3992() {
        return new NeuralNetConfiguration.Builder().seed(123456).updater(new Nesterovs(0.1, 0.9)).weightInit(WeightInit.XAVIER_UNIFORM)
                .graphBuilder().addInputs("input")
                .addLayer("L3", new DenseLayer.Builder().activation(Activation.RELU).nIn(1024).nOut(50).build(), "input")
                .addLayer("Bioavailability", new OutputLayer.Builder().activation(Activation.SIGMOID).lossFunction(LossFunction.L2)
                        .nIn(50).nOut(2).build(), "L3")
                .setOutputs("Bioavailability").build();
    }

    private static DataSet issue3992Data(boolean withNaN) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1024);
        INDArray y = Nd4j.createFromArray(new float[][] {{0.78f, 0.70f}, {0.98f, 0.94f}, {0.00f, withNaN ? Float.NaN : 0f}, {0.00f, 0.01f}});
        INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1}, {1, 1}, {1, 0}, {1, 1}});
        return new DataSet(x, y, null, mask);
    }

    @Test
    void labelsInvalid_fails_issue3992_nanUnderTheMask() {
        DataSetIterator it = new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(List.of(issue3992Data(true)));
        Diagnosis dx = Diagnosis.of(issue3992(), it);
        Finding f = only(dx.findings(Check.LABELS_INVALID));
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(1.0, f.numbers().get("nan"), TOL);
        assertEquals(1.0, f.numbers().get("nonFiniteUnderMask"), TOL);
        assertTrue(f.saw().contains("all of them under the label mask"), f.saw());
        // and DL4J's own step on a copy confirms it: the score is NaN
        assertEquals(Severity.SEVERE, dx.findings(Check.FIRST_STEP_GRADIENT).get(0).severity());
    }

    /** The user trial: one NaN label gave two severe findings (the second counted it again as "not one-hot") and talked of a mask. */
    @Test
    void labelsInvalid_oneNaNLabelWithoutMask_isOneFindingAndNoMaskIsMentioned() {
        List<DataSet> data = Nets.classes(128, 20, 3);
        data.get(0).getLabels().putScalar(17, 1, Double.NaN);
        Diagnosis dx = Diagnosis.builder().firstStep(false).run(Nets.classifier(Nets.adam()), Nets.iterator(data, 32));
        Finding f = only(dx.findings(Check.LABELS_INVALID));
        assertEquals(1.0, f.numbers().get("nan"), TOL);
        assertEquals(0.0, f.numbers().get("invalidRows"), TOL);
        assertFalse(f.why().contains("mask"), f.why());
        assertFalse(f.fixDl4j().contains("keep them masked"), f.fixDl4j());
        // a NaN row and a separate row that is not one-hot: two findings, each counted once
        data.get(0).getLabels().getRow(40).assign(1.0);              // [1, 1, 1]
        List<Finding> both = Diagnosis.builder().firstStep(false).run(Nets.classifier(Nets.adam()), Nets.iterator(data, 32)).findings(Check.LABELS_INVALID);
        assertEquals(2, both.size());
        assertEquals(1.0, both.get(1).numbers().get("invalidRows"), TOL);
    }

    @Test
    void labelsInvalid_fails_classIndexAtNOut_andRowsNotOneHot() {
        MultiLayerConfiguration sparse = new NeuralNetConfiguration.Builder().updater(Nets.adam()).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(8).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.SPARSE_MCXENT).nIn(8).nOut(10).activation(Activation.SOFTMAX).build()).build();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 4);
        INDArray idx = Nd4j.createFromArray(new float[][] {{0}, {9}, {10}, {3}});         // classes 0..10 but nOut 10
        Finding f = only(Diagnosis.builder().firstStep(false).run(sparse, Nets.iterator(x, idx, 4)).findings(Check.LABELS_INVALID));
        assertEquals(Severity.SEVERE, f.severity());
        assertTrue(f.saw().contains("largest 10"), f.saw());
        assertTrue(f.fixDl4j().contains(".nOut(11)"), f.fixDl4j());
        // one-hot rows with two ones (a multi-label row under softmax + MCXENT)
        INDArray y = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {1, 1, 0}, {0, 0, 1}, {0, 1, 0}});
        Finding g = only(Diagnosis.builder().firstStep(false).run(Nets.classifier(4, 8, 3, Nets.adam(), WeightInit.XAVIER),
                Nets.iterator(x, y, 4)).findings(Check.LABELS_INVALID));
        assertEquals(1.0, g.numbers().get("invalidRows"), TOL);
        // class indices in one column under a one-hot loss
        Finding h = only(Diagnosis.builder().firstStep(false).run(Nets.classifier(4, 8, 3, Nets.adam(), WeightInit.XAVIER),
                Nets.iterator(x, Nd4j.createFromArray(new float[][] {{0}, {1}, {2}, {1}}), 4)).findings(Check.LABELS_INVALID));
        assertTrue(h.saw().contains("class indices"), h.saw());
    }

    @Test
    void labelsInvalid_passes_issue3992_missingLabelAsZeroUnderTheMask_andOneHot() {
        DataSetIterator it = new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(List.of(issue3992Data(false)));
        Diagnosis dx = Diagnosis.of(issue3992(), it);
        assertTrue(dx.findings(Check.LABELS_INVALID).isEmpty(), dx::toText);
        assertTrue(Diagnosis.of(Nets.classifier(Nets.adam()), Nets.iterator(Nets.classes(64, 20, 3), 16))
                .findings(Check.LABELS_INVALID).isEmpty());
    }

    // ---------------------------------------------------------------- recurrent-without-clipping (#1585, #4488, #2536)

    /** #1585: GravesLSTM on 92 input classes, 3 output classes. */
    private static MultiLayerConfiguration issue1585(GradientNormalization g) {
        return new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).gradientNormalization(g).gradientNormalizationThreshold(1.0).list()
                .layer(new GravesLSTM.Builder().nIn(92).nOut(64).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(64).nOut(3).activation(Activation.SOFTMAX).build()).build();
    }

    @Test
    void recurrentWithoutClipping_fails_issue1585_gravesLstmUnclipped() {
        Finding f = only(config(issue1585(GradientNormalization.None), Check.RECURRENT_WITHOUT_CLIPPING));
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(1.0, f.numbers().get("recurrentLayers"), TOL);
    }

    @Test
    void recurrentWithoutClipping_passes_clippedOrNotRecurrent() {
        assertTrue(config(issue1585(GradientNormalization.ClipElementWiseAbsoluteValue), Check.RECURRENT_WITHOUT_CLIPPING).isEmpty());
        assertTrue(config(Nets.classifier(Nets.adam()), Check.RECURRENT_WITHOUT_CLIPPING).isEmpty());
    }

    // ---------------------------------------------------------------- dropout-retain-probability

    private static MultiLayerConfiguration withDropout(double p) {
        return new NeuralNetConfiguration.Builder().updater(Nets.adam()).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).dropOut(p).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build()).build();
    }

    @Test
    void dropoutRetainProbability_fails_kerasDropoutRateGivenToDl4j() {
        Finding f = only(config(withDropout(0.2), Check.DROPOUT_RETAIN_PROBABILITY));   // Keras Dropout(0.2) copied as dropOut(0.2)
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(5.0, f.numbers().get("scale"), 1e-12);
        assertTrue(f.fixDl4j().startsWith(".dropOut(0.8)"), f.fixDl4j());
        assertEquals(Severity.SEVERE, only(config(withDropout(0.05), Check.DROPOUT_RETAIN_PROBABILITY)).severity());
    }

    @Test
    void dropoutRetainProbability_passes_retain08() {
        assertTrue(config(withDropout(0.8), Check.DROPOUT_RETAIN_PROBABILITY).isEmpty());
        assertTrue(config(withDropout(0.5), Check.DROPOUT_RETAIN_PROBABILITY).isEmpty());
    }

    // ---------------------------------------------------------------- l2-too-large

    private static MultiLayerConfiguration withL2(double l2, double lr) {
        return new NeuralNetConfiguration.Builder().updater(new Sgd(lr)).l2(l2).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build()).build();
    }

    @Test
    void l2TooLarge_fails_coefficientsFarAboveTheUsualRange() {
        List<Finding> fs = config(withL2(0.5, 0.1), Check.L2_TOO_LARGE);
        assertEquals(1, fs.size());                                   // the layers with the same penalty and updater, grouped
        assertEquals(2.0, fs.get(0).numbers().get("layers"), TOL);
        assertTrue(fs.get(0).where().contains("layer 0") && fs.get(0).where().contains("layer 1"), fs.get(0).where());
        assertTrue(fs.get(0).saw().contains("Sgd learning rate 0.1 every step shrinks the weights by lr x l2 = 0.05"), fs.get(0).saw());
        assertEquals(Severity.SEVERE, fs.get(0).severity());
        assertEquals(0.05, fs.get(0).numbers().get("shrinkPerStep"), 1e-12);   // lr x l2
        assertEquals(Severity.WARNING, config(withL2(0.05, 0.1), Check.L2_TOO_LARGE).get(0).severity());
        assertEquals(Severity.SEVERE, config(withL2(0.05, 25), Check.L2_TOO_LARGE).get(0).severity());   // lr l2 = 1.25 >= 1
    }

    /** The user trial: an Adam network was told "every SGD step shrinks the weights". */
    @Test
    void l2TooLarge_saysWhatThePenaltyDoesUnderTheUpdaterInUse() {
        MultiLayerConfiguration adam = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).l2(0.5).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build()).build();
        Finding f = only(config(adam, Check.L2_TOO_LARGE));
        assertEquals(3.0, f.numbers().get("layers"), TOL);
        assertFalse(f.saw().contains("SGD"), f.saw());
        assertTrue(f.saw().contains("Adam rescales the gradient"), f.saw());
        assertTrue(Double.isNaN(f.numbers().get("shrinkPerStep")));   // lr x l2 is not Adam's step
        assertEquals(Severity.SEVERE, f.severity());                  // 0.5 >= 0.1
        // decoupled weight decay is applied after the updater: lr x c whatever it is
        MultiLayerConfiguration wd = new NeuralNetConfiguration.Builder().updater(new Adam(1e-3)).weightDecay(0.05).list()
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(20).nOut(3).activation(Activation.SOFTMAX).build()).build();
        Finding w = only(config(wd, Check.L2_TOO_LARGE));
        assertEquals(5e-5, w.numbers().get("shrinkPerStep"), 1e-12);
        assertTrue(w.saw().contains("after the Adam updater"), w.saw());
    }

    @Test
    void l2TooLarge_passes_usualCoefficient() {
        assertTrue(config(withL2(1e-4, 0.1), Check.L2_TOO_LARGE).isEmpty());
    }

    // ---------------------------------------------------------------- init-activation-mismatch

    @Test
    void initActivationMismatch_fails_normalOneOnA784WideReluLayer() {
        Finding f = only(config(NetworkFactory.configuration(Presets.load("bad-init")), Check.INIT_ACTIVATION_MISMATCH));
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(Math.sqrt(784) / Math.sqrt(2), f.numbers().get("worstLayerRatio"), 1e-9);   // N(0,1): r = 1 x sqrt(784) / sqrt(2)
        assertEquals("weightInit=RELU", f.fixSet());
        // ReLU with the sigmoid-scaled init 4 sqrt(6/(fanIn+fanOut)) on a deeper stack
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().updater(Nets.adam()).weightInit(WeightInit.SIGMOID_UNIFORM).list();
        b.layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build());
        b.layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build());
        b.layer(new DenseLayer.Builder().nIn(256).nOut(256).activation(Activation.RELU).build());
        b.layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(256).nOut(10).activation(Activation.SOFTMAX).build());
        Finding g = only(config(b.build(), Check.INIT_ACTIVATION_MISMATCH));
        double hidden = 4 * Math.sqrt(2.0 / 512) * Math.sqrt(256) / Math.sqrt(2);              // = 4 per hidden ReLU layer
        double output = 4 * Math.sqrt(2.0 / 266) * Math.sqrt(256) / 1;                        // softmax: gain 1
        assertEquals(Math.max(hidden, output), g.numbers().get("worstLayerRatio"), 1e-9);
        assertEquals(Math.pow(hidden, 3) * output, g.numbers().get("forwardGain"), 1e-6);
        assertEquals(Severity.SEVERE, g.severity());
    }

    @Test
    void initActivationMismatch_passes_heInitAndTheSeedModel() {
        assertTrue(config(NetworkFactory.configuration(Presets.load("bad-init-he-init")), Check.INIT_ACTIVATION_MISMATCH).isEmpty());
        assertTrue(config(NetworkFactory.configuration(Presets.load("seed-baseline")), Check.INIT_ACTIVATION_MISMATCH).isEmpty());
    }

    // ---------------------------------------------------------------- deep-saturating-stack

    @Test
    void deepSaturatingStack_fails_deepPreset16TanhLayersPastTheChaosEdge() {
        Finding f = only(config(NetworkFactory.configuration(Presets.load("deep")), Check.DEEP_SATURATING_STACK));
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(16.0, f.numbers().get("layers"), TOL);
        // geometric mean of sigma_w sqrt(fanIn) over the run: layer 0 has fan-in 784, the 15 others 64
        double expected = Math.exp((Math.log(0.3 * Math.sqrt(784)) + 15 * Math.log(0.3 * 8)) / 16);
        assertEquals(expected, f.numbers().get("meanInitRatio"), 1e-9);
    }

    @Test
    void deepSaturatingStack_passes_shallowTanhAndReluStacks() {
        assertTrue(config(NetworkFactory.configuration(Presets.load("seed-baseline")), Check.DEEP_SATURATING_STACK).isEmpty());
        MultiLayerConfiguration tanh3 = new NeuralNetConfiguration.Builder().updater(Nets.adam()).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(3).activation(Activation.SOFTMAX).build()).build();
        assertTrue(config(tanh3, Check.DEEP_SATURATING_STACK).isEmpty());
    }

    // ---------------------------------------------------------------- first-step-gradient

    @Test
    void firstStepGradient_fails_badInitExplodesAtStepZero() {
        List<DataSet> data = Nets.classes(64, 784, 10);
        Finding f = only(Diagnosis.of(NetworkFactory.configuration(Presets.load("bad-init")), Nets.iterator(data, 32))
                .findings(Check.FIRST_STEP_GRADIENT));
        assertEquals(Severity.SEVERE, f.severity());
        assertTrue(f.numbers().get("gradientGlobalNorm") > FirstStep.SEVERE_NORM || f.numbers().get("maxUpdateRatio") > FirstStep.SEVERE_RATIO, f::saw);
    }

    @Test
    void firstStepGradient_passes_seedModel() {
        List<DataSet> data = Nets.classes(64, 784, 10);
        Finding f = only(Diagnosis.of(NetworkFactory.configuration(Presets.load("seed-baseline")), Nets.iterator(data, 32))
                .findings(Check.FIRST_STEP_GRADIENT));
        assertFalse(f.severe(), f::saw);
        assertTrue(f.numbers().get("maxUpdateRatio") < FirstStep.WARN_RATIO, f::saw);
    }

    @Test
    void everyCheckIdIsStableAndUnique() {
        assertEquals(List.of("learning-rate-range", "unnormalized-input", "constant-feature", "normalizer-not-attached",
                "unscaled-regression-labels", "loss-activation-mismatch", "labels-invalid", "recurrent-without-clipping",
                "dropout-retain-probability", "l2-too-large", "init-activation-mismatch", "deep-saturating-stack", "first-step-gradient"),
                java.util.Arrays.stream(Check.values()).map(Check::id).toList());
        assertEquals(Check.LABELS_INVALID, Check.byId("labels-invalid"));
        assertTrue(LSTM.class.getSimpleName().length() > 0);
    }
}
