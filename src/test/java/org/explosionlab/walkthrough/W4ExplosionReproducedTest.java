package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunSummary;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class W4ExplosionReproducedTest {
    private static final int BATCHES = 10;
    private static W4ExplosionReproduced.Result result;

    @BeforeAll
    static void runOnce() {
        result = W4ExplosionReproduced.run("--max-batches", String.valueOf(BATCHES), "--epochs", "1");
    }

    @Test
    void inlineConfigurationsAreThePresets() {
        for (String run : W4ExplosionReproduced.RUNS) {
            assertEquals(NetworkFactory.configuration(Presets.load(run)).toJson(), W4ExplosionReproduced.configuration(run).toJson(), run);
            assertEquals(Presets.load(run).detector().explosionCeiling(), W4ExplosionReproduced.EXPLOSION_CEILING, run);
            assertEquals(Presets.load(run).training().epochs(), W4ExplosionReproduced.EPOCHS, run);
        }
    }

    @Test
    void eachRowEqualsTheCliRunOfItsPreset() {
        W4ExplosionReproduced.Result r = result;
        assertEquals(W4ExplosionReproduced.RUNS, r.rows().stream().map(W4ExplosionReproduced.Row::run).toList());
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        for (String run : W4ExplosionReproduced.RUNS) {
            // what `explosion-lab train --preset RUN --epochs 1 --max-batches 10` runs
            ExperimentSpec spec = SpecOverrides.with(Presets.load(run), "epochs", 1);
            RunSummary cli = new Trainer(null).run(spec, data, RunOptions.inMemory(BATCHES)).summary();
            W4ExplosionReproduced.Row row = r.row(run);
            assertEquals(cli.verdict(), row.verdict(), run);
            assertEquals(cli.results().maxGradL2Global(), row.maxGradNorm(), 0, run);
            assertEquals(cli.results().testAccuracy(), row.testAccuracy(), 0, run);
            assertEquals(cli.results().iterations(), row.iterations(), run);
        }
    }

    @Test
    void badInitExplodesAtItsFirstStepTheBaselineDoesNot() {
        W4ExplosionReproduced.Result r = result;
        W4ExplosionReproduced.Row base = r.row("seed-baseline");
        assertFalse(base.verdict().exploded(), base.toString());
        assertTrue(base.maxGradNorm() < 10, "baseline norms stay in single digits: " + base);
        W4ExplosionReproduced.Row bad = r.row("bad-init");
        assertEquals("explosion", bad.kind());
        assertEquals(0L, bad.firstIteration());
        assertTrue(bad.maxGradNorm() > W4ExplosionReproduced.EXPLOSION_CEILING && bad.maxGradNorm() > 30 * base.maxGradNorm(),
                "far above the baseline: " + bad);
        assertEquals(BATCHES, bad.iterations());
    }

    @Test
    void rejectsUnknownArguments() {
        assertThrows(IllegalArgumentException.class, () -> W4ExplosionReproduced.run("--max-batches"));
        assertThrows(IllegalArgumentException.class, () -> W4ExplosionReproduced.run("--fast"));
        assertThrows(IllegalArgumentException.class, () -> W4ExplosionReproduced.run("--epochs", "0"));
    }
}
