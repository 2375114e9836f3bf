package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.Remedies;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.RunResults;
import org.explosionlab.training.Trainer;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import static org.explosionlab.testing.BitIdentical.assertBitIdentical;
import static org.explosionlab.testing.BitIdentical.updaterState;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Spike skipping end to end through DL4J's own {@code fit}: the seed-baseline network (Adam) with
 * {@code Remedies.spikeSkip()} (σ 6, window 128, acting from 20 steps) trains 20 clean MNIST
 * minibatches, then one whose pixels are scaled by 40. That step must be skipped: parameters and
 * Adam's m and v bit for bit as they were, recorded as skipped with a spike reason. The next clean
 * step is applied. The Trainer counts the skips in summary.json's results.
 */
class SpikeSkipTrainingTest {
    private static final int MIN_STEPS = 20;

    @Test
    void aSpikeStepLeavesParametersAndAdamStateBitIdentical() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        DataSetIterator it = DatasetResolver.resolve(spec.training().dataset()).trainIterator(spec.training().batchSize(), spec.training().seed(), MIN_STEPS + 2);
        List<DataSet> batches = new ArrayList<>();
        while (it.hasNext()) batches.add(it.next());
        DataSet spike = batches.get(MIN_STEPS).copy();
        spike.getFeatures().muli(40);

        MultiLayerNetwork net = NetworkFactory.build(spec);
        SpikeSkip skip = (SpikeSkip) Remedies.spikeSkip();
        skip.installOn(net);
        List<IterationMetrics> m = new ArrayList<>();
        ExplosionMonitor monitor = ExplosionMonitor.builder().sink(m::add).attach(net);
        for (int i = 0; i < MIN_STEPS; i++) net.fit(batches.get(i));
        assertTrue(m.stream().noneMatch(IterationMetrics::skipped), "no skip before the window holds 20 steps");
        // the loss the remedy saw is DL4J's score of the step, the one the monitor records
        double[] window = skip.state().losses();
        assertEquals(m.get(MIN_STEPS - 1).loss(), window[window.length - 1], 0);
        assertEquals(m.get(MIN_STEPS - 1).gradL2Global(), skip.state().norms()[window.length - 1], 1e-6 * m.get(MIN_STEPS - 1).gradL2Global());

        float[] params = net.params().toFloatVector();
        float[] state = updaterState(net);
        net.fit(spike);
        IterationMetrics s = m.get(MIN_STEPS);
        assertTrue(s.skipped(), "the ×40 batch is skipped");
        assertTrue(s.skipReason().endsWith("spike"), s.skipReason());
        assertFalse(s.clipped());
        assertBitIdentical("parameters", params, net.params().toFloatVector());
        assertBitIdentical("updater state (Adam m, v)", state, updaterState(net));
        assertEquals(1, skip.total());
        assertTrue(s.gradL2Global() > 10 * m.get(MIN_STEPS - 1).gradL2Global(), "a real spike: " + s.gradL2Global());
        // the detector judges the raw gradient, but a spike the next steps shrug off (it was skipped) is not confirmed
        // as an explosion until they do (PendingSpike): here the run ends one step later, so it stands for now
        assertEquals(List.of(org.explosionlab.spec.EventKind.EXPLOSION),
                monitor.verdict().events().stream().map(e -> e.kind()).toList(), "the raw spike is judged");
        assertEquals(MIN_STEPS, monitor.verdict().events().get(0).iteration());
        for (int i = 0; i < 5; i++) net.fit(batches.get(MIN_STEPS + 1));
        assertTrue(monitor.verdict().events().isEmpty(), "the skipped spike changed nothing: no explosion");

        assertFalse(m.get(MIN_STEPS + 1).skipped());
        assertNull(m.get(MIN_STEPS + 1).skipReason());
        assertFalse(java.util.Arrays.equals(params, net.params().toFloatVector()), "the next clean step is applied");
    }

    @Test
    void theTrainerCountsSpikeSkipsInTheSummary() {
        // σ = 0.5 makes ordinary noise a "spike", so a short run skips some steps
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"),
                List.of("spikeSkip=true", "spikeSkipSigma=0.5", "epochs=1"));
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        RunResult r = new Trainer(null).run(spec, data, RunOptions.inMemory(40));
        long recorded = r.metrics().stream().filter(IterationMetrics::skipped).count();
        assertTrue(recorded > 0, "some steps skipped at σ = 0.5");
        assertTrue(r.metrics().subList(0, MIN_STEPS).stream().noneMatch(IterationMetrics::skipped));
        RunResults res = r.summary().results();
        assertEquals(recorded, res.skippedSpike());
        assertEquals(recorded, res.skippedSteps());
        assertEquals(0, res.skippedNonFinite());
    }


}
