package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explosionlab.data.DatasetResolver;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.sweep.LayerGradientProfile;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.Test;

class W6DepthEffectTest {
    private static final int BATCHES = 10;

    @Test
    void theBuilderLoopIsTheDeepPreset() {
        ExperimentSpec deep = Presets.load("deep");
        assertEquals(NetworkFactory.configuration(deep).toJson(), W6DepthEffect.configuration().toJson());
        assertEquals(deep.layers().layerSizes(), W6DepthEffect.layerSizes());
    }

    @Test
    void layerNormsGrowTowardTheInputAsInTheCliRun() {
        W6DepthEffect.Result r = W6DepthEffect.run("--max-batches", String.valueOf(BATCHES));
        assertEquals(W6DepthEffect.HIDDEN_LAYERS + 1, r.profile().layers());
        assertEquals(BATCHES, r.profile().iterations(), "all 10 iterations of the short run");
        assertTrue(r.profile().factorPerLayer() > 1.1, r.profile().toString());
        assertTrue(r.profile().medianNorm()[0] > 10 * r.profile().medianNorm()[W6DepthEffect.HIDDEN_LAYERS - 1], r.profile().toString());
        assertEquals(0L, r.verdict().firstIteration(), "above the ceiling from the first step, as the preset says");
        // the CLI's run of the preset records the same per-layer norms
        RunResult cli = new Trainer(null).run(SpecOverrides.with(Presets.load("deep"), "epochs", 1),
                DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET), RunOptions.inMemory(BATCHES));
        assertEquals(LayerGradientProfile.of(cli.metrics(), W6DepthEffect.PROFILE_ITERATIONS), r.profile());
        assertEquals(cli.summary().verdict(), r.verdict());
    }
}
