package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Whole-file writes that never leave a half-written file: write a temp file beside it, then rename
 * (POSIX {@code rename(2)} replaces the target atomically). Temp files are named
 * {@code .<target name>.<pid>.<hex>.tmp}, so a kill between write and rename leaves one that
 * {@link RunFiles#isLeftover} recognises by its exact shape and target name (a user's own {@code .notes.old.tmp} is
 * never one), and they get the default mode of new files (umask), like every other run file;
 * {@code Files.createTempFile} would make them owner-only (0600) and the renamed file with them.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void writeString(Path target, String content) {
        writeBytes(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(Path target, byte[] content) {
        Path tmp = null;
        try {
            tmp = tempBeside(target);
            Files.write(tmp, content);
            replace(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A new empty file in the target's directory, for content that {@link #replace} then moves over the target. */
    public static Path tempBeside(Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(System.nanoTime()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) throw e;
            }
        }
    }

    /** Renames {@code tmp} over {@code target}: readers see the old file or the new one, never half of one. */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code p} if it exists, quietly: for clean-up after another failure. */
    public static void deleteQuietly(Path p) {
        try {
            if (p != null) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the original error is the one worth reporting
        }
    }
}
