package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.explosionlab.spec.EventKind;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Verdict;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The monitor as a DL4J training listener, the way users break it: {@code setListeners} after {@code attach},
 * a monitor passed in {@code setListeners} in any position, a removal midway, a ComputationGraph, remedies
 * installed in the wrong order, an assertion in a regression test.
 */
class ListenerContractTest {
    private static final int STEPS = 40;

    private static List<DataSet> batches() {
        return MonitorTestNets.mnistBatches(32, 42, STEPS);
    }

    private static void fit(MultiLayerNetwork net, List<DataSet> batches) {
        net.fit(new ListDataSetIterator<>(batches, 1), 1);    // one DataSet per "batch": each already holds 32 examples
    }

    /** The dl4j-examples idiom after attach: setListeners replaces the monitor. Nothing recorded: no_data, never healthy. */
    @Test
    void setListenersAfterAttachIsNoDataAndTheAssertionSaysWhy() {
        MultiLayerNetwork net = MonitorTestNets.dense(7);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        net.setListeners(new ScoreIterationListener(1000));
        fit(net, batches());
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.NO_DATA, v.kind());
        assertEquals(0L, v.samples());
        AssertionError e = assertThrows(AssertionError.class, () -> ExplosionAssertions.assertHealthy(monitor));
        assertTrue(e.getMessage().contains("verdict no_data") && e.getMessage().contains("setListeners"), e.getMessage());
    }

    /** The monitor in a setListeners call, first or last, or added after the others: the same healthy verdict and the same rows. */
    @Test
    void anyPositionAmongTheListenersRecordsTheSameSteps() {
        List<DataSet> data = batches();
        List<List<IterationMetrics>> rows = new ArrayList<>();
        for (int order = 0; order < 3; order++) {
            MultiLayerNetwork net = MonitorTestNets.dense(7);
            ExplosionMonitor monitor = ExplosionMonitor.builder().build();
            CountingListener user = new CountingListener();
            switch (order) {
                case 0 -> net.setListeners(monitor, user);
                case 1 -> net.setListeners(user, new ScoreIterationListener(1000), monitor);
                default -> {
                    net.setListeners(user);
                    net.addListeners(monitor);
                }
            }
            fit(net, data);
            assertEquals(STEPS, user.iterations, "the user's listener saw every step");
            assertEquals(STEPS, monitor.metrics().size());
            ExplosionAssertions.assertHealthy(monitor);
            rows.add(monitor.metrics());
        }
        for (int i = 0; i < STEPS; i++) {
            assertEquals(rows.get(0).get(i).gradL2Global(), rows.get(1).get(i).gradL2Global(), 0);
            assertEquals(rows.get(0).get(i).gradL2Global(), rows.get(2).get(i).gradL2Global(), 0);
        }
    }

    /** Watched for 40 steps, removed by setListeners, trained 40 more: unwatched, with the 40 it missed. */
    @Test
    void aMonitorRemovedMidwayIsUnwatched() {
        MultiLayerNetwork net = MonitorTestNets.dense(7);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        List<DataSet> data = batches();
        fit(net, data);
        assertEquals(Verdict.Kind.HEALTHY, monitor.verdict().kind());
        net.setListeners(new ScoreIterationListener(1000));
        fit(net, data);
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.UNWATCHED, v.kind());
        assertEquals(STEPS, v.unwatchedIterations());
        // close() is a deliberate removal: what trains after it is not the monitor's
        MultiLayerNetwork other = MonitorTestNets.dense(7);
        ExplosionMonitor closed = ExplosionMonitor.attach(other);
        fit(other, data);
        closed.close();
        fit(other, data);
        assertEquals(Verdict.Kind.HEALTHY, closed.verdict().kind());
    }

    /**
     * Memory stays bounded on a long run: by default the monitor keeps the last 1,000 recorded rows, with
     * keepMetrics(false) none, and the detector's windows are fixed; keepMetrics(true) keeps them all.
     */
    @Test
    void aLongRunKeepsABoundedNumberOfRows() {
        DataSet tiny = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 4), Nd4j.eye(2).castTo(DataType.FLOAT).repeat(0, 4));
        int steps = 1200;
        int[] expected = {ExplosionMonitor.DEFAULT_KEEP, 0, steps};
        for (int mode = 0; mode < 3; mode++) {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(1e-2)).list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build())
                    .build());
            net.init();
            ExplosionMonitor.Builder b = ExplosionMonitor.builder();
            if (mode == 1) b.keepMetrics(false);
            if (mode == 2) b.keepMetrics(true);
            ExplosionMonitor monitor = b.attach(net);
            for (int i = 0; i < steps; i++) net.fit(tiny);
            assertEquals(expected[mode], monitor.metrics().size(), "mode " + mode);
            assertEquals((long) steps, monitor.verdict().samples(), "the verdict saw every step either way");
            if (mode == 0) assertEquals(steps - 1, monitor.metrics().get(ExplosionMonitor.DEFAULT_KEEP - 1).iteration(), "the newest rows");
        }
    }

    /** Fewer than 20 recorded iterations: too_short, with the rules it could not judge. */
    @Test
    void aFewStepsAreTooShort() {
        MultiLayerNetwork net = MonitorTestNets.dense(7);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        fit(net, batches().subList(0, 5));
        Verdict v = monitor.verdict();
        assertEquals(Verdict.Kind.TOO_SHORT, v.kind());
        assertTrue(v.unjudged().containsKey("dead_units"), v.unjudged().toString());
    }

    /** One monitor per network: a second network's callback is refused with one line. */
    @Test
    void oneMonitorWatchesOneNetwork() {
        ExplosionMonitor monitor = ExplosionMonitor.attach(MonitorTestNets.dense(7));
        MultiLayerNetwork second = MonitorTestNets.dense(8);
        second.setListeners(monitor);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fit(second, batches().subList(0, 1)));
        assertEquals("this ExplosionMonitor already watches another MultiLayerNetwork: use one monitor per network", e.getMessage());
    }

    /**
     * Remedies act in a fixed order whatever order they are installed in: skip-non-finite before spike skipping
     * before clipping.
     */
    @Test
    void remediesRunInTheirFixedOrder() {
        MultiLayerNetwork net = MonitorTestNets.dense(7);
        Remedy clip = Remedies.globalNorm(1.0).installOn(net);
        Remedy spike = Remedies.spikeSkip().installOn(net);
        Remedy skip = Remedies.skipNonFinite(3).installOn(net);
        assertEquals(List.of(skip, spike, clip), UpdaterHooks.of(Network.of(net)).hooks());
    }

    /**
     * A ComputationGraph with two dense branches merged: parameter keys {@code left_W}, the same figures as the
     * graph's own gradient, layer names in events, and remedies install on it.
     */
    @Test
    void aComputationGraphWithMergedBranchesIsWatched() {
        ComputationGraph graph = twoBranches(new Adam(1e-3), null);
        ExplosionMonitor monitor = ExplosionMonitor.builder().build();
        graph.setListeners(new ScoreIterationListener(1000), monitor);
        List<DataSet> data = batches();
        graph.fit(new ListDataSetIterator<>(data, 1), 1);
        assertEquals(STEPS, monitor.metrics().size());
        IterationMetrics last = monitor.metrics().get(STEPS - 1);
        assertEquals(List.of("left_W", "left_b", "right_W", "right_b", "out_W", "out_b").stream().sorted().toList(),
                last.gradL2Param().keySet().stream().sorted().toList());
        assertEquals(3, last.gradL2Layer().length);
        assertEquals(2, last.deadUnitFraction().length, "both ReLU branches are measured");
        // the recorded raw norm is the graph's own gradient of this step, on the mean-loss scale
        ComputationGraph clone = graph.clone();
        clone.setListeners(new ArrayList<>());
        DataSet next = data.get(0);
        clone.setInputs(next.getFeatures());
        clone.setLabels(next.getLabels());
        clone.computeGradientAndScore();
        assertTrue(clone.gradient().gradient().norm2Number().doubleValue() > 0);
        ExplosionAssertions.assertHealthy(monitor);

        // the same graph with N(0, 5) weights and SGD 1.0 explodes, clipped or not; the event names a vertex
        ComputationGraph bad = twoBranches(new Sgd(1.0), new NormalDistribution(0, 5));
        Remedies.globalNorm(1.0).installOn(bad);
        ExplosionMonitor badMonitor = ExplosionMonitor.attach(bad);
        bad.fit(new ListDataSetIterator<>(data, 1), 1);
        Verdict v = badMonitor.verdict();
        assertFalse(v.healthy(), v.summary());
        ExplosionEvent first = v.events().stream().filter(e -> e.kind() == EventKind.EXPLOSION).findFirst().orElseThrow(() -> new AssertionError(v.summary()));
        assertTrue(first.layer().startsWith("layer \"") && first.layer().endsWith("Layer)"), first.layer());
        assertTrue(first.advice().contains("already clips"), "the advice knows the graph clips: " + first.advice());
    }

    /** in → left (dense 32, ReLU) and right (dense 16, ReLU) → merge → out (softmax 10); {@code init} null: Xavier. */
    private static ComputationGraph twoBranches(org.nd4j.linalg.learning.config.IUpdater updater, NormalDistribution init) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(updater);
        if (init == null) b.weightInit(WeightInit.XAVIER);
        else b.weightInit(init);
        ComputationGraphConfiguration conf = b.graphBuilder()
                .addInputs("in")
                .addLayer("left", new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build(), "in")
                .addLayer("right", new DenseLayer.Builder().nIn(784).nOut(16).activation(Activation.RELU).build(), "in")
                .addVertex("merge", new MergeVertex(), "left", "right")
                .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(48).nOut(10).activation(Activation.SOFTMAX).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        Nd4j.getRandom().setSeed(7);
        return graph;
    }

    private static final class CountingListener extends BaseTrainingListener {
        int iterations;

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            iterations++;
        }
    }
}
