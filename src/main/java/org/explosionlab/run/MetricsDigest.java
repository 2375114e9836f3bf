package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The SHA-256 of a run's {@code metrics.jsonl} as it stands at each checkpoint, kept up incrementally: the file
 * is only appended to (one flushed line per recorded step), so each {@link #mark} hashes just the bytes appended
 * since the last one. At a checkpoint every row of the iterations before it is written and no later one, so the
 * checkpoint can record exactly what {@code --resume} must find again ({@link Checkpoint#metricsSha256}), and each
 * summary.json what {@code report} must find again ({@code RunSummary.metricsSha256}, checked with {@link #prefix}).
 */
public final class MetricsDigest {
    private final Path file;
    private final MessageDigest sha;
    private long bytes;

    /** The SHA-256 (hex) of the file's first {@code bytes} bytes. */
    public record Mark(String sha256, long bytes) {
    }

    public MetricsDigest(Path file) {
        this.file = file;
        this.sha = DigestUtils.getSha256Digest();
    }

    /** The digest of the whole file as it is now. */
    public Mark mark() {
        if (Files.exists(file)) {
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                in.position(bytes);
                for (int n; (n = in.read(buf)) > 0; buf.clear()) {
                    buf.flip();
                    sha.update(buf);
                    bytes += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " for its checksum: " + e.getMessage(), e);
            }
        }
        try {
            return new Mark(HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest()), bytes);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 clones", e);
        }
    }

    /**
     * The digest of {@code file}'s first {@code bytes} bytes (rows appended later do not count), or null when the file
     * holds fewer bytes than that.
     */
    public static Mark prefix(Path file, long bytes) throws IOException {
        MessageDigest sha = DigestUtils.getSha256Digest();
        long read = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (read < bytes) {
                buf.clear().limit((int) Math.min(buf.capacity(), bytes - read));
                int n = in.read(buf);
                if (n < 0) return null;
                buf.flip();
                sha.update(buf);
                read += n;
            }
        }
        return new Mark(HexFormat.of().formatHex(sha.digest()), read);
    }
}
