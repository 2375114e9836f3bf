package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.Test;

class W7EarlyWarningTest {
    private static final int BATCHES = 30;

    @Test
    void theBuilderIsTheHighLrPresetWithSeed43() {
        var spec = SpecOverrides.apply(Presets.load("high-lr"), List.of("seed=43"));
        assertEquals(NetworkFactory.configuration(spec).toJson(), W7EarlyWarning.configuration().toJson());
    }

    @Test
    void theSharpnessWarnsBeforeTheOnsetAndMatchesTheCliRun() {
        W7EarlyWarning.Result r = W7EarlyWarning.run("--max-batches", String.valueOf(BATCHES), "--epochs", "1");
        assertTrue(r.onset() > 0, "an onset in the first " + BATCHES + " iterations");
        assertTrue(r.lead() > 0, "a warning before the onset");
        assertEquals("sharpness", r.warnings().get(0).signal());
        assertTrue(r.warnings().get(0).value() >= r.warnings().get(0).threshold());
        assertEquals(2.0 / W7EarlyWarning.LEARNING_RATE, r.warnings().get(0).threshold(), 1e-12, "2/η");
        // the CLI's run of the preset measures the same sharpness at the same iterations
        var spec = SpecOverrides.apply(Presets.load("high-lr"), List.of("seed=43", "epochs=1", "earlyWarning=true", "sharpnessEvery=2"));
        RunResult cli = new Trainer(null).run(spec, DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET), RunOptions.inMemory(BATCHES));
        assertEquals(cli.metrics().stream().map(IterationMetrics::sharpness).toList(), r.rows().stream().map(IterationMetrics::sharpness).toList());
        assertEquals(cli.summary().verdict().warnings(), r.verdict().warnings());
    }
}
