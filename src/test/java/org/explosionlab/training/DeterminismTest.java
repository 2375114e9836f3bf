package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec's seed fixes everything random: two runs of the same spec train to bit-identical
 * parameters and record bit-identical losses and gradient norms; another seed gives other weights.
 * One epoch of {@value #BATCHES} minibatches each, through the production {@link Trainer}.
 */
class DeterminismTest {
    private static final int BATCHES = 30;
    private static MnistLikeDataset data;

    @BeforeAll
    static void load() {
        data = DatasetResolver.resolve("mnist-embedded");
    }

    private static RunResult train(ExperimentSpec spec) {
        return new Trainer(null).run(spec, data, RunOptions.inMemory(BATCHES));
    }

    private static float[] params(RunResult r) {
        return r.network().params().toFloatVector();
    }

    private static double[] losses(RunResult r) {
        return r.metrics().stream().mapToDouble(IterationMetrics::loss).toArray();
    }

    private static double[] globalNorms(RunResult r) {
        return r.metrics().stream().mapToDouble(IterationMetrics::gradL2Global).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed-baseline", "bad-init-clip-global"})
    void sameSeedSameSpecGivesBitIdenticalTraining(String preset) {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load(preset), List.of("epochs=1"));
        RunResult first = train(spec);
        RunResult second = train(spec);
        assertEquals(BATCHES, first.summary().results().iterations());
        assertEquals(BATCHES, first.metrics().size());
        float[] p1 = params(first);
        float[] p2 = params(second);
        assertEquals(NetworkFactory.build(spec).numParams(), p1.length);
        // Arrays.equals compares floats by their bits (Float.floatToIntBits)
        assertTrue(Arrays.equals(p1, p2), "parameters differ after " + BATCHES + " identical steps");
        assertArrayEquals(losses(first), losses(second), 0.0);
        assertArrayEquals(globalNorms(first), globalNorms(second), 0.0);
        assertEquals(first.summary().results().testAccuracy(), second.summary().results().testAccuracy(), 0.0);
        assertFalse(Arrays.equals(NetworkFactory.build(spec).params().toFloatVector(), p1), "training changed the parameters");
    }

    @Test
    void anotherSeedGivesOtherParameters() {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), List.of("epochs=1"));
        ExperimentSpec other = SpecOverrides.apply(spec, List.of("seed=43"));
        float[] p1 = params(train(spec));
        float[] p2 = params(train(other));
        assertEquals(p1.length, p2.length);
        int same = 0;
        for (int i = 0; i < p1.length; i++) if (p1[i] == p2[i]) same++;
        // only parameters that never moved from an equal start can agree: the zero-initialised biases of dead units
        assertTrue(same < p1.length / 100, same + " of " + p1.length + " parameters equal across seeds");
    }
}
