package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.ShuffledBatchIterator;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** {@link InPlaceMultiLayerUpdater} runs DL4J's own updater code on the same memory: bit-identical training. */
class InPlaceMultiLayerUpdaterTest {
    private static final int STEPS = 60;

    @Test
    void trainsBitIdenticallyToDl4jsPlainUpdater() {
        identicalOver(Presets.load("seed-baseline"));
    }

    /** With L2 and a DL4J gradient-normalization mode the per-parameter views of the standard path are used too. */
    @Test
    void trainsBitIdenticallyWithRegularizationAndGradientNormalization() {
        identicalOver(SpecOverrides.apply(Presets.load("seed-baseline"),
                java.util.List.of("l2=0.001", "gradientNormalization=ClipL2PerLayer", "gradientNormalizationThreshold=0.5")));
    }

    private static void identicalOver(ExperimentSpec spec) {
        MultiLayerNetwork plain = FusedAdamTest.build(spec, true, false);
        MultiLayerNetwork inPlace = FusedAdamTest.build(spec, true, true);
        assertEquals(MultiLayerUpdater.class, plain.getUpdater().getClass());
        assertEquals(InPlaceMultiLayerUpdater.class, inPlace.getUpdater().getClass());
        ShuffledBatchIterator batches = DatasetResolver.resolve("mnist-embedded").trainIterator(32, 7, STEPS);
        while (batches.hasNext()) {
            DataSet b = batches.next();
            plain.fit(b);
            inPlace.fit(b);
        }
        assertEquals(STEPS, inPlace.getIterationCount());
        assertArrayEquals(plain.params().toFloatVector(), inPlace.params().toFloatVector(), 0f);
        assertArrayEquals(plain.getUpdater().getStateViewArray().toFloatVector(),
                inPlace.getUpdater().getStateViewArray().toFloatVector(), 0f);
    }

    @Test
    void recognisesTheSameMemoryOnlyForTheSameElements() {
        INDArray flat = Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(1, 12);
        assertTrue(InPlaceMultiLayerUpdater.sameMemory(flat.reshape(12), flat));
        assertFalse(InPlaceMultiLayerUpdater.sameMemory(flat.dup(), flat));
        assertFalse(InPlaceMultiLayerUpdater.sameMemory(flat.reshape(12).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6)), flat));
        assertFalse(InPlaceMultiLayerUpdater.sameMemory(flat.castTo(DataType.DOUBLE), flat));
    }
}
