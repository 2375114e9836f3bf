package org.explosionlab.diagnosis;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * At most a few minibatches of the user's data, copied, never the whole set: the iterator is read
 * {@code maxBatches} times at most and then reset when it supports that, so training starts where it would have.
 * Features are flattened to one row per example (2-d), per time step (3-d, [mb, size, T]) or per pixel
 * (4-d, [mb, channels, h, w]), one column per feature or channel.
 */
final class DataSample {
    final List<DataSet> batches;
    final DataSetPreProcessor preProcessor;
    final int rows;
    /** Features as [rows, columns], double precision. */
    final INDArray features;

    private DataSample(List<DataSet> batches, DataSetPreProcessor pre) {
        this.batches = List.copyOf(batches);
        this.preProcessor = pre;
        List<INDArray> rowsOf = new ArrayList<>();
        for (DataSet d : batches) rowsOf.add(asRows(d.getFeatures()));
        this.features = rowsOf.isEmpty() ? null : Nd4j.vstack(rowsOf.toArray(INDArray[]::new));
        this.rows = features == null ? 0 : (int) features.rows();
    }

    static DataSample read(DataSetIterator it, int maxBatches) {
        List<DataSet> out = new ArrayList<>();
        DataSetPreProcessor pre = it.getPreProcessor();
        for (int i = 0; i < maxBatches && it.hasNext(); i++) {
            DataSet d = it.next();
            out.add(copy(d));
        }
        if (it.resetSupported()) it.reset();
        return new DataSample(out, pre);
    }

    static DataSample of(List<DataSet> batches, DataSetPreProcessor pre) {
        List<DataSet> copies = new ArrayList<>();
        for (DataSet d : batches) copies.add(copy(d));
        return new DataSample(copies, pre);
    }

    boolean empty() {
        return batches.isEmpty();
    }

    private static DataSet copy(DataSet d) {
        return new DataSet(dup(d.getFeatures()), dup(d.getLabels()), dup(d.getFeaturesMaskArray()), dup(d.getLabelsMaskArray()));
    }

    private static INDArray dup(INDArray a) {
        return a == null ? null : a.detach().dup();
    }

    /** [rows, columns] in double precision: 2-d as is, 3-d [mb, c, T] and 4-d [mb, c, h, w] with channels last. */
    static INDArray asRows(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE);
        return switch (d.rank()) {
            case 1 -> d.reshape(d.length(), 1);
            case 2 -> d;
            case 3 -> d.permute(0, 2, 1).dup('c').reshape(d.size(0) * d.size(2), d.size(1));
            case 4 -> d.permute(0, 2, 3, 1).dup('c').reshape(d.size(0) * d.size(2) * d.size(3), d.size(1));
            default -> d.reshape(d.size(0), d.length() / d.size(0));
        };
    }
}
