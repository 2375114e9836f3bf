package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;

class W2LoadMnistTest {

    @Test
    void countsAndPixelRangeMatchTheDataReadme() {
        W2LoadMnist.Result r = W2LoadMnist.run();
        // data/README.md, counted from the label files of the embedded subset
        assertEquals(7_996, r.trainCount());
        assertEquals(2_004, r.testCount());
        assertEquals(784, r.features());
        assertArrayEquals(new int[] {800, 901, 792, 825, 784, 690, 811, 856, 755, 782}, r.trainLabelCounts());
        assertArrayEquals(new int[] {201, 226, 199, 207, 196, 173, 203, 214, 189, 196}, r.testLabelCounts());
        // byte / 255: black 0 and white 255 both occur in MNIST
        assertEquals(0.0, r.pixelMin(), 0);
        assertEquals(1.0, r.pixelMax(), 1e-6);
    }

    @Test
    void oneEpochIsCeilOfExamplesOverBatchSizeMinibatches() {
        assertEquals(Presets.load("seed-baseline").training().batchSize(), W2LoadMnist.BATCH_SIZE);
        W2LoadMnist.Result r = W2LoadMnist.run();
        assertEquals((7_996 + 31) / 32, r.batches());
        assertEquals(7_996, r.examplesInBatches(), "every example once per epoch");
        assertEquals(7_996 - 249 * 32, r.lastBatchSize());
        assertArrayEquals(new long[] {32, 784}, r.firstBatch().getFeatures().shape());
        assertArrayEquals(new long[] {32, 10}, r.firstBatch().getLabels().shape());
        // one-hot: every label row holds a single 1
        assertArrayEquals(new double[32], r.firstBatch().getLabels().sum(1).subi(1).toDoubleVector(), 0);
    }

    @Test
    void maxBatchesCutsTheEpochShort() {
        W2LoadMnist.Result r = W2LoadMnist.run("--max-batches", "3");
        assertEquals(3, r.batches());
        assertEquals(3 * 32, r.examplesInBatches());
    }
}
