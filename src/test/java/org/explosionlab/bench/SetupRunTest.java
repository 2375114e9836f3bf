package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.FusedAdam;
import org.explosionlab.network.InPlaceMultiLayerUpdater;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.training.MetricsListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.Adam;

/** Each setup really trains the way its row says, on a few minibatches. */
class SetupRunTest {
    private static final int BATCHES = 3;
    private static ExperimentSpec spec;
    private static MnistLikeDataset data;

    @BeforeAll
    static void load() {
        spec = Presets.load("seed-baseline");
        data = DatasetResolver.resolve("mnist-embedded");
    }

    @Test
    void plainDl4jUsesDl4jsAdamAndUpdaterAndTheListIterator() {
        SetupRun run = new SetupRun(BenchSetup.PLAIN, spec, data, 32, BATCHES);
        MultiLayerNetwork net = run.network();
        assertInstanceOf(Adam.class, ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater());
        assertEquals(org.deeplearning4j.nn.updater.MultiLayerUpdater.class, net.getUpdater().getClass());
        assertEquals(BATCHES, run.batchesPerEpoch());
        EpochTiming t = run.epoch();
        assertEquals(BATCHES * 32, t.examples());
        assertEquals(BATCHES, net.getIterationCount());
        assertTrue(t.wallNanos() > 0);
    }

    @Test
    void tunedUsesFusedAdamInPlaceUpdaterAndPreBatchedIterator() {
        SetupRun run = new SetupRun(BenchSetup.TUNED, spec, data, 128, BATCHES);
        assertInstanceOf(FusedAdam.class, ((BaseLayer) run.network().getLayer(0).conf().getLayer()).getIUpdater());
        assertInstanceOf(InPlaceMultiLayerUpdater.class, run.network().getUpdater());
        assertEquals(BATCHES * 128, run.epoch().examples());
        assertEquals(BATCHES * 128, run.epoch().examples());
        assertEquals(2 * BATCHES, run.network().getIterationCount());
    }

    @Test
    void theDefaultRunsTheNativeKernelAndBjTheJavaOne() {
        if (!"false".equalsIgnoreCase(System.getProperty(FusedAdam.NATIVE_PROPERTY, "true").trim())) {
            assertEquals("native", new SetupRun(BenchSetup.TUNED, spec, data, 32, BATCHES).adamKernel(), "built by mvn compile");
        }
        String before = System.getProperty(FusedAdam.NATIVE_PROPERTY);
        SetupRun java = new SetupRun(BenchSetup.JAVA_KERNEL, spec, data, 32, BATCHES);
        assertTrue(java.adamKernel().equals("vector") || java.adamKernel().equals("scalar"), java.adamKernel());
        assertEquals(before, System.getProperty(FusedAdam.NATIVE_PROPERTY), "the switch is restored after the build");
        assertEquals(BATCHES * 32, java.steps(BATCHES).examples(), "a block of BATCHES steps");
        assertEquals(32 + 2 * 32, java.steps(3).examples(), "the next block wraps into a new epoch of the feed");
    }

    @Test
    void metricsSetupRecordsEveryIterationThroughTheProjectListener() {
        SetupRun run = new SetupRun(BenchSetup.METRICS, spec, data, 32, BATCHES);
        assertInstanceOf(MetricsListener.class, run.network().getListeners().iterator().next());
        run.epoch();
        assertEquals(BATCHES, run.recordedIterations());
    }

    @Test
    void statsSetupHasDl4jsStatsListener() {
        SetupRun run = new SetupRun(BenchSetup.STATS, spec, data, 32, BATCHES);
        assertInstanceOf(StatsListener.class, run.network().getListeners().iterator().next());
        assertEquals(BATCHES * 32, run.epoch().examples());
    }

    @Test
    void runSetupWarmsUpInWholeEpochsThenMeasures() {
        // 5 warm-up steps at 3 batches per epoch: 2 warm-up epochs, then the 2 measured ones are reported
        ChildReport r = TrainingBenchmark.runSetup(BenchSetup.TUNED, spec, data, 32, 5, 2, BATCHES);
        assertEquals(2, r.epochs().size());
        assertEquals("b", r.setupId());
        assertEquals(BATCHES * 32, r.epochs().get(1).examples());
    }

    /** Setup c4 over 8 steps (iterations 0–7): recorded 0 and 4, unrecorded of the same parity 2 and 6, the odd ones not kept. */
    @Test
    void timedStepsKeepRecordedStepsAndUnrecordedStepsOfTheSameParity() {
        SetupRun run = new SetupRun(BenchSetup.METRICS_EVERY_4, spec, data, 32, 8);
        StepTimes steps = new StepTimes();
        run.timedSteps(steps);
        assertEquals(2, steps.recordedSteps());
        assertEquals(2, steps.unrecordedSteps());
        assertEquals(2, run.recordedIterations(), "the listener recorded iterations 0 and 4");
        assertEquals(8, run.network().getIterationCount());
    }

    @Test
    void timedStepsRefuseSetupsWithoutAMultipleOfFourBetweenRecordedSteps() {
        for (BenchSetup s : new BenchSetup[] {BenchSetup.TUNED, BenchSetup.METRICS, BenchSetup.METRICS_EVERY_10}) {
            SetupRun run = new SetupRun(s, spec, data, 32, 1);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> run.timedSteps(new StepTimes()));
            assertTrue(e.getMessage().endsWith("got setup " + s.id()), e.getMessage());
        }
    }
}
