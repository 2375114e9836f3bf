package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.RunResults;
import org.explosionlab.training.Trainer;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * ZClip end to end through DL4J's own {@code fit}: the seed-baseline network (Adam) with
 * {@code --set clipping=zclip zClipWarmupSteps=5} trains five MNIST minibatches of warm-up, then
 * one whose pixels are scaled by 40 (a gradient spike), then clean ones again. From the raw norms the
 * monitor recorded, the test recomputes the EMA (μ, σ² of the warm-up norms, then the α = 0.97
 * updates) and checks that the norm the optimizer received is the rule's bound
 * μ + (2.5/z)·σ on the spike and the raw norm elsewhere.
 */
class ZClipTrainingTest {
    private static final int WARMUP = 5;
    private static final double ALPHA = 0.97;
    private static final double Z = 2.5;

    @Test
    void theSpikeIsClippedToTheReciprocalBoundAndTheRestPassesUnchanged() {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"),
                List.of("clipping=zclip", "zClipWarmupSteps=" + WARMUP));
        DataSetIterator it = DatasetResolver.resolve(spec.training().dataset()).trainIterator(spec.training().batchSize(), spec.training().seed(), WARMUP + 3);
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) batches.add(it.next());
        DataSet spike = batches.get(WARMUP).copy();
        spike.getFeatures().muli(40);
        batches.set(WARMUP, spike);

        MultiLayerNetwork net = NetworkFactory.build(spec);
        RemedyChain.of(spec).installOn(net);
        List<IterationMetrics> m = new ArrayList<>();
        ExplosionMonitor.builder().sink(m::add).attach(net);
        for (DataSet b : batches) net.fit(b);
        assertEquals(WARMUP + 3, m.size());

        double mean = 0;
        for (int i = 0; i < WARMUP; i++) {
            assertFalse(m.get(i).clipped(), "warm-up step " + i + " is not clipped (no cap)");
            assertEquals(m.get(i).gradL2Global(), m.get(i).gradL2GlobalClipped(), 0);
            mean += m.get(i).gradL2Global();
        }
        mean /= WARMUP;
        double var = 0;
        for (int i = 0; i < WARMUP; i++) var += Math.pow(m.get(i).gradL2Global() - mean, 2);
        var /= WARMUP;

        for (int i = WARMUP; i < m.size(); i++) {
            double g = m.get(i).gradL2Global();
            double sd = Math.sqrt(var);
            double z = (g - mean) / (sd + 1e-6);
            double target = z > Z ? mean + (Z / z) * sd : g;
            if (i == WARMUP) {
                assertTrue(z > 10, "the ×40 batch is a spike: z = " + z);
                assertTrue(m.get(i).clipped());
                assertEquals(target, m.get(i).gradL2GlobalClipped(), 1e-4 * target, "clipped to μ + (2.5/z)σ");
                assertTrue(target < 2 * mean, "the bound lies near the EMA mean " + mean + ": " + target);
            } else {
                assertFalse(m.get(i).clipped(), "clean step " + i + " after the spike, z = " + z);
                assertEquals(g, m.get(i).gradL2GlobalClipped(), 0);
            }
            // the monitor's norms come from ND4J's float reductions, ZClip's from a double sum: equal to ~1e-7
            assertEquals(mean + Z * (sd + 1e-6), m.get(i).clipThreshold(), 1e-6 * mean, "threshold reported at step " + i);
            mean = ALPHA * mean + (1 - ALPHA) * target;
            var = ALPHA * var + (1 - ALPHA) * (target - mean) * (target - mean);
        }
    }

    /** The checkpoint's JSON (Checkpoint's plain Jackson mapper) carries ZClip's EMA and spike skipping's window. */
    @Test
    void remedyStateSurvivesTheCheckpointJson() throws Exception {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), List.of("clipping=zclip", "spikeSkip=true"));
        RemedyChain chain = RemedyChain.of(spec);
        RemedyChain.State state = new RemedyChain.State(null, 0, 0,
                new ZClip.State(true, 2.0, 0.5, new double[0]),
                new SpikeSkip.State(new double[] {1.0, 1.2}, new double[] {0.9, 1.1}, 3, 2, 1));
        chain.restore(state);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        RemedyChain.State back = json.readValue(json.writeValueAsString(chain.state()), RemedyChain.State.class);
        assertTrue(back.zClip().initialized());
        assertEquals(2.0, back.zClip().mean());
        assertEquals(0.5, back.zClip().variance());
        assertEquals(List.of(1.0, 1.2), java.util.Arrays.stream(back.spikeSkip().losses()).boxed().toList());
        assertEquals(List.of(0.9, 1.1), java.util.Arrays.stream(back.spikeSkip().norms()).boxed().toList());
        assertEquals(3, back.spikeSkip().total());
        RemedyChain resumed = RemedyChain.of(spec);
        resumed.restore(back);
        assertEquals(3, resumed.spikeSkips());
        // a checkpoint written before these remedies existed has neither field
        RemedyChain.State old = json.readValue("{\"autoClipHistory\":null,\"skipConsecutive\":0,\"skipTotal\":0}", RemedyChain.State.class);
        RemedyChain.of(spec).restore(old);
    }
}
