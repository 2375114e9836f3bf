package org.explosionlab.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * One-hot labels [mb, classes] to class indices [mb, 1], for a network whose loss is DL4J's {@code LossSparseMCXENT}
 * (what Keras's {@code sparse_categorical_crossentropy} imports as). The index is the column of the row's 1 (argmax).
 */
public final class SparseLabels implements DataSetPreProcessor {
    @Override
    public void preProcess(DataSet ds) {
        var labels = ds.getLabels();
        if (labels == null || labels.rank() != 2 || labels.columns() == 1) return;
        ds.setLabels(labels.argMax(1).reshape(labels.rows(), 1).castTo(DataType.FLOAT));
    }
}
