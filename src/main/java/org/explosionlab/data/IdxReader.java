package org.explosionlab.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.commons.codec.digest.DigestUtils;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.datasets.mnist.MnistManager;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads the four IDX files of a MNIST-like set with DL4J's {@link MnistManager}, after checks that turn bad data
 * into one {@link DataException} line instead of a deep stack trace, silently short arrays, a full disk or an
 * out-of-memory error. The layout (LeCun, Cortes, Burges, "The MNIST database of handwritten digits"):
 * big-endian 32-bit header fields, then unsigned bytes.
 * <pre>
 * images: magic 2051 | count n | rows 28 | cols 28 | n * 784 pixel bytes   (16 + 784 n bytes)
 * labels: magic 2049 | count n | n label bytes in 0..9                       ( 8 +     n bytes)
 * features[i, p] = byte(i, p) / 255f           [n, 784] float32, p in row-major pixel order
 * labels[i, c]   = 1 if c == label(i) else 0   [n, 10]  float32 (one-hot)
 * </pre>
 * Each file is gzipped (name ends in {@code .gz}) or not, on disk or on the class path. The checks, each before
 * anything larger is read:
 * <ol>
 *   <li>every file's header: magic number, count &gt; 0, 28 x 28; a plain file's length is the one its header
 *       announces, and the split must fit in memory ({@link #requireFits}). This comes before a file is hashed
 *       (a 5 GB file is refused unread) and before it is inflated, so a gzip bomb through the count, the
 *       rows x columns or the label count stops after its header;</li>
 *   <li>each source file's SHA-256 (commons-codec) against the expected ones, when given;</li>
 *   <li>per split: MnistManager reads only uncompressed files on disk, so a gzipped file is inflated into a
 *       temporary file up to the length its header announces and no further; images and labels must agree in
 *       count, and every label be 0..9.</li>
 * </ol>
 */
public final class IdxReader {
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

    /** The largest example count whose feature array still fits one Java float[]. */
    static final int MAX_EXAMPLES = (Integer.MAX_VALUE - 8) / PIXELS;
    private static final String EXPECTED = String.join(", ", FILE_NAMES) + " (each may end in .gz)";
    private static final String FIX = "download or regenerate it";
    private static final double GIB = 1 << 30;

    /** The two kinds of IDX file: magic number, header length, bytes per example. */
    enum Kind {
        IMAGES(2051, 16, PIXELS), LABELS(2049, 8, 1);

        final int magic;
        final int headerBytes;
        final int exampleBytes;

        Kind(int magic, int headerBytes, int exampleBytes) {
            this.magic = magic;
            this.headerBytes = headerBytes;
            this.exampleBytes = exampleBytes;
        }

        static Kind of(String fileName) {
            return fileName.contains("images") ? IMAGES : LABELS;
        }

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private IdxReader() {
    }

    /**
     * A directory holding the four files under their standard names, each gzipped or not; an uncompressed file
     * wins over its {@code .gz} twin (DL4J's MNIST cache keeps each download's {@code .gz} beside what it
     * extracted). Any example count is accepted.
     *
     * @param name       the name recorded in the provenance (what selects this dataset again)
     * @param classNames names of the ten classes
     */
    public static MnistLikeDataset readDirectory(Path dir, String name, List<String> classNames) {
        return readDirectory(dir, name, classNames, false);
    }

    /**
     * A directory the user names ({@code --data DIR}): as {@link #readDirectory(Path, String, List)}, but a file
     * there both plain and gzipped is refused rather than one of them chosen silently (they may hold different data).
     */
    public static MnistLikeDataset readUserDirectory(Path dir, String name, List<String> classNames) {
        return readDirectory(dir, name, classNames, true);
    }

    private static MnistLikeDataset readDirectory(Path dir, String name, List<String> classNames, boolean refuseTwins) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new DataException("Dataset directory " + absolute + " does not exist; give a directory holding "
                    + EXPECTED + ", or use --data mnist-embedded");
        }
        if (!Files.isDirectory(absolute)) {
            throw new DataException(absolute + " is not a directory; give a directory holding " + EXPECTED
                    + ", or use --data mnist-embedded");
        }
        Map<String, Source> sources = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String base : FILE_NAMES) {
            Path raw = absolute.resolve(base);
            Path gz = absolute.resolve(base + GZIP_SUFFIX);
            if (refuseTwins && Files.exists(raw) && Files.exists(gz)) {
                throw new DataException("Dataset directory " + absolute + " holds both " + base + " and " + base + GZIP_SUFFIX
                        + ", which may differ, and explosion-lab will not pick one silently; remove or rename one of them");
            }
            if (Files.exists(raw) && !Files.isRegularFile(raw) || !Files.exists(raw) && Files.exists(gz) && !Files.isRegularFile(gz)) {
                Path odd = Files.exists(raw) ? raw : gz;
                throw new DataException("Dataset directory " + absolute + ": " + odd.getFileName() + " is " + kind(odd)
                        + ", not a file; put the IDX file itself there");
            }
            if (Files.isRegularFile(raw) || Files.isRegularFile(gz)) {
                sources.put(base, Source.ofFile(Files.isRegularFile(raw) ? raw : gz));
            } else {
                missing.add(base);
            }
        }
        if (missing.size() == FILE_NAMES.size()) {
            throw new DataException("Dataset directory " + absolute + " holds no MNIST-style data set (none of " + EXPECTED
                    + "); give a directory holding them, or a known name: mnist-embedded, mnist, fashion-mnist");
        }
        if (!missing.isEmpty()) {
            throw new DataException("Dataset directory " + absolute + " lacks " + String.join(", ", missing)
                    + " (or .gz); it needs " + EXPECTED);
        }
        return read(name, absolute.toString(), sources, classNames, Map.of());
    }

    /** "a directory", "a named pipe (FIFO)", ... for a path that is not a regular file. */
    private static String kind(Path p) {
        if (Files.isDirectory(p)) return "a directory";
        try {
            int type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
            return type == 0010000 ? "a named pipe (FIFO)" : type == 0020000 ? "a character device"
                    : type == 0060000 ? "a block device" : type == 0140000 ? "a socket" : "not a regular file";
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
    }

    /**
     * The four sources (keyed by {@link #FILE_NAMES} base name) as a dataset, after the checks of the class comment.
     *
     * @param expectedSha256 source file name &rarr; required SHA-256 hex; empty to accept any content
     */
    static MnistLikeDataset read(String name, String location, Map<String, Source> sources,
                                 List<String> classNames, Map<String, String> expectedSha256) {
        for (String base : FILE_NAMES) header(sources.get(base), Kind.of(base));   // before a byte is hashed or inflated
        Map<String, String> sha256 = new LinkedHashMap<>();
        for (String base : FILE_NAMES) {
            Source source = sources.get(base);
            String actual = source.sha256();
            String expected = expectedSha256.get(source.fileName());
            if (!expectedSha256.isEmpty() && !actual.equals(expected)) {
                throw new DataException(source.location() + " has SHA-256 " + actual + ", expected " + expected
                        + "; the data was altered or damaged, restore it from a clean checkout or jar");
            }
            sha256.put(source.fileName(), actual);
        }
        DataSet train = readSplit("train", sources.get(TRAIN_IMAGES), sources.get(TRAIN_LABELS), classNames);
        DataSet test = readSplit("test", sources.get(TEST_IMAGES), sources.get(TEST_LABELS), classNames);
        return new MnistLikeDataset(train, test, classNames,
                new DatasetProvenance(name, location, train.numExamples(), test.numExamples(), sha256));
    }

    /** One split (an images file and its labels file) as in-memory float32 arrays, read once. */
    static DataSet readSplit(String split, Source images, Source labels, List<String> classNames) {
        Header imageHeader = header(images, Kind.IMAGES);
        Header labelHeader = header(labels, Kind.LABELS);
        try (Unpacked rawImages = unpack(images, imageHeader); Unpacked rawLabels = unpack(labels, labelHeader)) {
            if (imageHeader.count() != labelHeader.count()) {
                throw new DataException("The " + split + " split has " + imageHeader.count() + " images in "
                        + images.fileName() + " but " + labelHeader.count() + " labels in " + labels.fileName()
                        + "; both files must come from the same set");
            }
            return toDataSet(split, rawImages, rawLabels, imageHeader.count(), labels.fileName(), classNames);
        }
    }

    /** A checked IDX header: the example count and the file length it announces. */
    record Header(Kind kind, int count, long declaredBytes) {
    }

    /** Reads and checks the header of {@code source} (see the class comment); inflates no more than the header. */
    static Header header(Source source, Kind kind) {
        try (InputStream in = source.openInflated()) {
            return header(in, source.fileName(), kind, source.plainFile() == null ? -1 : Files.size(source.plainFile()));
        } catch (EOFException | ZipException e) {
            throw corruptedGzip(source, e);
        } catch (IOException e) {
            throw new DataException("Could not read " + source.location() + " (" + e.getMessage() + "); check that the file"
                    + " is readable", e);
        }
    }

    /**
     * Checks the header at the start of {@code in}, reading only its {@code kind.headerBytes} bytes.
     *
     * @param plainLength the file's length when it is read as it is, -1 when it is inflated (checked then)
     */
    static Header header(InputStream in, String fileName, Kind kind, long plainLength) throws IOException {
        byte[] bytes = in.readNBytes(kind.headerBytes);
        if (bytes.length < kind.headerBytes) {
            throw new DataException(fileName + " is truncated: " + bytes.length + " bytes, shorter than the "
                    + kind.headerBytes + "-byte IDX " + kind.word() + " header; " + FIX);
        }
        ByteBuffer h = ByteBuffer.wrap(bytes);
        if (h.getInt(0) != kind.magic) {
            throw new DataException(fileName + " has magic number " + h.getInt(0) + ", expected " + kind.magic
                    + " for IDX " + kind.word() + " (" + Kind.IMAGES.magic + " images, " + Kind.LABELS.magic
                    + " labels); check that it is an MNIST-style " + kind.word() + " file");
        }
        int count = h.getInt(4);
        if (count <= 0) {
            throw new DataException(fileName + " is corrupted: its header announces " + count + " examples; " + FIX);
        }
        if (kind == Kind.IMAGES && (h.getInt(8) != ROWS || h.getInt(12) != COLS)) {
            throw new DataException(fileName + " holds " + h.getInt(8) + "x" + h.getInt(12) + " images, expected "
                    + ROWS + "x" + COLS + "; only MNIST-sized images are supported");
        }
        Header header = new Header(kind, count, kind.headerBytes + (long) count * kind.exampleBytes);
        if (plainLength >= 0) requireLength(fileName, header, plainLength);
        if (kind == Kind.IMAGES) {
            requireFits(fileName, count);
        } else if (count > MAX_EXAMPLES) {
            throw new DataException(fileName + " holds " + count + " labels, more than the " + MAX_EXAMPLES
                    + " images this loader keeps in memory (a corrupted file, or a gzip bomb); use a smaller set");
        }
        return header;
    }

    private static void requireLength(String fileName, Header header, long length) {
        String kind = header.kind().word();
        if (length < header.declaredBytes()) {
            throw new DataException(fileName + " is truncated: its header announces " + header.count() + " " + kind
                    + " (" + header.declaredBytes() + " bytes) but it has " + length + " bytes; " + FIX);
        }
        if (length > header.declaredBytes()) {
            throw new DataException(fileName + " is corrupted: " + (length - header.declaredBytes()) + " bytes follow the "
                    + header.count() + " " + kind + " its header announces; " + FIX);
        }
    }

    /**
     * Refuses a split whose arrays cannot fit before any is allocated: {@code n * 784} float32 features
     * are built on the Java heap ({@code float[]}) and then copied off-heap by ND4J, so each side needs
     * {@code 4 * 794 n} bytes (features and one-hot labels), against the heap's free room
     * ({@link Runtime#maxMemory()} minus what is in use) and the off-heap limit: the smaller of JavaCPP's
     * {@code maxBytes} and the machine's physical memory.
     */
    static void requireFits(String fileName, long count) {
        if (count > MAX_EXAMPLES) {
            throw new DataException(fileName + " holds " + count + " images, more than the "
                    + MAX_EXAMPLES + " this loader keeps in memory; use a smaller set");
        }
        long bytes = 4L * (PIXELS + CLASSES) * count;
        Runtime rt = Runtime.getRuntime();
        long heapRoom = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long physical = Pointer.totalPhysicalBytes();
        long offHeap = Pointer.maxBytes() <= 0 ? physical : physical <= 0 ? Pointer.maxBytes() : Math.min(Pointer.maxBytes(), physical);
        if (bytes > heapRoom || bytes > offHeap) {
            throw new DataException(String.format(Locale.ROOT, "%s holds %d images: loading them needs %.1f GiB"
                    + " on the Java heap and again off-heap, more than this JVM has (%.1f GiB heap free, %.1f GiB off-heap);"
                    + " use a smaller set, or raise -Xmx", fileName, count, bytes / GIB, heapRoom / GIB, offHeap / GIB));
        }
    }

    /**
     * The source as an uncompressed file on disk: the file itself, or a temporary copy (deleted on close) inflated
     * up to the length {@code header} announces; more data than that (a corrupted file, or a gzip bomb) or less
     * (truncated) is refused.
     */
    static Unpacked unpack(Source source, Header header) {
        if (source.plainFile() != null) return new Unpacked(source.plainFile(), false);
        Path temp;
        try {
            temp = Files.createTempFile("explosionlab-idx-", ".idx");
        } catch (IOException e) {
            throw new DataException("Could not create a temporary file to unpack an IDX file (" + e.getMessage()
                    + "); check that java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") is writable", e);
        }
        Unpacked unpacked = new Unpacked(temp, true);
        try (InputStream in = source.openInflated(); OutputStream out = Files.newOutputStream(temp)) {
            long declared = header.declaredBytes();
            long written = 0;
            byte[] buf = new byte[1 << 16];
            for (int n; written < declared && (n = in.read(buf, 0, (int) Math.min(buf.length, declared - written))) >= 0; ) {
                out.write(buf, 0, n);
                written += n;
            }
            requireLength(source.fileName(), header, written);                 // short: truncated
            if (in.read() != -1) {
                throw new DataException(source.fileName() + " holds more data than the " + declared + " bytes its IDX header"
                        + " announces (a corrupted file, or a gzip bomb); stopped inflating it; download or regenerate it");
            }
            return unpacked;
        } catch (EOFException | ZipException e) {
            unpacked.close();
            throw corruptedGzip(source, e);
        } catch (IOException e) {
            unpacked.close();
            throw new DataException("Could not read " + source.location() + " (" + e.getMessage() + "); check that the file"
                    + " is readable and the temporary directory has space", e);
        } catch (RuntimeException e) {
            unpacked.close();
            throw e;
        }
    }

    private static DataException corruptedGzip(Source source, IOException e) {
        return new DataException(source.fileName() + " is a truncated or corrupted gzip file (" + e.getMessage() + ") at "
                + source.location() + "; download or regenerate it");
    }

    private static DataSet toDataSet(String split, Unpacked rawImages, Unpacked rawLabels, int n,
                                     String labelsFileName, List<String> classNames) {
        MnistManager manager;
        try {
            manager = new MnistManager(rawImages.path().toString(), rawLabels.path().toString(), n);
        } catch (IOException | RuntimeException e) {
            throw new DataException("DL4J could not read the " + split + " split (" + e.getMessage()
                    + "); download or regenerate its files", e);
        }
        try {
            float[] features = new float[n * PIXELS];
            float[] oneHot = new float[n * CLASSES];
            for (int i = 0; i < n; i++) {
                byte[] pixels = manager.readImageUnsafe(i);
                for (int p = 0; p < PIXELS; p++) {
                    features[i * PIXELS + p] = (pixels[p] & 0xFF) / 255f;
                }
                int label = manager.readLabel(i);
                if (label >= CLASSES) {
                    throw new DataException(labelsFileName + " has label " + label + " at example " + i
                            + ", expected 0.." + (CLASSES - 1) + "; download or regenerate it");
                }
                oneHot[i * CLASSES + label] = 1f;
            }
            DataSet data = new DataSet(Nd4j.create(features, new long[] {n, PIXELS}, DataType.FLOAT),
                    Nd4j.create(oneHot, new long[] {n, CLASSES}, DataType.FLOAT));
            data.setLabelNames(classNames);
            return data;
        } finally {
            manager.close();
        }
    }

    /** Opens the raw bytes of a source (still gzipped if the source is). */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** One IDX file to read, on disk or on the class path, gzipped (name ends in ".gz") or not. */
    record Source(String fileName, String location, Path file, Opener opener) {

        static Source ofFile(Path file) {
            return new Source(file.getFileName().toString(), file.toString(), file, () -> Files.newInputStream(file));
        }

        /** A class path resource such as {@code /mnist-embedded/train-images-idx3-ubyte.gz}. */
        static Source ofClasspath(String resource) {
            if (IdxReader.class.getResource(resource) == null) {
                throw new DataException("Classpath resource " + resource + " is missing; rebuild the jar with"
                        + " `mvn package` from a checkout that has data/mnist/");
            }
            return new Source(resource.substring(resource.lastIndexOf('/') + 1), "classpath:" + resource, null,
                    () -> IdxReader.class.getResourceAsStream(resource));
        }

        boolean gzipped() {
            return fileName.endsWith(GZIP_SUFFIX);
        }

        /** The file on disk when it is read as it is (not gzipped, not a class path resource), else null. */
        Path plainFile() {
            return gzipped() ? null : file;
        }

        /** The uncompressed bytes. */
        InputStream openInflated() throws IOException {
            InputStream raw = opener.open();
            if (!gzipped()) return raw;
            try {
                return new GZIPInputStream(raw, 1 << 16);
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** SHA-256 (FIPS 180-4) of the source bytes as stored (the .gz file itself for a gzipped source), lower-case hex. */
        String sha256() {
            try (InputStream in = opener.open()) {
                return DigestUtils.sha256Hex(in);
            } catch (IOException e) {
                throw new DataException("Could not read " + location + " (" + e.getMessage() + "); check that the file"
                        + " is readable", e);
            }
        }
    }

    /** An uncompressed IDX file on disk; {@link #close()} deletes it when it is a temporary copy. */
    record Unpacked(Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (!temporary) return;
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless; the temporary directory gets cleaned by the OS
            }
        }
    }
}
