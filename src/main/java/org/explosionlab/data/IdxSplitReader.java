package org.explosionlab.data;

import java.io.IOException;
import java.util.List;
import org.deeplearning4j.datasets.mnist.MnistManager;
import org.explosionlab.network.MemoryBudget;
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
        IdxSource.HeaderCheck fits = (magic, count) -> {
            if (magic == IdxFormat.IMAGES_MAGIC) requireFits(images.fileName(), count);
        };
        try (IdxSource.RawIdxFile rawImages = images.materialize(IdxFormat.IMAGES_MAGIC, fits);
             IdxSource.RawIdxFile rawLabels = labels.materialize(IdxFormat.LABELS_MAGIC, (magic, count) -> {
                 if (magic == IdxFormat.LABELS_MAGIC && count > MAX_EXAMPLES) {       // before a byte of the body is inflated
                     throw new DataException(labels.fileName() + " holds " + count + " labels, more than the " + MAX_EXAMPLES
                             + " images this loader keeps in memory (a corrupted file, or a gzip bomb); use a smaller set");
                 }
             })) {
            int imageCount = IdxValidator.checkImages(rawImages.path(), images.fileName());
            requireFits(images.fileName(), imageCount);
            int labelCount = IdxValidator.checkLabels(rawLabels.path(), labels.fileName());
            if (imageCount != labelCount) {
                throw new DataException("The " + split + " split has " + imageCount + " images in "
                        + images.fileName() + " but " + labelCount + " labels in " + labels.fileName()
                        + "; both files must come from the same set");
            }
            return toDataSet(split, rawImages, rawLabels, imageCount, labels.fileName(), classNames);
        }
    }

    /**
     * Refuses a split whose arrays cannot fit before any is allocated: {@code n * 784} float32 features
     * are built on the Java heap ({@code float[]}) and then copied off-heap by ND4J, so each side needs
     * {@code 4 * 794 n} bytes (features and one-hot labels), against the heap's free room
     * ({@link Runtime#maxMemory()} minus what is in use) and {@link MemoryBudget#limit()}.
     */
    static void requireFits(String fileName, long count) {
        if (count <= 0) return;                                        // IdxValidator names a bad count
        if (count > MAX_EXAMPLES) {
            throw new DataException(fileName + " holds " + count + " images, more than the "
                    + MAX_EXAMPLES + " this loader keeps in memory; use a smaller set");
        }
        long bytes = 4L * (IdxFormat.PIXELS + IdxFormat.CLASSES) * count;
        Runtime rt = Runtime.getRuntime();
        long heapRoom = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long offHeap = MemoryBudget.limit();
        if (bytes > heapRoom || bytes > offHeap) {
            throw new DataException(String.format(java.util.Locale.ROOT, "%s holds %d images: loading them needs %.1f GiB"
                    + " on the Java heap and again off-heap, more than this JVM has (%.1f GiB heap free, %.1f GiB off-heap);"
                    + " use a smaller set, or raise -Xmx", fileName, count, bytes / GIB, heapRoom / GIB, offHeap / GIB));
        }
    }

    private static final double GIB = 1 << 30;

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
