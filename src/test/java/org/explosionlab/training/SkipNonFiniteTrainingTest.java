package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.explosionlab.testing.BitIdentical.assertBitIdentical;
import static org.explosionlab.testing.BitIdentical.updaterState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Skip-non-finite end to end through DL4J's own {@code fit}: the seed-baseline network (Adam) with
 * {@code --set skipNonFinite=true} trains one clean MNIST minibatch, then meets a poisoned one (one
 * NaN pixel: NaN × w spreads through every unit, so the loss and the gradient are NaN). The skipped
 * step must leave the parameters and Adam's m and v bit for bit as they were (Optax
 * {@code apply_if_finite}), and be recorded as skipped.
 */
class SkipNonFiniteTrainingTest {
    private static DataSet clean;
    private static DataSet clean2;
    private static DataSet poisoned;

    @BeforeAll
    static void batches() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        DataSetIterator it = DatasetResolver.resolve(spec.training().dataset()).trainIterator(spec.training().batchSize(), spec.training().seed(), 3);
        clean = it.next();
        clean2 = it.next();
        poisoned = it.next().copy();
        poisoned.getFeatures().putScalar(0, 300, Double.NaN);   // example 0, pixel 300
    }

    /** The spec's network with its remedies installed and the monitor attached, as the trainer does. */
    private record Monitored(MultiLayerNetwork network, RemedyChain remedies) {
        boolean skipGaveUp() {
            return remedies.gaveUp();
        }
    }

    private static Monitored network(List<String> overrides, List<IterationMetrics> sink) {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), overrides);
        MultiLayerNetwork net = NetworkFactory.build(spec);
        RemedyChain remedies = RemedyChain.of(spec).installOn(net);
        ExplosionMonitor.builder().sink(sink::add).attach(net);
        return new Monitored(net, remedies);
    }

    @Test
    void aSkippedStepLeavesParametersAndAdamStateBitIdentical() {
        List<IterationMetrics> metrics = new ArrayList<>();
        Monitored in = network(List.of("skipNonFinite=true"), metrics);
        MultiLayerNetwork net = in.network();
        net.fit(clean);
        float[] params = net.params().toFloatVector();
        float[] state = updaterState(net);
        assertTrue(anyNonZero(state), "after one Adam step m and v are non-zero, so an unchanged state means something");

        net.fit(poisoned);

        assertBitIdentical("parameters", params, net.params().toFloatVector());
        assertBitIdentical("updater state (Adam m, v)", state, updaterState(net));
        assertEquals(2, metrics.size());
        IterationMetrics first = metrics.get(0);
        IterationMetrics skipped = metrics.get(1);
        assertFalse(first.skipped());
        assertEquals(0, first.gradNonFinite());
        assertTrue(skipped.skipped());
        assertTrue(skipped.gradNonFinite() > 0, "grad_nonfinite = " + skipped.gradNonFinite());
        assertTrue(Double.isNaN(skipped.loss()));
        assertTrue(Double.isNaN(skipped.gradL2Global()));
        assertFalse(in.skipGaveUp());

        // training goes on: the next clean batch is applied
        net.fit(clean2);
        float[] after = net.params().toFloatVector();
        assertFalse(metrics.get(2).skipped());
        assertTrue(allFinite(after));
        assertFalse(bitIdentical(params, after), "a clean step after a skipped one updates the parameters");
    }

    @Test
    void givesUpAfterMaxConsecutiveSkips() {
        List<IterationMetrics> metrics = new ArrayList<>();
        Monitored in = network(List.of("skipNonFinite=true"), metrics);
        int max = Presets.load("seed-baseline").skip().maxConsecutiveSkips();
        MultiLayerNetwork net = in.network();
        net.fit(clean);
        float[] params = net.params().toFloatVector();
        for (int i = 1; i <= max; i++) {
            net.fit(poisoned);
            assertTrue(metrics.get(metrics.size() - 1).skipped(), "poisoned batch " + i + " skipped");
            assertEquals(i == max, in.skipGaveUp(), "gave up after poisoned batch " + i + " of " + max);
        }
        assertBitIdentical("parameters after " + max + " skipped steps", params, net.params().toFloatVector());
    }

    @Test
    void withoutSkippingTheParametersBecomeNonFinite() {
        List<IterationMetrics> metrics = new ArrayList<>();
        MultiLayerNetwork net = network(List.of(), metrics).network();
        net.fit(clean);
        assertTrue(allFinite(net.params().toFloatVector()));
        net.fit(poisoned);
        IterationMetrics m = metrics.get(1);
        assertFalse(m.skipped());
        assertTrue(m.gradNonFinite() > 0);
        assertFalse(allFinite(net.params().toFloatVector()), "the NaN gradient was applied to the weights");
        assertFalse(allFinite(updaterState(net)), "and to Adam's moments");
    }



    private static boolean bitIdentical(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) return false;
        return a.length == b.length;
    }

    private static boolean anyNonZero(float[] v) {
        for (float x : v) if (x != 0) return true;
        return false;
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) if (!Float.isFinite(x)) return false;
        return true;
    }
}
