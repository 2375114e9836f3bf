package org.explosionlab.monitor.userprograms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the user programs share: the embedded MNIST as plain DL4J {@code DataSetIterator}s, the way a user
 * would wrap data already in memory (DL4J's {@code ListDataSetIterator}, package {@code utilty}, DL4J's spelling),
 * and the CPU settings (one OpenMP thread: the project's {@link RuntimeTuning}).
 */
final class UserData {
    private UserData() {
    }

    private static final class Holder {
        static final MnistLikeDataset MNIST = load();

        private static MnistLikeDataset load() {
            RuntimeTuning.applyDefaults();
            return DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        }
    }

    /** One OpenMP / BLAS thread (unless the environment says otherwise) and a fixed ND4J random stream. */
    static void cpuAndSeed(long seed) {
        RuntimeTuning.applyDefaults();
        Nd4j.getRandom().setSeed(seed);
    }

    static MnistLikeDataset mnist() {
        return Holder.MNIST;
    }

    /**
     * {@code n} training examples drawn at random (seeded) from the whole split ([n, 784] in [0, 1], one-hot
     * [n, 10]), in shuffled order. The embedded split is sorted by digit (all 0s first): its first 3,000
     * examples are only 0s to 3s, in blocks, and a network fed them in order does not learn MNIST.
     */
    static DataSet trainSubset(int n, long seed) {
        DataSet all = mnist().train();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.numExamples(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        int[] rows = order.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
        return new DataSet(all.getFeatures().getRows(rows).dup(), all.getLabels().getRows(rows).dup());
    }

    /** The first {@code n} test examples. */
    static DataSet testSubset(int n) {
        return rows(mnist().test(), n);
    }

    /** A DL4J iterator over {@code data}, {@code batch} examples a minibatch, in order (resettable: one pass an epoch). */
    static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.asList(), batch);
    }

    /** The first {@code n} examples of {@code all}, copied. */
    static DataSet rows(DataSet all, int n) {
        INDArray x = all.getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        INDArray y = all.getLabels().get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).dup();
        return new DataSet(x, y);
    }

    /** {@code data}'s minibatches of {@code batch} examples, in order. */
    static List<DataSet> batches(DataSet data, int batch) {
        return new ArrayList<>(data.batchBy(batch));
    }

    /**
     * MNIST as sequences: each image read top to bottom, one row of 28 pixels per time step. DL4J's recurrent
     * layers take [examples, features, time steps], so [n, 784] becomes [n, 28 (pixels of a row), 28 (rows)].
     */
    static DataSet rowsAsSequences(DataSet images) {
        long n = images.numExamples();
        INDArray sequences = images.getFeatures().reshape('c', n, 28, 28).permute(0, 2, 1).dup('c');
        return new DataSet(sequences, images.getLabels());
    }
}
