package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.InMemoryBatchIterator;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.run.Checkpoint;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Trainer trains with {@code net.fit(iterator, epochs)} ({@link FitLoop}) and must train exactly what
 * its earlier loop trained: {@code reset()} before every epoch, then {@code net.fit(batch)} per minibatch
 * and {@code incrementEpochCount()} by hand. {@link #perBatchLoop} is that loop, kept here as the
 * reference: same minibatches in the same order, so {@code metrics.jsonl} is byte for byte the same and
 * the parameters bit for bit. Also: a stop rule still ends the run between two steps, and a run resumed
 * from an epoch-end or a mid-epoch checkpoint ends like the uninterrupted one.
 */
class FitLoopTest {
    private static final List<String> BLOW_UP = List.of("updater=SGD", "learningRate=1e30");
    private static MnistLikeDataset data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() {
        data = DatasetResolver.resolve("mnist-embedded");
    }

    private static ExperimentSpec spec(String preset, List<String> more, String... overrides) {
        List<String> all = new java.util.ArrayList<>(more);
        all.addAll(List.of(overrides));
        return SpecOverrides.apply(Presets.load(preset), all);
    }

    /** The Trainer's loop before it used fit(iterator, epochs), at most {@code maxSteps} steps; metrics to {@code dir}. */
    private static MultiLayerNetwork perBatchLoop(ExperimentSpec spec, int maxBatches, int maxSteps, Path dir) {
        MultiLayerNetwork net = NetworkFactory.build(spec);
        RemedyChain.of(spec).installOn(net);
        int steps = 0;
        try (ExplosionMonitor monitor = ExplosionMonitor.builder().every(spec.recording().metricsEvery())
                .recordActivations(spec.recording().recordActivations()).runDirectory(dir).attach(net)) {
            InMemoryBatchIterator train = data.trainIterator(spec.training().batchSize(), spec.training().seed(), maxBatches);
            for (int epoch = 0; epoch < spec.training().epochs() && steps < maxSteps; epoch++) {
                train.reset();
                while (train.hasNext() && steps < maxSteps) {
                    net.fit(train.next());
                    steps++;
                }
                if (steps < maxSteps) net.incrementEpochCount();     // the old loop broke out before counting a stopped epoch
            }
        }
        return net;
    }

    private static float[] params(MultiLayerNetwork net) {
        return net.params().toFloatVector();
    }

    @Test
    void everyEpochTrainsTheMinibatchesOfThePerBatchLoopInItsOrder() throws Exception {
        ExperimentSpec spec = spec("seed-baseline", List.of(), "epochs=3");
        Path run = Files.createDirectories(tmp.resolve("run"));
        RunResult r = new Trainer(null).run(spec, data, new RunOptions(run, 12, 0, 5, "test"));
        Path reference = Files.createDirectories(tmp.resolve("reference"));
        MultiLayerNetwork expected = perBatchLoop(spec, 12, Integer.MAX_VALUE, reference);

        assertEquals(Files.readString(reference.resolve("metrics.jsonl")), Files.readString(run.resolve("metrics.jsonl")),
                "metrics.jsonl of fit(iterator, epochs) and of the per-batch loop");
        assertTrue(Arrays.equals(params(expected), params(r.network())), "parameters differ from the per-batch loop's");
        assertEquals(36, r.summary().results().iterations());
        assertEquals(3, r.summary().results().epochsCompleted());
        assertEquals(3, r.network().getEpochCount(), "DL4J counted the epochs");
        assertTrue(r.network().getListeners().isEmpty(), "the returned network keeps no listener of the run");
    }

    @Test
    void aStopRuleAtAnEpochsLastBatchEndsTheRunBeforeTheEpochEnds() throws Exception {
        ExperimentSpec spec = spec("seed-baseline", BLOW_UP, "epochs=2", "stopOn=nonfinite");
        Path run = Files.createDirectories(tmp.resolve("run"));
        // two minibatches per epoch: step 1 (the epoch's last) is non-finite
        RunResult r = new Trainer(null).run(spec, data, new RunOptions(run, 2, 0, 1, "test"));
        RunResults res = r.summary().results();
        assertEquals("stopOn nonfinite at iteration 1", res.stopReason());
        assertTrue(res.stoppedEarly());
        assertEquals(2, res.iterations());
        assertEquals(0, res.epochsCompleted(), "the stop comes before the epoch's end");
        assertEquals(0, r.network().getEpochCount());
        MultiLayerNetwork expected = perBatchLoop(spec, 2, 2, Files.createDirectories(tmp.resolve("reference")));
        assertTrue(Arrays.equals(params(expected), params(r.network())), "the parameters of the step that raised the event");
        assertEquals(2, r.metrics().size());
    }

    /** A console that ends the run, like a kill, when the progress line of iteration {@code at} is shown. */
    private static TrainingConsole killedAt(long at) {
        return (every, total, epochs, batchSize) -> m -> {
            if (m.iteration() % every == 0 && m.iteration() == at) throw new Killed();
        };
    }

    private static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @ParameterizedTest(name = "checkpointEvery={0}")
    @ValueSource(ints = {0, 4})      // 0: the last checkpoint is epoch 0's end; 4: iteration 12, mid-epoch 1
    void aResumedRunEndsLikeTheUninterruptedOne(int checkpointEvery) throws Exception {
        ExperimentSpec spec = spec("seed-baseline", List.of(), "epochs=3", "clipping=autoclip");
        int maxBatches = 10;
        Path whole = Files.createDirectories(tmp.resolve("whole"));
        RunResult uninterrupted = new Trainer(null).run(spec, data, new RunOptions(whole, maxBatches, 0, checkpointEvery, "test"));

        Path killed = Files.createDirectories(tmp.resolve("killed"));
        assertThrows(Killed.class, () -> new Trainer(killedAt(15)).run(spec, data,
                new RunOptions(killed, maxBatches, 1, checkpointEvery, "test")));
        Checkpoint cp = Checkpoint.read(killed);
        assertEquals(checkpointEvery == 0 ? List.of(10L, 1, 0) : List.of(12L, 1, 2),
                List.of(cp.iteration(), cp.epoch(), cp.batchesInEpoch()), "iteration, epoch, batches in epoch");
        RunResult resumed = new Trainer(null).resume(killed, data, 0, checkpointEvery);

        assertArrayEquals(params(uninterrupted.network()), params(resumed.network()), "resumed parameters");
        assertEquals(Files.readString(whole.resolve("metrics.jsonl")), Files.readString(killed.resolve("metrics.jsonl")),
                "metrics.jsonl, the epoch of every row included");
        assertEquals(3, resumed.summary().results().epochsCompleted());
        assertEquals(3, resumed.network().getEpochCount());
    }
}
