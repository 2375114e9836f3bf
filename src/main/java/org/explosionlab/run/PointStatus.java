package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.explosionlab.run.AtomicFiles;

/**
 * Where a point of a sweep stands, kept in its run directory as {@value #FILE} (one line: the status,
 * then for a failure ": " and what went wrong), so that an interrupted or killed sweep can be read and
 * resumed from its files alone. A point is {@link #DONE} only once its {@code summary.json} and
 * {@code model.zip} are written; a point the sweep never started has no directory at all.
 */
public enum PointStatus {
    /** Not started (no run directory yet). */
    PENDING,
    /** Training now, or killed without a chance to say so (kill -9): resume runs it again. */
    RUNNING,
    /** Finished: summary.json, metrics.jsonl and model.zip are complete. */
    DONE,
    /** Threw (bad data, out of memory, a bug): the row and the file say what; the other points go on. */
    FAILED,
    /** Stopped by Ctrl-C (SIGINT) before it finished: resume continues it from its last checkpoint. */
    INTERRUPTED;

    /** The file holding a point's status in its run directory. */
    public static final String FILE = "point-status.txt";

    /** Lower-case name as written in the file and the tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Writes {@code runDir/point-status.txt} atomically: {@code label} or {@code label: detail}. */
    public void write(Path runDir, String detail) {
        String line = (detail == null || detail.isBlank() ? label() : label() + ": " + detail) + "\n";
        try {
            AtomicFiles.writeString(runDir.resolve(FILE), line);
        } catch (UncheckedIOException e) {
            if (!inPlace(runDir.resolve(FILE), line)) throw e;
        }
    }

    /**
     * On a full disk the temp file of an atomic write gets no block, but the existing status file has
     * one: the new line (cut to fit a block) is written over it in place, so a point that failed there
     * says {@code failed}, not {@code running}. False when that fails too.
     */
    private static boolean inPlace(Path file, String line) {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return false;
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 4000) bytes = (new String(bytes, 0, 3990, StandardCharsets.UTF_8).strip() + "\n").getBytes(StandardCharsets.UTF_8);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) ch.write(buf, buf.position());
            ch.truncate(bytes.length);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The status recorded in {@code runDir}; {@link #PENDING} when the directory or file is missing. */
    public static PointStatus read(Path runDir) {
        Path f = runDir.resolve(FILE);
        if (!Files.isRegularFile(f)) return PENDING;
        try {
            String line = Files.readString(f, StandardCharsets.UTF_8).strip();
            String word = line.split(":", 2)[0].strip().toUpperCase(Locale.ROOT);
            for (PointStatus s : values()) if (s.name().equals(word)) return s;
            return PENDING;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
