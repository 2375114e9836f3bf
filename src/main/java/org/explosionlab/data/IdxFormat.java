package org.explosionlab.data;

import java.util.List;

/**
 * The IDX layout of MNIST-like files (LeCun, Cortes, Burges, "The MNIST database of handwritten digits"):
 * big-endian 32-bit header fields, then unsigned bytes.
 * <pre>
 * images: magic 2051 | count n | rows 28 | cols 28 | n * 784 pixel bytes   (16 + 784 n bytes)
 * labels: magic 2049 | count n | n label bytes in 0..9                       ( 8 +     n bytes)
 * </pre>
 */
public final class IdxFormat {
    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;
    public static final int IMAGES_HEADER_BYTES = 16;
    public static final int LABELS_HEADER_BYTES = 8;
    public static final int ROWS = 28;
    public static final int COLS = 28;
    /** Features per example: 28 * 28 = 784. */
    public static final int PIXELS = ROWS * COLS;
    /** Classes per example (digits 0..9, or ten Fashion-MNIST classes). */
    public static final int CLASSES = 10;

    /** Standard file names (without ".gz") of the four IDX files of a MNIST-like set. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    public static final List<String> FILE_NAMES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    public static final String GZIP_SUFFIX = ".gz";

    private IdxFormat() {
    }
}
