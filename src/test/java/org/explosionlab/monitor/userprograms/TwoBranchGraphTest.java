package org.explosionlab.monitor.userprograms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.ExplosionAssertions;
import org.explosionlab.monitor.ExplosionMonitor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code ComputationGraph} programs: two dense branches on the MNIST input, joined by a {@code MergeVertex}
 * (concatenation) or an {@code ElementWiseVertex} (sum), into a softmax output. With Adam and Xavier init they
 * are healthy; with SGD at learning rate 5 the verdict is not healthy and names the guilty layer by its vertex
 * name, {@code layer "name" (DenseLayer)}. Then a graph of two inputs (top and bottom half of the digit) and two
 * outputs (the digit, and whether it is odd), trained on {@code MultiDataSet}s: the monitor watches it without
 * crashing, and an exploding version of it is not healthy.
 */
class TwoBranchGraphTest {
    private static final int SEED = 7;
    private static final int BATCH = 64;
    private static final int EPOCHS = 1;
    private static final int TRAIN_EXAMPLES = 4000;

    /** in → "dense" and "dense2" (two views of the same pixels) → {@code join} → "out". */
    private static ComputationGraph twoBranches(NeuralNetConfiguration.Builder base, IUpdater updater, GraphVertex join) {
        ComputationGraphConfiguration conf = base
                .seed(SEED)
                .updater(updater)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(784))          // lets DL4J infer every nIn
                .addLayer("dense", new DenseLayer.Builder().nOut(64).activation(Activation.RELU).build(), "in")
                .addLayer("dense2", new DenseLayer.Builder().nOut(64).activation(Activation.TANH).build(), "in")
                .addVertex("join", join, "dense", "dense2")         // concatenate (128) or add (64) the branches
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "join")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static DataSetIterator trainIter() {
        return UserData.iterator(UserData.trainSubset(TRAIN_EXAMPLES, SEED), BATCH);
    }

    private static Verdict trainAndJudge(ComputationGraph graph, ExplosionMonitor monitor, String what, double[] accuracy) {
        graph.addListeners(new ScoreIterationListener(20));
        long start = System.nanoTime();
        graph.fit(trainIter(), EPOCHS);
        accuracy[0] = graph.evaluate(UserData.iterator(UserData.mnist().test(), 500)).accuracy();
        Verdict verdict = monitor.verdict(accuracy[0]);
        LeNetMnistTest.report(what, verdict, accuracy[0], start);
        return verdict;
    }

    @Test
    void mergeVertexGraphIsHealthy() {
        UserData.cpuAndSeed(SEED);
        ComputationGraph graph = twoBranches(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER), new Adam(1e-3), new MergeVertex());
        ExplosionMonitor monitor = ExplosionMonitor.attach(graph);
        double[] accuracy = new double[1];
        Verdict verdict = trainAndJudge(graph, monitor, "(4) graph MergeVertex Adam 1e-3", accuracy);
        ExplosionAssertions.assertHealthy(monitor, accuracy[0]);
        assertEquals(Verdict.Kind.HEALTHY, verdict.kind());
    }

    @Test
    void elementWiseAddGraphIsHealthy() {
        UserData.cpuAndSeed(SEED);
        ComputationGraph graph = twoBranches(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER), new Adam(1e-3),
                new ElementWiseVertex(ElementWiseVertex.Op.Add));
        ExplosionMonitor monitor = ExplosionMonitor.builder().build();
        graph.setListeners(new ScoreIterationListener(20), monitor);   // the monitor in the same call as the user's listener
        double[] accuracy = new double[1];
        Verdict verdict = trainAndJudge(graph, monitor, "(4) graph ElementWiseVertex(Add) Adam 1e-3", accuracy);
        ExplosionAssertions.assertHealthy(monitor, accuracy[0]);
        assertEquals(Verdict.Kind.HEALTHY, verdict.kind());
    }

    @Test
    void explodingMergeVertexGraphNamesAVertex() {
        UserData.cpuAndSeed(SEED);
        ComputationGraph graph = twoBranches(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER), new Sgd(5.0), new MergeVertex());
        ExplosionMonitor monitor = ExplosionMonitor.attach(graph);
        double[] accuracy = new double[1];
        Verdict verdict = trainAndJudge(graph, monitor, "(4) graph MergeVertex Sgd 5", accuracy);
        assertFalse(verdict.healthy(), verdict.summary());
        assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(monitor, accuracy[0]));
        assertTrue(verdict.exploded(), verdict.summary());
        String vertex = LayerLabels.assertVertexLabel(graph, verdict);
        assertTrue(List.of("dense", "dense2", "out").contains(vertex), vertex);
    }

    // ---- two inputs, two outputs ------------------------------------------------------------------

    /** "top" (rows 0–13) and "bottom" (rows 14–27) → a dense branch each → merged → "digit" (10 classes) and "odd" (2). */
    private static ComputationGraph twoInTwoOut(NeuralNetConfiguration.Builder base, IUpdater updater) {
        ComputationGraphConfiguration conf = base
                .seed(SEED)
                .updater(updater)
                .graphBuilder()
                .addInputs("top", "bottom")
                .setInputTypes(InputType.feedForward(392), InputType.feedForward(392))
                .addLayer("topDense", new DenseLayer.Builder().nOut(48).activation(Activation.RELU).build(), "top")
                .addLayer("bottomDense", new DenseLayer.Builder().nOut(48).activation(Activation.RELU).build(), "bottom")
                .addVertex("merge", new MergeVertex(), "topDense", "bottomDense")
                .addLayer("digit", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "merge")
                .addLayer("odd", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(2).activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("digit", "odd")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Minibatches of {@code data} as MultiDataSets: features (top half, bottom half), labels (digit, odd). */
    private static List<MultiDataSet> halvesAndParity(DataSet data) {
        List<MultiDataSet> out = new ArrayList<>();
        for (DataSet d : UserData.batches(data, BATCH)) {
            INDArray x = d.getFeatures();
            INDArray top = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 392)).dup();
            INDArray bottom = x.get(NDArrayIndex.all(), NDArrayIndex.interval(392, 784)).dup();
            INDArray digit = d.getLabels();
            INDArray odd = Nd4j.zeros(digit.dataType(), digit.size(0), 2);
            for (int i = 0; i < digit.size(0); i++) {
                int label = digit.getRow(i).argMax().getInt(0);
                odd.putScalar(i, label % 2, 1.0);
            }
            out.add(new MultiDataSet(new INDArray[] {top, bottom}, new INDArray[] {digit, odd}));
        }
        return out;
    }

    private static Verdict trainMulti(ComputationGraph graph, ExplosionMonitor monitor, String what) {
        List<MultiDataSet> batches = halvesAndParity(UserData.trainSubset(TRAIN_EXAMPLES, SEED));
        long start = System.nanoTime();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (MultiDataSet mds : batches) graph.fit(mds);
        }
        // the digit head's accuracy on the test set
        List<MultiDataSet> test = halvesAndParity(UserData.mnist().test());
        org.nd4j.evaluation.classification.Evaluation eval = new org.nd4j.evaluation.classification.Evaluation(10);
        for (MultiDataSet mds : test) eval.eval(mds.getLabels(0), graph.output(mds.getFeatures())[0]);
        double accuracy = eval.accuracy();
        Verdict verdict = monitor.verdict(accuracy);
        LeNetMnistTest.report(what, verdict, accuracy, start);
        assertEquals(batches.size() * EPOCHS, monitor.metrics().size(), "every fit(MultiDataSet) recorded");
        return verdict;
    }

    @Test
    void twoInputsTwoOutputsIsWatched() {
        UserData.cpuAndSeed(SEED);
        ComputationGraph graph = twoInTwoOut(new NeuralNetConfiguration.Builder().weightInit(WeightInit.XAVIER), new Adam(1e-3));
        ExplosionMonitor monitor = ExplosionMonitor.attach(graph);
        Verdict verdict = trainMulti(graph, monitor, "(4) graph 2 in / 2 out Adam 1e-3");
        assertNotNull(verdict.kind());
        assertFalse(verdict.failed(), verdict.summary());
        assertEquals(Verdict.Kind.HEALTHY, verdict.kind(), verdict.summary());
    }

    @Test
    void explodingTwoInputsTwoOutputsIsNotHealthy() {
        UserData.cpuAndSeed(SEED);
        ComputationGraph graph = twoInTwoOut(new NeuralNetConfiguration.Builder().weightInit(new NormalDistribution(0, 5)), new Sgd(5.0));
        ExplosionMonitor monitor = ExplosionMonitor.attach(graph);
        Verdict verdict = trainMulti(graph, monitor, "(4) graph 2 in / 2 out N(0,5) Sgd 5");
        assertFalse(verdict.healthy(), verdict.summary());
        assertTrue(verdict.exploded(), verdict.summary());
        LayerLabels.assertVertexLabel(graph, verdict);
    }
}
