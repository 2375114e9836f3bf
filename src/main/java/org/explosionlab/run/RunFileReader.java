package org.explosionlab.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way explosion-lab reads a file of a run or sweep directory it wrote (summary.json, sweep.json, the point
 * status, metrics.jsonl, checkpoint.zip, model.zip): before opening it, the path must be a regular file (links
 * followed: a named pipe would block the read forever, {@code /dev/zero} would never end, {@link SafePaths#kindOf}),
 * and a file read whole must not be larger than its {@link Kind}'s limit, so a file replaced by a huge one is refused
 * in one line instead of filling the memory. A refusal is an {@link UnreadableFile}: bad input, exit code 2.
 */
public final class RunFileReader {
    private RunFileReader() {
    }

    /** The files read whole, each with the most bytes one written by explosion-lab can hold (with a wide margin). */
    public enum Kind {
        /** summary.json: the spec, the verdict with its events (at most a few hundred) and the results: ~10 KB. */
        SUMMARY("summary.json (the run's summary)", 16L << 20),
        /** sweep.json: the plan, one spec per point (~2 KB each, a few hundred points at most). */
        SWEEP_PLAN("sweep.json (the sweep's plan)", 16L << 20),
        /** A point's status file: one word and a short reason. */
        STATUS("the point's status file", 64L << 10);

        private final String what;
        private final long maxBytes;

        Kind(String what, long maxBytes) {
            this.what = what;
            this.maxBytes = maxBytes;
        }

        /** The largest file of this kind read, in bytes. */
        public long maxBytes() {
            return maxBytes;
        }
    }

    /**
     * Fails with one line naming {@code file} and what it is when it exists but is not a regular file; a missing file
     * passes (callers say what its absence means). Call before opening any run file as a stream.
     */
    public static void requireRegularFile(Path file) {
        String kind = SafePaths.kindOf(file);
        if (kind != null) {
            throw new UnreadableFile(file + " is " + kind + ", not a file: explosion-lab reads only the regular files it"
                    + " wrote; move it away, or give a run directory as explosion-lab wrote it");
        }
    }

    /**
     * The bytes of {@code file}, a {@code kind} file explosion-lab wrote, after {@link #requireRegularFile} and with at
     * most {@link Kind#maxBytes} read: a larger file is refused in one line.
     *
     * @throws java.nio.file.NoSuchFileException when it does not exist
     * @throws IOException                       when it cannot be read
     */
    public static byte[] read(Path file, Kind kind) throws IOException {
        requireRegularFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, kind.maxBytes + 1));
            if (bytes.length > kind.maxBytes) {
                throw new UnreadableFile(file + " is larger than " + (kind.maxBytes >> 10) + " KB, far more than any "
                        + kind.what + " explosion-lab writes: it was replaced or edited; move it away, or re-run");
            }
            return bytes;
        }
    }

    /** A run file that is not a regular file, or too large for its kind. Bad input: exit code 2. */
    public static final class UnreadableFile extends RuntimeException {
        public UnreadableFile(String message) {
            super(message);
        }
    }
}
