package org.explosionlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Batching over a synthetic split whose rows identify themselves: feature row i holds i in every column and
 * its label is one-hot (i % 10), so every batch can be traced back to the example indices it holds.
 */
class InMemoryBatchIteratorTest {
    private static final long SEED = 42L;
    private static final int COLUMNS = 3;

    private static DataSet numbered(int n) {
        float[] features = new float[n * COLUMNS];
        float[] labels = new float[n * 10];
        for (int i = 0; i < n; i++) {
            Arrays.fill(features, i * COLUMNS, (i + 1) * COLUMNS, i);
            labels[i * 10 + i % 10] = 1f;
        }
        return new DataSet(Nd4j.create(features, new long[] {n, COLUMNS}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {n, 10}, DataType.FLOAT));
    }

    /** Example indices of one batch, read from column 0, after checking that the labels travelled with them. */
    private static int[] indices(DataSet batch) {
        INDArray features = batch.getFeatures();
        int[] ids = new int[(int) features.rows()];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = features.getInt(r, 0);
            assertEquals(ids[r], features.getInt(r, COLUMNS - 1));
            assertEquals(ids[r] % 10, batch.getLabels().getRow(r).argMax().getInt(0));
        }
        return ids;
    }

    private static List<int[]> epoch(InMemoryBatchIterator it) {
        List<int[]> batches = new ArrayList<>();
        while (it.hasNext()) {
            batches.add(indices(it.next()));
        }
        return batches;
    }

    private static int[] concat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    /**
     * The epoch copies alternate between two buffers: a batch of epoch e still holds its examples
     * during epoch e + 1, and epoch e + 2 writes into epoch e's memory instead of allocating again.
     */
    @Test
    void epochCopiesAlternateBetweenTwoBuffers() {
        InMemoryBatchIterator it = InMemoryBatchIterator.shuffled(numbered(23), 5, SEED, 0);
        DataSet first = it.next();
        int[] firstIds = indices(first);
        long firstAddress = first.getFeatures().data().address();
        it.reset();
        DataSet second = it.next();
        assertArrayEquals(firstIds, indices(first), "epoch 0's batch is intact during epoch 1");
        assertTrue(second.getFeatures().data().address() != firstAddress, "epoch 1 uses the other buffer");
        it.reset();
        DataSet third = it.next();
        assertEquals(firstAddress, third.getFeatures().data().address() - third.getFeatures().offset() * 4L,
                "epoch 2 reuses epoch 0's buffer");
        assertEquals(5, indices(third).length);
    }

    @Test
    void sameSeedGivesTheSameBatchesInEveryEpoch() {
        InMemoryBatchIterator a = InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 0);
        InMemoryBatchIterator b = InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 0);
        for (int e = 0; e < 3; e++) {
            List<int[]> first = epoch(a);
            List<int[]> second = epoch(b);
            assertEquals(first.size(), second.size());
            for (int k = 0; k < first.size(); k++) {
                assertArrayEquals(first.get(k), second.get(k), "epoch " + e + " batch " + k);
            }
            a.reset();
            b.reset();
        }
    }

    @Test
    void everyEpochIsANewPermutationOfAllExamples() {
        InMemoryBatchIterator it = InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 0);
        int[] identity = java.util.stream.IntStream.range(0, 50).toArray();
        int[] epoch0 = concat(epoch(it));
        it.reset();
        int[] epoch1 = concat(epoch(it));
        assertEquals(1, it.epoch());
        assertArrayEquals(identity, Arrays.stream(epoch0).sorted().toArray());
        assertArrayEquals(identity, Arrays.stream(epoch1).sorted().toArray());
        assertFalse(Arrays.equals(identity, epoch0), "epoch 0 is not shuffled");
        assertFalse(Arrays.equals(epoch0, epoch1), "epoch 1 repeats epoch 0's order");
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        int[] a = concat(epoch(InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 0)));
        int[] b = concat(epoch(InMemoryBatchIterator.shuffled(numbered(50), 8, SEED + 1, 0)));
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void lastPartialBatchIsKept() {
        List<int[]> batches = epoch(InMemoryBatchIterator.shuffled(numbered(10), 4, SEED, 0));
        assertEquals(List.of(4, 4, 2), batches.stream().map(b -> b.length).toList());
        List<int[]> single = epoch(InMemoryBatchIterator.inFileOrder(numbered(9), 4));
        assertArrayEquals(new int[] {8}, single.get(2));
    }

    @Test
    void maxBatchesLimitsEveryEpoch() {
        InMemoryBatchIterator it = InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 2);
        assertEquals(2, it.batchesPerEpoch());
        assertEquals(2, epoch(it).size());
        assertThrows(NoSuchElementException.class, it::next);
        it.reset();
        assertEquals(2, epoch(it).size());
        assertEquals(7, InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 0).batchesPerEpoch());
        assertEquals(7, epoch(InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, -1)).size());
        assertEquals(7, epoch(InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 100)).size());
    }

    @Test
    void limitedEpochStillFollowsTheFullEpochOrder() {
        int[] full = concat(epoch(InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 0)));
        int[] limited = concat(epoch(InMemoryBatchIterator.shuffled(numbered(50), 8, SEED, 3)));
        assertArrayEquals(Arrays.copyOf(full, 24), limited);
    }

    @Test
    void sequentialIteratorKeepsFileOrderEveryEpoch() {
        InMemoryBatchIterator it = InMemoryBatchIterator.inFileOrder(numbered(23), 10);
        int[] identity = java.util.stream.IntStream.range(0, 23).toArray();
        assertArrayEquals(identity, concat(epoch(it)));
        it.reset();
        assertArrayEquals(identity, concat(epoch(it)));
    }

    @Test
    void preprocessingInPlaceLeavesTheSourceAlone() {
        DataSet source = numbered(12);
        INDArray before = source.getFeatures().dup();
        for (InMemoryBatchIterator it : List.of(InMemoryBatchIterator.inFileOrder(source, 5),
                InMemoryBatchIterator.shuffled(source, 5, SEED, 0))) {
            it.setPreProcessor(batch -> batch.getFeatures().addi(1000));
            int[] ids = it.visitingOrder();
            for (int e = 0; e < 2; e++) {
                DataSet first = it.next();
                assertEquals(ids[0] + 1000f, first.getFeatures().getFloat(0, 0));
                assertEquals(ids[1] + 1000f, first.getFeatures().getFloat(1, COLUMNS - 1));
                assertEquals(before, source.getFeatures());
                it.reset();
                ids = it.visitingOrder();
            }
        }
    }

    @Test
    void acceptsSplitsThatAreViewsOrDoubles() {
        DataSet wide = numbered(30);
        DataSet view = new DataSet(wide.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 20),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).castTo(DataType.DOUBLE), wide.getLabels().get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(10, 20), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        int[] seen = concat(epoch(InMemoryBatchIterator.inFileOrder(view, 4)));
        assertArrayEquals(java.util.stream.IntStream.range(10, 20).toArray(), seen);
    }

    @Test
    void describesItselfToDl4j() {
        InMemoryBatchIterator it = InMemoryBatchIterator.shuffled(numbered(10), 4, SEED, 0);
        assertEquals(COLUMNS, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(4, it.batch());
        assertTrue(it.resetSupported());
        assertFalse(it.asyncSupported());
        assertThrows(IllegalArgumentException.class, () -> InMemoryBatchIterator.shuffled(numbered(10), 0, SEED, 0));
    }

    @Test
    void dl4jFitResetsOncePerEpochAndEvaluateSeesEveryTestExample() {
        InMemoryBatchIterator train = InMemoryBatchIterator.shuffled(numbered(40), 16, SEED, 0);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(SEED)
                .updater(new Sgd(0.01))
                .list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(COLUMNS).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.fit(train, 3);
        assertEquals(2, train.epoch(), "three epochs = the first order plus two resets");
        assertEquals(9, net.getIterationCount(), "3 epochs x ceil(40/16) batches");

        Evaluation evaluation = net.evaluate(InMemoryBatchIterator.inFileOrder(numbered(23), 10));
        assertEquals(23, evaluation.getNumRowCounter());
    }
}
