package org.explosionlab.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks an uncompressed IDX file's header and length against the layout in {@link IdxFormat} before DL4J reads it,
 * so that bad data fails with one clear line instead of a deep stack trace or silently short arrays.
 * <pre>
 * images file length must be 16 + 784 n,  labels file length must be 8 + n   (n = count in the header)
 * </pre>
 */
final class IdxValidator {
    private static final String FIX = "download or regenerate it";

    private IdxValidator() {
    }

    /** @return the number of images the (valid) file holds */
    static int checkImages(Path raw, String fileName) {
        long length = size(raw, fileName);
        if (length < IdxFormat.IMAGES_HEADER_BYTES) {
            throw new DataException(fileName + " is truncated: " + length + " bytes, shorter than the "
                    + IdxFormat.IMAGES_HEADER_BYTES + "-byte IDX images header; " + FIX);
        }
        int[] header = readHeader(raw, fileName, 4);
        checkMagic(fileName, header[0], IdxFormat.IMAGES_MAGIC, "images");
        int count = checkCount(fileName, header[1]);
        int rows = header[2];
        int cols = header[3];
        if (rows != IdxFormat.ROWS || cols != IdxFormat.COLS) {
            throw new DataException(fileName + " holds " + rows + "x" + cols + " images, expected "
                    + IdxFormat.ROWS + "x" + IdxFormat.COLS + "; only MNIST-sized images are supported");
        }
        long expected = IdxFormat.IMAGES_HEADER_BYTES + (long) count * IdxFormat.PIXELS;
        checkLength(fileName, length, expected, count, "images");
        return count;
    }

    /** @return the number of labels the (valid) file holds */
    static int checkLabels(Path raw, String fileName) {
        long length = size(raw, fileName);
        if (length < IdxFormat.LABELS_HEADER_BYTES) {
            throw new DataException(fileName + " is truncated: " + length + " bytes, shorter than the "
                    + IdxFormat.LABELS_HEADER_BYTES + "-byte IDX labels header; " + FIX);
        }
        int[] header = readHeader(raw, fileName, 2);
        checkMagic(fileName, header[0], IdxFormat.LABELS_MAGIC, "labels");
        int count = checkCount(fileName, header[1]);
        checkLength(fileName, length, IdxFormat.LABELS_HEADER_BYTES + (long) count, count, "labels");
        return count;
    }

    private static void checkMagic(String fileName, int magic, int expected, String kind) {
        if (magic != expected) {
            throw new DataException(fileName + " has magic number " + magic + ", expected " + expected
                    + " for IDX " + kind + " (" + IdxFormat.IMAGES_MAGIC + " images, " + IdxFormat.LABELS_MAGIC
                    + " labels); check that it is an MNIST-style " + kind + " file");
        }
    }

    private static int checkCount(String fileName, int count) {
        if (count <= 0) {
            throw new DataException(fileName + " is corrupted: its header announces " + count + " examples; " + FIX);
        }
        return count;
    }

    private static void checkLength(String fileName, long length, long expected, int count, String kind) {
        if (length < expected) {
            throw new DataException(fileName + " is truncated: its header announces " + count + " " + kind + " ("
                    + expected + " bytes) but it has " + length + " bytes; " + FIX);
        }
        if (length > expected) {
            throw new DataException(fileName + " is corrupted: " + (length - expected) + " bytes follow the " + count
                    + " " + kind + " its header announces; " + FIX);
        }
    }

    private static long size(Path raw, String fileName) {
        try {
            return Files.size(raw);
        } catch (IOException e) {
            throw new DataException("Could not read " + fileName + " (" + e.getMessage() + "); check that it is readable", e);
        }
    }

    /** Reads {@code fields} big-endian 32-bit header integers. */
    private static int[] readHeader(Path raw, String fileName, int fields) {
        try (InputStream in = Files.newInputStream(raw); DataInputStream data = new DataInputStream(in)) {
            int[] header = new int[fields];
            for (int i = 0; i < fields; i++) {
                header[i] = data.readInt();
            }
            return header;
        } catch (IOException e) {
            throw new DataException("Could not read the header of " + fileName + " (" + e.getMessage() + "); " + FIX, e);
        }
    }
}
