package org.explosionlab.data;

import org.nd4j.linalg.dataset.DataSet;

/**
 * Minibatches in file order, the same every epoch: for evaluation, e.g.
 * {@code network.evaluate(dataset.testIterator(1000))}.
 */
public final class SequentialBatchIterator extends InMemoryBatchIterator {
    private static final long serialVersionUID = 1L;

    public SequentialBatchIterator(DataSet data, int batchSize) {
        super(data, batchSize, 0, order -> { });
    }
}
