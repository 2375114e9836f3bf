package org.explosionlab.data;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Minibatches over a split already in memory. Each epoch visits the examples in the order an {@link EpochOrder}
 * arranges: at the start of the epoch the rows are copied once into that order (skipped when the order is the
 * file order), and each batch is then a view of consecutive rows of that copy, so building a batch runs no ND4J
 * op. The last batch of an epoch may be smaller than the batch size. The reordered copies live in two buffers
 * used in alternate epochs, so a batch stays valid through the epoch after its own and is overwritten in the one
 * after that ({@code dup()} a batch to keep it longer); allocating a fresh copy every epoch instead grew the
 * process by the size of the split (25 MB for the embedded MNIST) per epoch until a garbage collection freed
 * the old ones. {@link #reset()} starts the next epoch;
 * DL4J's {@code fit} calls it once an epoch is used up. A pre-processor gets the batch to change in place; the
 * source arrays never change.
 * <pre>
 * batches per epoch = ceil(n / batchSize), capped at maxBatches when maxBatches &gt; 0
 * </pre>
 */
public abstract class InMemoryBatchIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    /** Puts the example indices of one epoch in order; called once per epoch, in epoch order. */
    @FunctionalInterface
    protected interface EpochOrder {
        /** @param order the identity permutation 0..n-1, to rearrange in place */
        void arrange(int[] order);
    }

    private final INDArray features;
    private final INDArray labels;
    private final List<String> labelNames;
    private final int batchSize;
    private final int maxBatches;
    private final EpochOrder epochOrder;
    private final int[] order;
    private INDArray epochFeatures;
    private INDArray epochLabels;
    /** Two buffers per array, used in alternate epochs (see the class comment). */
    private final INDArray[] featureBuffers = new INDArray[2];
    private final INDArray[] labelBuffers = new INDArray[2];
    private boolean epochSharesSource;
    private int epoch;
    private int cursor;
    private int batchesServed;
    private DataSetPreProcessor preProcessor;

    /**
     * @param maxBatches at most this many batches per epoch; 0 or negative means no limit
     */
    protected InMemoryBatchIterator(DataSet data, int batchSize, int maxBatches, EpochOrder epochOrder) {
        if (data == null || data.getFeatures() == null || data.getLabels() == null) {
            throw new IllegalArgumentException("data must hold features and labels");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.features = RowGather.plainFloatMatrix(data.getFeatures());
        this.labels = RowGather.plainFloatMatrix(data.getLabels());
        if (features.rows() != labels.rows()) {
            throw new IllegalArgumentException("features have " + features.rows() + " rows but labels "
                    + labels.rows());
        }
        this.labelNames = data.getLabelNamesList();
        this.batchSize = batchSize;
        this.maxBatches = Math.max(0, maxBatches);
        this.epochOrder = epochOrder;
        this.order = new int[Math.toIntExact(features.rows())];
        arrangeEpoch();
    }

    private void arrangeEpoch() {
        Arrays.setAll(order, i -> i);
        epochOrder.arrange(order);
        epochSharesSource = isFileOrder(order);
        int slot = epoch & 1;
        if (!epochSharesSource) {
            featureBuffers[slot] = RowGather.gather(features, order, featureBuffers[slot]);
            labelBuffers[slot] = RowGather.gather(labels, order, labelBuffers[slot]);
        }
        epochFeatures = epochSharesSource ? features : featureBuffers[slot];
        epochLabels = epochSharesSource ? labels : labelBuffers[slot];
        cursor = 0;
        batchesServed = 0;
    }

    private static boolean isFileOrder(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** The current epoch, counted from 0; every {@link #reset()} adds one. */
    public int epoch() {
        return epoch;
    }

    /** Number of examples in the split. */
    public int numExamples() {
        return order.length;
    }

    /** Batches one epoch yields: ceil(n / batchSize), capped at maxBatches when that is positive. */
    public int batchesPerEpoch() {
        int all = (order.length + batchSize - 1) / batchSize;
        return maxBatches > 0 ? Math.min(all, maxBatches) : all;
    }

    /** The example indices of the current epoch in visiting order (a copy). */
    public int[] visitingOrder() {
        return order.clone();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length && (maxBatches == 0 || batchesServed < maxBatches);
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches; call reset()");
        }
        if (num < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + num);
        }
        int count = Math.min(order.length - cursor, num);
        INDArray batchFeatures = RowGather.rowRange(epochFeatures, cursor, count);
        INDArray batchLabels = RowGather.rowRange(epochLabels, cursor, count);
        cursor += count;
        batchesServed++;
        if (preProcessor != null && epochSharesSource) {
            batchFeatures = batchFeatures.dup();   // the pre-processor may work in place; keep the source intact
            batchLabels = batchLabels.dup();
        }
        DataSet batch = new DataSet(batchFeatures, batchLabels);
        batch.setLabelNames(labelNames);
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    @Override
    public void reset() {
        epoch++;
        arrangeEpoch();
    }

    @Override
    public int inputColumns() {
        return (int) features.columns();
    }

    @Override
    public int totalOutcomes() {
        return (int) labels.columns();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** No background prefetch: batches are cheap gathers from memory and their order stays easy to reason about. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labelNames;
    }
}
