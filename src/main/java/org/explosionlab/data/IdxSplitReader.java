package org.explosionlab.data;

import java.io.IOException;
import java.util.List;
import org.deeplearning4j.datasets.mnist.MnistManager;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads one split (an images file and its labels file) with DL4J's IDX reader {@link MnistManager}
 * into in-memory float32 arrays, once:
 * <pre>
 * features[i, p] = byte(i, p) / 255f          shape [n, 784], p in row-major pixel order
 * labels[i, c]   = 1 if c == label(i) else 0  shape [n, 10]   (one-hot)
 * </pre>
 * Both files are validated by {@link IdxValidator} before MnistManager sees them.
 */
final class IdxSplitReader {
    /** The largest example count whose feature array still fits one Java float[]. */
    private static final int MAX_EXAMPLES = (Integer.MAX_VALUE - 8) / IdxFormat.PIXELS;

    private IdxSplitReader() {
    }

    static DataSet read(String split, IdxSource images, IdxSource labels, List<String> classNames) {
        try (IdxSource.RawIdxFile rawImages = images.materialize();
             IdxSource.RawIdxFile rawLabels = labels.materialize()) {
            int imageCount = IdxValidator.checkImages(rawImages.path(), images.fileName());
            int labelCount = IdxValidator.checkLabels(rawLabels.path(), labels.fileName());
            if (imageCount != labelCount) {
                throw new DataException("The " + split + " split has " + imageCount + " images in "
                        + images.fileName() + " but " + labelCount + " labels in " + labels.fileName()
                        + "; both files must come from the same set");
            }
            if (imageCount > MAX_EXAMPLES) {
                throw new DataException(images.fileName() + " holds " + imageCount + " images, more than the "
                        + MAX_EXAMPLES + " this loader keeps in memory; use a smaller set");
            }
            return toDataSet(split, rawImages, rawLabels, imageCount, labels.fileName(), classNames);
        }
    }

    private static DataSet toDataSet(String split, IdxSource.RawIdxFile rawImages, IdxSource.RawIdxFile rawLabels,
                                     int n, String labelsFileName, List<String> classNames) {
        MnistManager manager;
        try {
            manager = new MnistManager(rawImages.path().toString(), rawLabels.path().toString(), n);
        } catch (IOException | RuntimeException e) {
            throw new DataException("DL4J could not read the " + split + " split (" + e.getMessage()
                    + "); download or regenerate its files", e);
        }
        try {
            float[] features = new float[n * IdxFormat.PIXELS];
            float[] oneHot = new float[n * IdxFormat.CLASSES];
            for (int i = 0; i < n; i++) {
                byte[] pixels = manager.readImageUnsafe(i);
                int offset = i * IdxFormat.PIXELS;
                for (int p = 0; p < IdxFormat.PIXELS; p++) {
                    features[offset + p] = (pixels[p] & 0xFF) / 255f;
                }
                int label = manager.readLabel(i);
                if (label >= IdxFormat.CLASSES) {
                    throw new DataException(labelsFileName + " has label " + label + " at example " + i
                            + ", expected 0.." + (IdxFormat.CLASSES - 1) + "; download or regenerate it");
                }
                oneHot[i * IdxFormat.CLASSES + label] = 1f;
            }
            DataSet data = new DataSet(
                    Nd4j.create(features, new long[] {n, IdxFormat.PIXELS}, DataType.FLOAT),
                    Nd4j.create(oneHot, new long[] {n, IdxFormat.CLASSES}, DataType.FLOAT));
            data.setLabelNames(classNames);
            return data;
        } finally {
            manager.close();
        }
    }
}
