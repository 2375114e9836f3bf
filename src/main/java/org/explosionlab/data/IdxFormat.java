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

    /**
     * The file length an IDX header announces: {@code 16 + n * rows * cols} for images (magic 2051),
     * {@code 8 + n} for labels (magic 2049); -1 when {@code header} (the first 16 bytes, or fewer) is
     * neither, announces a negative size, or (images) a size other than 28 x 28, so that a gzip bomb through
     * rows x columns stops after its header.
     */
    public static long declaredLength(byte[] header) {
        if (header.length < LABELS_HEADER_BYTES) return -1;
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header);
        int magic = h.getInt(0);
        long count = h.getInt(4);
        if (count < 0) return -1;
        if (magic == LABELS_MAGIC) return LABELS_HEADER_BYTES + count;
        if (magic != IMAGES_MAGIC || header.length < IMAGES_HEADER_BYTES) return -1;
        long rows = h.getInt(8);
        long cols = h.getInt(12);
        if (rows != ROWS || cols != COLS) return -1;   // not 28x28: stop after the header, IdxValidator names the size
        return IMAGES_HEADER_BYTES + count * rows * cols;
    }
}
