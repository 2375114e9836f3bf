package org.explosionlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;
import org.explosionlab.training.RunFiles;
import org.explosionlab.training.RunLock;

/**
 * Chooses and prepares a run's output directory: {@code runs/<name>-<yyyyMMdd-HHmmss>} unless
 * {@code --out} is given. Checks come first ({@link #check}); the directory is created and locked only
 * when the run is about to start ({@link #open}), so bad input leaves nothing on disk. One writer per
 * directory ({@link RunLock}); {@code --overwrite} replaces only a directory explosion-lab wrote (it
 * holds {@value RunLock#FILE}), and only the files a run writes.
 */
final class RunDirectory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    static Path defaultFor(String name) {
        return Path.of("runs", name + "-" + LocalDateTime.now().format(STAMP));
    }

    /**
     * {@code train --out}: fails with one line when {@code dir} is a sweep's directory or one of its points
     * ({@code --overwrite} would mix a lone run into the sweep, whose tables and resume then list it).
     */
    static void requireNotSweep(Path dir) {
        if (Files.isRegularFile(dir.resolve(org.explosionlab.sweep.SweepManifest.FILE))) {
            throw new BadInputException("--out " + dir + " is a sweep directory (it holds " + org.explosionlab.sweep.SweepManifest.FILE
                    + "); train writes a run directory of its own: choose another --out");
        }
        if (Files.isRegularFile(dir.resolve(org.explosionlab.sweep.PointStatus.FILE))) {
            throw new BadInputException("--out " + dir + " is a point of the sweep in " + dir.toAbsolutePath().getParent()
                    + " (it holds " + org.explosionlab.sweep.PointStatus.FILE + "); sweep --resume finishes it: choose another --out");
        }
    }

    /** {@code sweep --out}: fails with one line when {@code dir} holds a {@code train} run (its files at the top). */
    static void requireNotRun(Path dir) {
        for (String f : java.util.List.of(org.explosionlab.training.Trainer.SPEC_FILE, "summary.json", "metrics.jsonl",
                org.explosionlab.training.Checkpoint.FILE, org.explosionlab.training.Trainer.MODEL_FILE)) {
            if (Files.isRegularFile(dir.resolve(f))) {
                throw new BadInputException("--out " + dir + " holds a train run (" + f + "), not a sweep; a sweep writes a"
                        + " directory of its own and --overwrite replaces only a sweep's: choose another --out");
            }
        }
    }

    /** Fails with one line when {@code dir} cannot become a fresh run directory. */
    static void check(Path dir, boolean overwrite) {
        if (dir.toString().isBlank()) {
            throw new BadInputException("--out is empty; give the directory the run should be written to, e.g. --out runs/try1");
        }
        org.explosionlab.training.SafePaths.requireNotLink(dir, "--out");
        if (Files.isRegularFile(dir)) {
            throw new BadInputException("output " + dir + " is a file, not a directory; choose another --out");
        }
        requireNoDotDotThroughNothing(dir);
        String holder = Files.isDirectory(dir) ? RunLock.holderOf(dir) : null;
        if (holder != null) throw new RunLock.HeldException(dir, holder);
        if (Files.isDirectory(dir) && !isEmpty(dir) && !overwrite) {
            throw new BadInputException("output directory " + dir + " already holds a run; choose another --out or add --overwrite");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir) && !RunLock.marksRun(dir)) {
            throw new BadInputException("--overwrite replaces only a run directory written by explosion-lab, and " + dir
                    + " holds other files (it has no " + RunLock.FILE + "); choose another --out");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            throw new BadInputException("cannot create output directory " + dir + ": " + existing + " is not a directory; choose another --out");
        }
        if (!Files.isWritable(existing)) {
            throw new BadInputException("cannot create output directory " + dir + ": " + existing + " is not writable; choose another --out");
        }
    }

    /**
     * Fails with one line when a {@code ..} of {@code dir} follows a directory that does not exist ({@code runs/x/..}
     * with no {@code runs/x}): the system cannot resolve it, so the directory could be neither checked nor created.
     */
    private static void requireNoDotDotThroughNothing(Path dir) {
        for (int i = 1; i < dir.getNameCount(); i++) {
            if (!dir.getName(i).toString().equals("..")) continue;
            Path before = dir.getRoot() == null ? dir.subpath(0, i) : dir.getRoot().resolve(dir.subpath(0, i));
            if (!Files.isDirectory(before)) {
                throw new BadInputException("--out " + dir + " goes up with '..' out of " + before + ", which does not exist;"
                        + " give the directory without '..', e.g. --out " + dir.normalize());
            }
        }
    }

    /**
     * Creates the directory and takes its lock (held until the returned lock is closed); with overwrite,
     * then removes the previous run's files. Throws {@link RunLock.HeldException} when another process
     * holds it, and a one-line error when another run finished into it since {@link #check}.
     */
    static RunLock open(Path dir, boolean overwrite) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("cannot create output directory " + dir + " (" + e.getMessage() + "); choose another --out");
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            if (!overwrite && !isEmpty(dir)) {
                throw new BadInputException("output directory " + dir + " already holds a run; choose another --out or add --overwrite");
            }
            if (overwrite) RunFiles.clear(dir);
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** True when the directory holds nothing but (at most) the lock file of an earlier attempt. */
    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE));
        } catch (IOException e) {
            return false;
        }
    }
}
