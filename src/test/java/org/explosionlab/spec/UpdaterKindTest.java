package org.explosionlab.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.explosionlab.network.UpdaterFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * {@link UpdaterKind#reads} against the DL4J updater itself: a field is read exactly when changing it changes the
 * {@link IUpdater} that {@link UpdaterFactory} builds (DL4J's updater configurations compare by value).
 */
class UpdaterKindTest {
    /** One change per optimizer field, away from the seed-baseline's values. */
    private static final Map<String, String> CHANGED = Map.of(
            "learningRate", "'learningRate': 0.002",
            "lrSchedule", "'lrSchedule': {'type': 'tf_exponential_decay', 'decaySteps': 10, 'decayRate': 0.5, 'staircase': false}",
            "beta1", "'beta1': 0.8",
            "beta2", "'beta2': 0.99",
            "epsilon", "'epsilon': 1e-5",
            "momentum", "'momentum': 0.5",
            "rmsDecay", "'rmsDecay': 0.7");

    @ParameterizedTest
    @EnumSource(UpdaterKind.class)
    void readsExactlyTheFieldsItsDl4jUpdaterUses(UpdaterKind kind) {
        assertEquals(UpdaterKind.OPTIMIZER_FIELDS, CHANGED.keySet(), "one change per optimizer field");
        String updater = "'updater': '" + kind + "'";
        IUpdater base = UpdaterFactory.create(TestSpecs.seedWith(updater));
        for (String field : UpdaterKind.OPTIMIZER_FIELDS) {
            ExperimentSpec spec;
            try {
                spec = TestSpecs.seedWith(updater + ", " + CHANGED.get(field));
            } catch (SpecException refused) {                             // e.g. ADADELTA has no learning rate to schedule
                assertFalse(kind.reads(field), kind + " " + field + ": the validator refuses it (" + refused.getMessage() + ")");
                continue;
            }
            assertEquals(!base.equals(UpdaterFactory.create(spec)), kind.reads(field), kind + " " + field);
        }
        assertTrue(kind.reads("batchSize"), "a field that is not the optimizer's");
    }
}
