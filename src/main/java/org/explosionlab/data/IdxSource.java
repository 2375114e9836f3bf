package org.explosionlab.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * One IDX file to read, on disk or on the classpath, gzipped (name ends in ".gz") or not.
 * DL4J's {@link org.deeplearning4j.datasets.mnist.MnistManager} reads only uncompressed files on disk,
 * so {@link #materialize(int, HeaderCheck)} gunzips into a temporary file when needed.
 */
final class IdxSource {

    /** Opens the raw bytes of the source (still gzipped if the source is). */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    private final String fileName;
    private final String location;
    private final Path file;
    private final Opener opener;

    private IdxSource(String fileName, String location, Path file, Opener opener) {
        this.fileName = fileName;
        this.location = location;
        this.file = file;
        this.opener = opener;
    }

    static IdxSource ofFile(Path file) {
        return new IdxSource(file.getFileName().toString(), file.toString(), file, () -> Files.newInputStream(file));
    }

    /** A classpath resource such as {@code /mnist-embedded/train-images-idx3-ubyte.gz}. */
    static IdxSource ofClasspath(String resource) {
        if (IdxSource.class.getResource(resource) == null) {
            throw new DataException("Classpath resource " + resource + " is missing; rebuild the jar with"
                    + " `mvn package` from a checkout that has data/mnist/");
        }
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        return new IdxSource(fileName, "classpath:" + resource, null, () -> IdxSource.class.getResourceAsStream(resource));
    }

    String fileName() {
        return fileName;
    }

    String location() {
        return location;
    }

    /** The file on disk when it is read as it is (not gzipped, not a classpath resource), else null. */
    Path plainFile() {
        return gzipped() ? null : file;
    }

    boolean gzipped() {
        return fileName.endsWith(IdxFormat.GZIP_SUFFIX);
    }

    /** SHA-256 of the source bytes as stored (the .gz file itself for a gzipped source). */
    String sha256() {
        try (InputStream in = opener.open()) {
            return Sha256.hex(in);
        } catch (IOException e) {
            throw new DataException("Could not read " + location + " (" + e.getMessage() + "); check that the file"
                    + " is readable", e);
        }
    }

    /** {@link #materialize(int, HeaderCheck)} of a file of any IDX kind, without a header check. */
    RawIdxFile materialize() {
        return materialize(0, (magic, count) -> { });
    }

    /** Called with an IDX file's magic number and example count before its body is read. */
    @FunctionalInterface
    interface HeaderCheck {
        void check(int magic, int count);
    }

    /**
     * The source as an uncompressed file on disk; a temporary copy (deleted on close) if it is gzipped.
     * A gzipped source is inflated header first: {@code check} sees the magic number and example count
     * before anything else is inflated, and inflation stops at the length the header announces
     * ({@link IdxFormat#declaredLength}), so a gzip bomb never fills the temporary directory. A file whose
     * magic number is not {@code expectedMagic} (0: any) is cut after its header, for {@link IdxValidator}
     * to name.
     */
    RawIdxFile materialize(int expectedMagic, HeaderCheck check) {
        if (!gzipped() && file != null) {
            return new RawIdxFile(file, false);
        }
        Path temp = createTempFile();
        try (InputStream raw = opener.open();
             InputStream in = gzipped() ? new GZIPInputStream(raw, 1 << 16) : raw;
             java.io.OutputStream out = Files.newOutputStream(temp)) {
            byte[] header = in.readNBytes(IdxFormat.IMAGES_HEADER_BYTES);
            java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header);
            if (header.length >= IdxFormat.LABELS_HEADER_BYTES) check.check(h.getInt(0), h.getInt(4));
            long declared = IdxFormat.declaredLength(header);   // -1: not an IDX header; IdxValidator names why
            if (expectedMagic != 0 && header.length >= 4 && h.getInt(0) != expectedMagic) declared = -1;
            if (declared < 0) {
                out.write(header);
            } else {
                long written = Math.min(header.length, declared);
                out.write(header, 0, (int) written);
                boolean more = header.length > declared;
                byte[] buf = new byte[1 << 16];
                while (!more && written < declared) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, declared - written));
                    if (n < 0) break;                                  // short: IdxValidator names the truncation
                    out.write(buf, 0, n);
                    written += n;
                }
                if (more || (written == declared && in.read() != -1)) {
                    throw new DataException(fileName + " holds more data than the " + declared + " bytes its IDX header"
                            + " announces (a corrupted file, or a gzip bomb); stopped inflating it; download or regenerate it");
                }
            }
            out.close();
            return new RawIdxFile(temp, true);
        } catch (EOFException | ZipException e) {
            deleteQuietly(temp);
            throw new DataException(fileName + " is a truncated or corrupted gzip file (" + e.getMessage() + ") at "
                    + location + "; download or regenerate it");
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new DataException("Could not read " + location + " (" + e.getMessage() + "); check that the file"
                    + " is readable and the temporary directory has space", e);
        } catch (RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    private static Path createTempFile() {
        try {
            return Files.createTempFile("explosionlab-idx-", ".idx");
        } catch (IOException e) {
            throw new DataException("Could not create a temporary file to unpack an IDX file (" + e.getMessage()
                    + "); check that java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") is writable", e);
        }
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless; the temporary directory gets cleaned by the OS
        }
    }

    /** An uncompressed IDX file on disk; {@link #close()} deletes it when it is a temporary copy. */
    record RawIdxFile(Path path, boolean temporary) implements AutoCloseable {
        @Override
        public void close() {
            if (temporary) {
                deleteQuietly(path);
            }
        }
    }
}
