package org.explosionlab.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Writes and reads IDX bytes for tests with plain java.io / java.util.zip, independent of the code under test. */
final class IdxTestFiles {
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;

    private IdxTestFiles() {
    }

    /** Pixel p of example i in the synthetic sets: a value that differs across examples and pixels. */
    static int pixel(int i, int p) {
        return (i * 31 + p * 7) % 256;
    }

    static byte[] images(int magic, int count, int rows, int cols, int examplesWritten) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < examplesWritten; i++) {
            for (int p = 0; p < rows * cols; p++) {
                out.writeByte(pixel(i, p));
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] images(int count) throws IOException {
        return images(2051, count, SIDE, SIDE, count);
    }

    static byte[] labels(int magic, int count, int[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int label : labels) {
            out.writeByte(label);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Labels i % 10 for i = 0..count-1. */
    static byte[] labels(int count) throws IOException {
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            values[i] = i % 10;
        }
        return labels(2049, count, values);
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static byte[] gunzip(InputStream in) throws IOException {
        try (GZIPInputStream gz = new GZIPInputStream(in)) {
            return gz.readAllBytes();
        }
    }

    /** A valid set: {@code train} and {@code test} examples, gzipped or not. */
    static Path writeSet(Path dir, int train, int test, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train-images-idx3-ubyte", images(train), gzipped);
        write(dir, "train-labels-idx1-ubyte", labels(train), gzipped);
        write(dir, "t10k-images-idx3-ubyte", images(test), gzipped);
        write(dir, "t10k-labels-idx1-ubyte", labels(test), gzipped);
        return dir;
    }

    static Path write(Path dir, String baseName, byte[] raw, boolean gzipped) throws IOException {
        Path file = dir.resolve(gzipped ? baseName + ".gz" : baseName);
        Files.write(file, gzipped ? gzip(raw) : raw);
        return file;
    }
}
