package org.explosionlab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The presets on the embedded MNIST: every preset built to fail (the four causes: bad-init and high-lr explode, deep
 * explodes through depth, saturating stalls) is caught by a severe finding, while the tutorial model and its He-init
 * remedy get none.
 */
class PresetDiagnosisTest {
    private static MnistLikeDataset mnist;

    @BeforeAll
    static void data() {
        mnist = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
    }

    private static Diagnosis diagnose(String preset) {
        ExperimentSpec s = Presets.load(preset);
        return Diagnosis.of(NetworkFactory.configuration(s), mnist.trainIterator(s.training().batchSize(), s.training().seed(), Diagnosis.DEFAULT_SAMPLE_BATCHES));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad-init", "high-lr", "deep", "saturating"})
    void everyPresetMeantToFailIsCaught(String preset) {
        Diagnosis d = diagnose(preset);
        assertTrue(d.hasSevere(), d::toText);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-baseline", "bad-init-he-init"})
    void theHealthyPresetsGetNoSevereFinding(String preset) {
        Diagnosis d = diagnose(preset);
        assertFalse(d.hasSevere(), d::toText);
        assertTrue(d.checksRun().containsAll(List.of(Check.values())), d::toText);
    }
}
