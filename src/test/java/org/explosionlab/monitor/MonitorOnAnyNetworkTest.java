package org.explosionlab.monitor;

import static org.explosionlab.monitor.MonitorTestNets.dupAll;
import static org.explosionlab.monitor.MonitorTestNets.l2;
import static org.explosionlab.monitor.MonitorTestNets.l2Diff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * {@link ExplosionMonitor} attached in one line to networks this project did not build — a LeNet-style
 * CNN, a dense net with BatchNormalization and dropout, an LSTM — checked step by step against an
 * independent computation with DL4J's own API:
 * <ul>
 *   <li><b>raw gradient</b>: before each step a {@code net.clone()} is given the same minibatch and
 *       {@code computeGradientAndScore()}; its {@code gradient().gradientForVariable()} is DL4J's
 *       minibatch-<em>sum</em> gradient, so the monitor's {@code gradL2Param} must be ‖g_p‖/k for every
 *       loss-gradient parameter (k = minibatch size), and the per-layer / global / max figures the
 *       same sums over loss-gradient parameters only. BatchNorm's running mean and variance have a
 *       "gradient" that is DL4J's running-average step, not a loss gradient: the monitor reports its
 *       norm unscaled and leaves it out of the per-layer and global figures;</li>
 *   <li><b>update</b>: ‖θ_before − θ_after‖ per parameter from {@code paramTable()} read around the real
 *       {@code fit} must equal {@code updateL2Param} (for the running statistics too: their DL4J updater
 *       is NoOp, the step is θ ← θ − g), and {@code paramL2} must be ‖θ_before‖;</li>
 *   <li><b>loss</b>: the clone's {@code score()};</li>
 *   <li>the user's listeners still run, and the optimizer state survives the {@link HookedUpdater}
 *       that a network with {@code GradientNormalization} gets: the same next step as an untouched clone.</li>
 * </ul>
 * Dropout draws its masks from ND4J's RNG ({@code Nd4j.getRandom()}): seeding it identically before the
 * clone's {@code computeGradientAndScore()} and before the real {@code fit} reproduces the masks
 * (both draw them in the same order, in the same forward pass); {@link #dropoutMasksAreWhatTheSeedMakesEqual}
 * shows that without the reseeding the two gradients differ, i.e. that the check does see the masks.
 * Tolerance: 1e-4 relative (float32).
 */
class MonitorOnAnyNetworkTest {
    private static final double REL = 1e-4;
    private static final Set<String> RUNNING_STATS = Set.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    @Test
    void lenetStyleCnn() {
        MultiLayerNetwork net = MonitorTestNets.lenet(7, new Adam(1e-3));
        CountingListener user = new CountingListener();
        net.setListeners(user);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        assertFalse(net.getUpdater(true) instanceof HookedUpdater, "no GradientNormalization, no remedy: DL4J's updater stays");
        List<DataSet> batches = MonitorTestNets.mnistBatches(16, 11, 4);
        for (int i = 0; i < batches.size(); i++) checkStep(net, monitor, batches.get(i), 1000 + i);
        assertEquals(3, monitor.metrics().get(0).gradL2Layer().length, "conv, dense, output hold parameters");
        assertUserListenerKept(net, user, batches.size());
    }

    @Test
    void denseWithBatchNormAndDropout() {
        MultiLayerNetwork net = MonitorTestNets.denseBnDropout(8);
        CountingListener user = new CountingListener();
        net.setListeners(user);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        List<DataSet> batches = MonitorTestNets.mnistBatches(32, 12, 4);
        for (int i = 0; i < batches.size(); i++) checkStep(net, monitor, batches.get(i), 2000 + i);
        IterationMetrics m = monitor.metrics().get(0);
        assertEquals(4, m.gradL2Layer().length, "dense, batch norm, dense, output hold parameters");
        long runningStats = m.gradL2Param().keySet().stream().filter(k -> RUNNING_STATS.contains(paramName(k))).count();
        assertEquals(2, runningStats, "BatchNorm's running mean and variance are monitored");
        assertUserListenerKept(net, user, batches.size());
    }

    /** The recurrent case: LSTM + RnnOutputLayer on synthetic sequences [k, 3, T]; k is the number of sequences. */
    @Test
    void lstmOnSequences() {
        MultiLayerNetwork net = MonitorTestNets.lstm(9);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        for (int i = 0; i < 3; i++) checkStep(net, monitor, MonitorTestNets.sequences(8, 12, 300 + i), 3000 + i);
        assertEquals(2, monitor.metrics().get(0).gradL2Layer().length);
    }

    /**
     * Shows the seed is what makes the dropout net's clone comparable: without reseeding ND4J's RNG
     * between the two computations, the masks and therefore the gradients differ.
     */
    @Test
    void dropoutMasksAreWhatTheSeedMakesEqual() {
        MultiLayerNetwork net = MonitorTestNets.denseBnDropout(8);
        DataSet ds = MonitorTestNets.mnistBatches(32, 12, 1).get(0);
        Nd4j.getRandom().setSeed(5);
        double first = gradientOf(net, ds, "0_W");
        double unseeded = gradientOf(net, ds, "0_W");
        Nd4j.getRandom().setSeed(5);
        double reseeded = gradientOf(net, ds, "0_W");
        assertNotEquals(first, unseeded, "other dropout masks, another gradient");
        assertEquals(first, reseeded, 0.0, "same seed, same masks, same gradient");
    }

    /**
     * A network with {@code GradientNormalization} gets a {@link HookedUpdater} at attach: after two
     * steps with DL4J's own updater, the Adam state must be carried over unchanged, the next step must be
     * the one an untouched clone takes, and the clipped figures must follow DL4J's ClipL2PerLayer
     * (per layer: min(‖g_layer‖, τ), on the mean-loss scale).
     */
    @Test
    void updaterStateSurvivesTheHookedUpdater() {
        double tau = 0.2;
        MultiLayerNetwork net = MonitorTestNets.denseWithNormalization(13, GradientNormalization.ClipL2PerLayer, tau);
        List<DataSet> batches = MonitorTestNets.mnistBatches(32, 14, 4);
        net.fit(batches.get(0));
        net.fit(batches.get(1));
        INDArray stateBefore = net.getUpdater().getStateViewArray().dup();
        assertTrue(stateBefore.length() > 0 && stateBefore.norm2Number().doubleValue() > 0, "Adam has moments after two steps");
        MultiLayerNetwork reference = net.clone();
        assertBitwiseEqual(stateBefore, reference.getUpdater().getStateViewArray(), "clone() copies the Adam state");

        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        assertInstanceOf(HookedUpdater.class, net.getUpdater(false), "GradientNormalization: the HookedUpdater is installed");
        assertBitwiseEqual(stateBefore, net.getUpdater().getStateViewArray(), "Adam state after the install");

        for (int i = 2; i < 4; i++) {
            IterationMetrics m = checkStep(net, monitor, batches.get(i), 4000 + i);
            reference.fit(batches.get(i));
            assertBitwiseEqual(reference.params(), net.params(), "step " + i + ": the same parameters as DL4J's own updater");
            assertBitwiseEqual(reference.getUpdater().getStateViewArray(), net.getUpdater().getStateViewArray(), "step " + i + ": the same Adam state");
            boolean anyClipped = false;
            for (int l = 0; l < m.gradL2Layer().length; l++) {
                double raw = m.gradL2Layer()[l];
                assertClose("ClipL2PerLayer layer " + l, Math.min(raw, tau), m.gradL2LayerClipped()[l]);
                anyClipped |= raw > tau;
            }
            assertTrue(anyClipped, "τ is chosen so that some layer is clipped");
            assertTrue(m.clipped(), "DL4J's normalization changed the gradient");
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** One real {@code fit} on {@code ds}, every figure checked against a clone's computation and the parameters around the step. */
    private static IterationMetrics checkStep(MultiLayerNetwork net, ExplosionMonitor monitor, DataSet ds, long rngSeed) {
        int k = Math.toIntExact(ds.getFeatures().size(0));
        MultiLayerNetwork clone = net.clone();
        clone.setListeners(new ArrayList<TrainingListener>());
        clone.setInput(ds.getFeatures());
        clone.setLabels(ds.getLabels());
        Nd4j.getRandom().setSeed(rngSeed);
        clone.computeGradientAndScore();
        Map<String, INDArray> g = dupAll(clone.gradient().gradientForVariable());
        double score = clone.score();
        assertEquals(clone.getFlattenedGradients().length(), net.numParams(), "the clone's flattened gradient covers every parameter");

        Map<String, INDArray> before = dupAll(net.paramTable());
        int recorded = monitor.metrics().size();
        long iteration = net.getIterationCount();
        Nd4j.getRandom().setSeed(rngSeed);
        net.fit(ds);
        Map<String, INDArray> after = net.paramTable();
        assertEquals(recorded + 1, monitor.metrics().size(), "one step recorded");
        IterationMetrics m = monitor.metrics().get(recorded);
        String at = "iteration " + iteration + ": ";

        assertEquals(iteration, m.iteration());
        assertClose(at + "loss", score, m.loss());
        assertEquals(before.keySet(), m.gradL2Param().keySet(), at + "every parameter of paramTable()");
        assertEquals(g.keySet(), before.keySet(), at + "the clone's gradient has every parameter");

        double globalSq = 0;
        double maxAbs = 0;
        Map<Integer, Double> layerSq = new TreeMap<>();
        for (String key : before.keySet()) {
            INDArray gp = g.get(key);
            boolean loss = !RUNNING_STATS.contains(paramName(key));
            double norm = l2(gp);
            // BatchNorm's running statistics: the "gradient" is the running-average step, reported as it is
            assertClose(at + "gradL2Param " + key, loss ? norm / k : norm, m.gradL2Param().get(key));
            assertClose(at + "updateL2Param " + key, l2Diff(before.get(key), after.get(key)), m.updateL2Param().get(key));
            assertClose(at + "paramL2 " + key, l2(before.get(key)), m.paramL2().get(key));
            int layer = Integer.parseInt(key.substring(0, key.indexOf('_')));
            layerSq.merge(layer, 0.0, Double::sum);
            if (!loss) continue;
            globalSq += (norm / k) * (norm / k);
            layerSq.merge(layer, (norm / k) * (norm / k), Double::sum);
            maxAbs = Math.max(maxAbs, gp.amaxNumber().doubleValue() / k);
        }
        int layersWithParams = 0;
        for (int i = 0; i < net.getnLayers(); i++) if (net.getLayer(i).numParams() > 0) layersWithParams++;
        assertEquals(layersWithParams, m.gradL2Layer().length, at + "one figure per layer with parameters");
        assertEquals(layersWithParams, layerSq.size());
        int l = 0;
        for (double sq : layerSq.values()) assertClose(at + "gradL2Layer[" + l + "]", Math.sqrt(sq), m.gradL2Layer()[l++]);
        assertClose(at + "gradL2Global", Math.sqrt(globalSq), m.gradL2Global());
        assertClose(at + "gradMaxAbs", maxAbs, m.gradMaxAbs());
        assertEquals(0, m.gradNonFinite());
        if (!(net.getUpdater(false) instanceof HookedUpdater)) {
            assertClose(at + "nothing clips: applied = raw", m.gradL2Global(), m.gradL2GlobalClipped());
            assertFalse(m.clipped());
        }
        return m;
    }

    private static double gradientOf(MultiLayerNetwork net, DataSet ds, String key) {
        MultiLayerNetwork clone = net.clone();
        clone.setInput(ds.getFeatures());
        clone.setLabels(ds.getLabels());
        clone.computeGradientAndScore();
        return l2(clone.gradient().gradientForVariable().get(key));
    }

    private static void assertUserListenerKept(MultiLayerNetwork net, CountingListener user, int steps) {
        assertEquals(steps, user.iterations, "the user's listener saw every step");
        assertTrue(net.getListeners().stream().anyMatch(t -> t == user), "the user's listener is still on the network");
        Set<Class<?>> kinds = new HashSet<>();
        net.getListeners().forEach(t -> kinds.add(t.getClass()));
        assertTrue(kinds.contains(ExplosionMonitor.class), "the monitor is one of the listeners");
    }

    /** Same shape, same float32 values, bit for bit. */
    static void assertBitwiseEqual(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        float[] e = expected.reshape(expected.length()).toFloatVector();
        float[] a = actual.reshape(actual.length()).toFloatVector();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(a[i])) {
                throw new AssertionError(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
            }
        }
    }

    private static String paramName(String key) {
        return key.substring(key.indexOf('_') + 1);
    }

    private static void assertClose(String what, double expected, Double actual) {
        assertTrue(actual != null, what + " missing");
        double tol = Math.max(1e-9, REL * Math.abs(expected));
        assertEquals(expected, actual, tol, what);
    }

    /** The user's own listener: counts the steps it is told about. */
    static final class CountingListener extends BaseTrainingListener {
        int iterations;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterations++;
        }
    }
}
