package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunSummary;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class W5RemediesTest {
    private static final int BATCHES = 5;
    private static W5Remedies.Result result;

    @BeforeAll
    static void runOnce() {
        result = W5Remedies.run("--max-batches", String.valueOf(BATCHES));
    }

    @Test
    void everyRemedyPresetOfBadInitIsATreatment() {
        List<String> presets = Presets.names().stream().filter(n -> n.equals("bad-init") || n.startsWith("bad-init-")).toList();
        assertEquals(presets, W5Remedies.treatments().stream().map(W5Remedies.Treatment::name).toList());
        for (W5Remedies.Treatment t : W5Remedies.treatments()) {
            assertEquals(NetworkFactory.configuration(Presets.load(t.name())).toJson(), t.configuration().toJson(), t.name());
        }
    }

    /** The installed remedies are not in the configuration JSON: compare the runs with the CLI's, which installs them from the spec. */
    @Test
    void eachRowEqualsTheCliRunOfItsPreset() {
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        for (W5Remedies.Row row : result.rows()) {
            RunSummary cli = new Trainer(null).run(SpecOverrides.with(Presets.load(row.run()), "epochs", 1), data,
                    RunOptions.inMemory(BATCHES)).summary();
            assertEquals(cli.verdict(), row.verdict(), row.run());
            assertEquals(cli.results().maxGradL2Global(), row.maxRawNorm(), 0, row.run());
            assertEquals(cli.results().testAccuracy(), row.testAccuracy(), 0, row.run());
        }
    }

    @Test
    void clippingRemediesKeepTheUsedGradientSmall() {
        W5Remedies.Result r = result;
        assertEquals("explosion", r.row("bad-init").kind());
        assertEquals(0L, r.row("bad-init").verdict().firstIteration());
        // a clip keeps the update small, but the raw gradient still explodes at the first step: never healthy
        for (String clipped : List.of("bad-init-clip-global", "bad-init-clip-layer", "bad-init-clip-value", "bad-init-agc")) {
            assertTrue(r.row(clipped).verdict().exploded(), clipped + ": " + r.row(clipped).verdict().summary());
            assertFalse(r.row(clipped).verdict().healthy(), clipped);
        }
        assertFalse(r.row("bad-init-he-init").verdict().exploded(), "He init treats the cause: " + r.row("bad-init-he-init"));
        // DL4J's epoch listeners fired next to the monitor: one epoch-end evaluation (the same accuracy as the test
        // set's) and one checkpoint per run
        for (W5Remedies.Row row : r.rows()) {
            assertEquals(List.of(row.testAccuracy()), row.epochEndAccuracy(), row.run());
            assertEquals(1, row.checkpoints(), row.run());
        }
        W5Remedies.Row global = r.row("bad-init-clip-global");
        assertTrue(global.maxRawNorm() > W4ExplosionReproduced.EXPLOSION_CEILING, "the raw gradient is as huge as untreated: " + global);
        assertEquals(1.0, global.maxAppliedNorm(), 1e-5, "the optimizer only ever gets norm tau = 1");
        assertEquals(1.0, global.clipRate(), 0, "the raw global norm (~300) is above 1 at every step");
        // ClipL2PerLayer: each of the 3 layers at most 1, so the whole network at most sqrt(3)
        assertTrue(r.row("bad-init-clip-layer").maxAppliedNorm() <= Math.sqrt(3) + 1e-5, r.row("bad-init-clip-layer").toString());
        assertTrue(r.row("bad-init-he-init").maxRawNorm() < 10, "He init fixes the cause: the raw norm itself stays small");
        assertEquals(0, r.row("bad-init-he-init").clipRate(), 0);
        // max-norm constrains weights after the update: the first (raw) gradient is still flagged
        assertEquals("explosion", r.row("bad-init-max-norm").kind());
        // the two that act too late for bad-init's first step
        assertEquals("explosion", r.row("bad-init-autoclip").kind());
        assertEquals("explosion", r.row("bad-init-lr-decay").kind());
    }
}
