package org.explosionlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Loading IDX directories, good and bad; every bad case must end in one clear {@link DataException} line.
 * Issue 28 finding 6: the gzip-bomb limit holds through every field of an IDX header, not only the
 * image count: an images header announcing 1000 x 1000 pixels is refused after reading no more than its header,
 * and a labels header announcing 10 million labels is refused before its body is inflated.
 */
class IdxReaderTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path tmp;

    @Test
    void loadsAnyCountGzippedOrNot() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 13, 7, false);
        // gzip only the test images: a directory may mix both forms
        byte[] raw = Files.readAllBytes(dir.resolve("t10k-images-idx3-ubyte"));
        Files.delete(dir.resolve("t10k-images-idx3-ubyte"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), IdxTestFiles.gzip(raw));

        MnistLikeDataset data = IdxReader.readDirectory(dir, "small", DIGITS);

        assertEquals(13, data.train().numExamples());
        assertEquals(7, data.test().numExamples());
        for (int i : new int[] {0, 6, 12}) {
            INDArray row = data.train().getFeatures().getRow(i);
            for (int p : new int[] {0, 1, 100, 783}) {
                assertEquals(IdxTestFiles.pixel(i, p) / 255f, row.getFloat(p), "train " + i + " pixel " + p);
            }
            assertEquals(i % 10, data.train().getLabels().getRow(i).argMax().getInt(0));
        }
        INDArray lastTest = data.test().getFeatures().getRow(6);
        assertEquals(IdxTestFiles.pixel(6, 500) / 255f, lastTest.getFloat(500));
        DatasetProvenance provenance = data.provenance();
        assertEquals("small", provenance.name());
        assertEquals(dir.toAbsolutePath().normalize().toString(), provenance.location());
        assertEquals(13, provenance.trainCount());
        assertEquals(7, provenance.testCount());
        assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte",
                "train-labels-idx1-ubyte"), List.copyOf(provenance.sha256().keySet()));
        assertEquals(sha256(dir.resolve("t10k-images-idx3-ubyte.gz")), provenance.sha256().get("t10k-images-idx3-ubyte.gz"));
        assertEquals(sha256(dir.resolve("train-labels-idx1-ubyte")), provenance.sha256().get("train-labels-idx1-ubyte"));
    }

    @Test
    void gunzipsIntoATemporaryFileThatCloseDeletes() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("gz"), 3, 2, true);
        Path unpacked;
        IdxReader.Source gz = IdxReader.Source.ofFile(dir.resolve("train-labels-idx1-ubyte.gz"));
        try (IdxReader.Unpacked raw = IdxReader.unpack(gz, IdxReader.header(gz, IdxReader.Kind.LABELS))) {
            unpacked = raw.path();
            assertTrue(raw.temporary());
            assertArrayEquals(IdxTestFiles.labels(3), Files.readAllBytes(unpacked));
        }
        assertFalse(Files.exists(unpacked), "temporary file left behind: " + unpacked);

        Path plain = IdxTestFiles.write(dir, "extra-labels", IdxTestFiles.labels(2), false);
        IdxReader.Source source = IdxReader.Source.ofFile(plain);
        try (IdxReader.Unpacked raw = IdxReader.unpack(source, IdxReader.header(source, IdxReader.Kind.LABELS))) {
            assertEquals(plain, raw.path());
        }
        assertTrue(Files.exists(plain), "an uncompressed source file must be read in place, never deleted");
    }

    @Test
    void missingDirectory() {
        assertFails(tmp.resolve("nowhere"), "does not exist");
    }

    @Test
    void fileInsteadOfDirectory() throws Exception {
        assertFails(Files.writeString(tmp.resolve("plain.txt"), "x"), "is not a directory");
    }

    @Test
    void missingFile() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertFails(dir, "lacks t10k-labels-idx1-ubyte");
    }

    @Test
    void truncatedImagesFile() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        byte[] images = IdxTestFiles.images(4);
        Files.write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 100));
        assertFails(dir, "train-images-idx3-ubyte is truncated: its header announces 4 images");
    }

    @Test
    void truncatedInsideTheHeader() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8});
        assertFails(dir, "t10k-labels-idx1-ubyte is truncated: 3 bytes");
    }

    @Test
    void truncatedLabelsFile() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        byte[] labels = IdxTestFiles.labels(3);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), Arrays.copyOf(labels, labels.length - 1));
        assertFails(dir, "t10k-labels-idx1-ubyte is truncated: its header announces 3 labels");
    }

    @Test
    void extraBytesAfterTheData() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        byte[] labels = IdxTestFiles.labels(4);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), Arrays.copyOf(labels, labels.length + 5));
        assertFails(dir, "train-labels-idx1-ubyte is corrupted: 5 bytes follow the 4 labels");
    }

    @Test
    void truncatedGzip() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        Path file = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(gz, gz.length / 2));
        assertFails(dir, "train-images-idx3-ubyte.gz is a truncated or corrupted gzip file");
    }

    @Test
    void corruptedGzip() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        Path file = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(file);
        for (int i = 12; i < gz.length - 8; i++) {
            gz[i] ^= (byte) 0x5A;   // scramble the deflate stream, keep the gzip header
        }
        Files.write(file, gz);
        assertFails(dir, "t10k-images-idx3-ubyte.gz is a truncated or corrupted gzip file");
    }

    @Test
    void notGzipAtAll() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxTestFiles.labels(3));
        assertFails(dir, "t10k-labels-idx1-ubyte.gz is a truncated or corrupted gzip file");
    }

    @Test
    void wrongImagesMagic() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        IdxTestFiles.write(dir, "train-images-idx3-ubyte", IdxTestFiles.images(2049, 4, 28, 28, 4), true);
        assertFails(dir, "train-images-idx3-ubyte.gz has magic number 2049, expected 2051");
    }

    @Test
    void wrongLabelsMagic() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        IdxTestFiles.write(dir, "t10k-labels-idx1-ubyte", IdxTestFiles.labels(1234, 3, new int[] {1, 2, 3}), false);
        assertFails(dir, "t10k-labels-idx1-ubyte has magic number 1234, expected 2049");
    }

    @Test
    void imageLabelCountMismatch() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        IdxTestFiles.write(dir, "train-labels-idx1-ubyte", IdxTestFiles.labels(5), true);
        assertFails(dir, "The train split has 4 images in train-images-idx3-ubyte.gz but 5 labels");
    }

    @Test
    void wrongImageSize() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        IdxTestFiles.write(dir, "t10k-images-idx3-ubyte", IdxTestFiles.images(2051, 3, 32, 32, 3), true);
        assertFails(dir, "holds 32x32 images, expected 28x28");
    }

    @Test
    void labelOutsideZeroToNine() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        IdxTestFiles.write(dir, "train-labels-idx1-ubyte", IdxTestFiles.labels(2049, 4, new int[] {0, 1, 12, 3}), false);
        assertFails(dir, "has label 12 at example 2, expected 0..9");
    }

    @Test
    void emptySplit() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, false);
        IdxTestFiles.write(dir, "t10k-images-idx3-ubyte", IdxTestFiles.images(0), false);
        IdxTestFiles.write(dir, "t10k-labels-idx1-ubyte", IdxTestFiles.labels(0), false);
        assertFails(dir, "header announces 0 examples");
    }

    @Test
    void checksumMismatch() throws Exception {
        Path dir = IdxTestFiles.writeSet(tmp.resolve("set"), 4, 3, true);
        Map<String, IdxReader.Source> sources = new java.util.LinkedHashMap<>();
        for (String base : IdxReader.FILE_NAMES) {
            sources.put(base, IdxReader.Source.ofFile(dir.resolve(base + ".gz")));
        }
        String zeros = "0".repeat(64);
        Map<String, String> expected = Map.of("train-images-idx3-ubyte.gz", zeros,
                "train-labels-idx1-ubyte.gz", zeros, "t10k-images-idx3-ubyte.gz", zeros,
                "t10k-labels-idx1-ubyte.gz", zeros);
        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read("x", dir.toString(), sources, DIGITS, expected));
        assertOneLineContaining(e, "train-images-idx3-ubyte.gz has SHA-256 " + sha256(dir.resolve("train-images-idx3-ubyte.gz"))
                + ", expected " + zeros);
    }

    private void assertFails(Path dir, String fragment) {
        DataException e = assertThrows(DataException.class, () -> IdxReader.readDirectory(dir, "x", DIGITS));
        assertOneLineContaining(e, fragment);
    }

    static void assertOneLineContaining(DataException e, String fragment) {
        String message = e.getMessage();
        assertTrue(message.contains(fragment), () -> "message '" + message + "' lacks '" + fragment + "'");
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "message has several lines: " + message);
        assertTrue(message.contains(";"), () -> "message should say what to do after ';': " + message);
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void featuresAreFloat32AndLabelsOneHot() throws Exception {
        MnistLikeDataset data = IdxReader.readDirectory(IdxTestFiles.writeSet(tmp.resolve("s"), 12, 2, true), "s", DIGITS);
        assertArrayEquals(new long[] {12, 784}, data.train().getFeatures().shape());
        assertArrayEquals(new long[] {12, 10}, data.train().getLabels().shape());
        assertEquals(org.nd4j.linalg.api.buffer.DataType.FLOAT, data.train().getLabels().dataType());
        float[] oneHot = data.train().getLabels().ravel().toFloatVector();
        for (int i = 0; i < 12; i++) {
            for (int c = 0; c < 10; c++) {
                assertEquals(c == i % 10 ? 1f : 0f, oneHot[i * 10 + c], "example " + i + " class " + c);
            }
        }
    }

    @Test
    void anImagesHeaderAnnouncingAMegapixelInflatesOnlyItsHeader() throws IOException {
        byte[] raw = new byte[16 + 1000 * 1000];                  // 1 image of 1000 x 1000: 1 MB of zeros, ~1 KB gzipped
        ByteBuffer.wrap(raw).putInt(IdxReader.Kind.IMAGES.magic).putInt(1).putInt(1000).putInt(1000);
        ByteArrayInputStream inflated = new ByteArrayInputStream(raw);     // what the gzip stream would hand over
        DataException e = assertThrows(DataException.class,
                () -> IdxReader.header(inflated, "train-images-idx3-ubyte.gz", IdxReader.Kind.IMAGES, -1));
        assertEquals(raw.length - IdxReader.Kind.IMAGES.headerBytes, inflated.available(), "inflated beyond the header");
        assertTrue(e.getMessage().contains("holds 1000x1000 images, expected 28x28"), e.getMessage());
        IdxReader.Source gz = IdxReader.Source.ofFile(gzip("train-images-idx3-ubyte.gz", raw));
        e = assertThrows(DataException.class, () -> IdxReader.header(gz, IdxReader.Kind.IMAGES));
        assertTrue(e.getMessage().contains("holds 1000x1000 images, expected 28x28"), e.getMessage());
    }

    @Test
    void aLabelsHeaderAnnouncingTenMillionLabelsIsRefusedBeforeInflating() throws IOException {
        byte[] images = new byte[16 + 784];
        ByteBuffer.wrap(images).putInt(IdxReader.Kind.IMAGES.magic).putInt(1).putInt(28).putInt(28);
        byte[] labels = new byte[8 + 10_000_000];                 // 10 MB of zeros, ~10 KB gzipped
        ByteBuffer.wrap(labels).putInt(IdxReader.Kind.LABELS.magic).putInt(10_000_000);
        IdxReader.Source imageSource = IdxReader.Source.ofFile(gzip("train-images-idx3-ubyte.gz", images));
        IdxReader.Source labelSource = IdxReader.Source.ofFile(gzip("train-labels-idx1-ubyte.gz", labels));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readSplit("train", imageSource, labelSource,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
        assertTrue(e.getMessage().startsWith("train-labels-idx1-ubyte.gz holds 10000000 labels, more than the 2739137 images"
                + " this loader keeps in memory"), e.getMessage());
    }

    private Path gzip(String name, byte[] raw) throws IOException {
        return Files.write(tmp.resolve(name), IdxTestFiles.gzip(raw));
    }
}
