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

    /**
     * The seed model leaves the ÷k to the Adam pass; over a whole epoch and into the next, so the last
     * minibatch of 28 (7,996 = 249 × 32 + 28: a divisor that is not a power of two) is divided too,
     * training stays bit-identical to DL4J's separate division.
     */
    @Test
    void divisionInsideAdamIsBitIdenticalAcrossAnEpochEnd() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        InPlaceMultiLayerUpdater u = (InPlaceMultiLayerUpdater) identicalOver(spec, 0, 260).getUpdater();
        assertTrue(u.divisionInAdam(), "seed-baseline: no normalization, no regularization, FusedAdam everywhere");
        assertTrue(u.fusesStep(), "θ ← θ − Δθ inside the Adam pass, DL4J's params.subi skipped");
        InPlaceMultiLayerUpdater withL2 = (InPlaceMultiLayerUpdater) identicalOver(
                SpecOverrides.apply(spec, java.util.List.of("l2=0.001")), 0, 20).getUpdater();
        assertFalse(withL2.divisionInAdam(), "L2 reads the divided gradient: DL4J divides first");
        assertFalse(withL2.fusesStep(), "L2 reads θ around the optimizer: DL4J's own step");
    }

    /** A DL4J normalization mode changes the gradient before the pass, not θ: the step is still fused. */
    @Test
    void theStepIsFusedUnderGradientNormalizationAndOffOnRequest() {
        ExperimentSpec clipped = SpecOverrides.apply(Presets.load("seed-baseline"),
                java.util.List.of("gradientNormalization=ClipL2PerLayer", "gradientNormalizationThreshold=0.5"));
        assertTrue(((InPlaceMultiLayerUpdater) identicalOver(clipped, 0, 10).getUpdater()).fusesStep());
        MultiLayerNetwork off = TestSpecs.withProperty(InPlaceMultiLayerUpdater.FUSED_STEP_PROPERTY, "false",
                () -> identicalOver(Presets.load("seed-baseline"), 0, 10));
        assertFalse(((InPlaceMultiLayerUpdater) off.getUpdater()).fusesStep());
    }

    /**
     * An updater that replaces another mid-training (as {@code InstrumentedNetwork} does on a restored
     * network) finds the fused step already installed and uses it; the training stays bit-identical to
     * DL4J's own step throughout.
     */
    @Test
    void aReplacementUpdaterKeepsTheFusedStep() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        MultiLayerNetwork reference = TestSpecs.withProperty(InPlaceMultiLayerUpdater.FUSED_STEP_PROPERTY, "false",
                () -> FusedAdamTest.build(spec, true, true));
        MultiLayerNetwork net = FusedAdamTest.build(spec, true, true);
        ShuffledBatchIterator batches = DatasetResolver.resolve("mnist-embedded").trainIterator(32, 7, 0);
        for (int i = 0; i < 20; i++) {
            if (i == 10) {
                net.setUpdater(new InPlaceMultiLayerUpdater(net, net.getUpdater().getStateViewArray().dup()));
            }
            DataSet b = batches.next();
            reference.fit(b);
            net.fit(b);
        }
        assertTrue(((InPlaceMultiLayerUpdater) net.getUpdater()).fusesStep());
        assertFalse(((InPlaceMultiLayerUpdater) reference.getUpdater()).fusesStep());
        assertArrayEquals(reference.params().toFloatVector(), net.params().toFloatVector(), 0f);
    }

    private static void identicalOver(ExperimentSpec spec) {
        identicalOver(spec, STEPS, STEPS);
    }

    private static MultiLayerNetwork identicalOver(ExperimentSpec spec, int maxBatches, int steps) {
        MultiLayerNetwork plain = FusedAdamTest.build(spec, true, false);
        MultiLayerNetwork inPlace = FusedAdamTest.build(spec, true, true);
        assertEquals(MultiLayerUpdater.class, plain.getUpdater().getClass());
        assertEquals(InPlaceMultiLayerUpdater.class, inPlace.getUpdater().getClass());
        ShuffledBatchIterator batches = DatasetResolver.resolve("mnist-embedded").trainIterator(32, 7, maxBatches);
        for (int i = 0; i < steps; i++) {
            if (!batches.hasNext()) batches.reset();
            DataSet b = batches.next();
            plain.fit(b);
            inPlace.fit(b);
        }
        assertEquals(steps, inPlace.getIterationCount());
        assertArrayEquals(plain.params().toFloatVector(), inPlace.params().toFloatVector(), 0f);
        assertArrayEquals(plain.getUpdater().getStateViewArray().toFloatVector(),
                inPlace.getUpdater().getStateViewArray().toFloatVector(), 0f);
        return inPlace;
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
