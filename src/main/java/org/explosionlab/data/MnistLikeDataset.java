package org.explosionlab.data;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A MNIST-like dataset held in memory once: train and test splits as float32 features [n, 784] (pixel / 255)
 * and one-hot float32 labels [n, 10], plus where they came from.
 * Obtain one with {@link DatasetResolver#resolve(String)}.
 */
public final class MnistLikeDataset {
    private final DataSet train;
    private final DataSet test;
    private final List<String> classNames;
    private final DatasetProvenance provenance;

    MnistLikeDataset(DataSet train, DataSet test, List<String> classNames, DatasetProvenance provenance) {
        this.train = Objects.requireNonNull(train, "train");
        this.test = Objects.requireNonNull(test, "test");
        this.classNames = List.copyOf(classNames);
        this.provenance = Objects.requireNonNull(provenance, "provenance");
    }

    /** The whole training split; its arrays are shared, do not modify them in place. */
    public DataSet train() {
        return train;
    }

    /** The whole test split; its arrays are shared, do not modify them in place. */
    public DataSet test() {
        return test;
    }

    /** Names of the ten classes, index = label ("0".."9" for digits). */
    public List<String> classNames() {
        return classNames;
    }

    public DatasetProvenance provenance() {
        return provenance;
    }

    /** Seeded, shuffled minibatches of the training split; see {@link InMemoryBatchIterator#shuffled}. */
    public InMemoryBatchIterator trainIterator(int batchSize, long seed, int maxBatches) {
        return InMemoryBatchIterator.shuffled(train, batchSize, seed, maxBatches);
    }

    /** The test split in file order, for {@code MultiLayerNetwork.evaluate}. */
    public InMemoryBatchIterator testIterator(int batchSize) {
        return InMemoryBatchIterator.inFileOrder(test, batchSize);
    }
}
