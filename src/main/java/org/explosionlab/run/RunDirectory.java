package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;

/**
 * Creates a run directory or refuses it. {@code train}: {@code runs/<name>-<yyyyMMdd-HHmmss>} unless
 * {@code --out} is given; checks come first ({@link #check}), and the directory is created and locked only
 * when the run is about to start ({@link #open}), so bad input leaves nothing on disk. A sweep point's
 * directory is claimed when the point starts ({@link #claimPoint}). One writer per directory
 * ({@link RunLock}); {@code --overwrite} replaces only a directory explosion-lab wrote (it holds
 * {@value RunLock#FILE}), and only the files a run writes ({@link RunFiles}).
 */
public final class RunDirectory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    public static Path defaultFor(String name) {
        return Path.of("runs", name + "-" + LocalDateTime.now().format(STAMP));
    }

    /**
     * {@code train --out}: fails with one line when {@code dir} is a sweep's directory or one of its points
     * ({@code --overwrite} would mix a lone run into the sweep, whose tables and resume then list it).
     */
    public static void requireNotSweep(Path dir) {
        if (Files.isRegularFile(dir.resolve(RunFiles.SWEEP_PLAN))) {
            throw new Refused("--out " + dir + " is a sweep directory (it holds " + RunFiles.SWEEP_PLAN
                    + "); train writes a run directory of its own: choose another --out");
        }
        if (Files.isRegularFile(dir.resolve(PointStatus.FILE))) {
            throw new Refused("--out " + dir + " is a point of the sweep in " + dir.toAbsolutePath().getParent()
                    + " (it holds " + PointStatus.FILE + "); sweep --resume finishes it: choose another --out");
        }
    }

    /** {@code sweep --out}: fails with one line when {@code dir} holds a {@code train} run (its files at the top). */
    public static void requireNotRun(Path dir) {
        for (String f : List.of(RunFiles.SPEC, RunFiles.SUMMARY, RunFiles.METRICS, Checkpoint.FILE, RunFiles.MODEL)) {
            if (Files.isRegularFile(dir.resolve(f))) {
                throw new Refused("--out " + dir + " holds a train run (" + f + "), not a sweep; a sweep writes a"
                        + " directory of its own and --overwrite replaces only a sweep's: choose another --out");
            }
        }
    }

    /** Fails with one line when {@code dir} cannot become a fresh run directory. */
    public static void check(Path dir, boolean overwrite) {
        if (dir.toString().isBlank()) {
            throw new Refused("--out is empty; give the directory the run should be written to, e.g. --out runs/try1");
        }
        SafePaths.requireNotLink(dir, "--out");
        if (Files.isRegularFile(dir)) {
            throw new Refused("output " + dir + " is a file, not a directory; choose another --out");
        }
        requireNoDotDotThroughNothing(dir);
        String holder = Files.isDirectory(dir) ? RunLock.holderOf(dir) : null;
        if (holder != null) throw new RunLock.HeldException(dir, holder);
        if (Files.isDirectory(dir) && !isEmpty(dir) && !RunLock.marksRun(dir)) {   // --overwrite would be refused: never suggest it
            throw new Refused("output directory " + dir + " holds files explosion-lab did not write (it has no "
                    + RunLock.FILE + "), which it never replaces, not even with --overwrite; give --out a new or empty directory");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir) && !overwrite) {
            throw new Refused("output directory " + dir + " already holds a run; choose another --out or add --overwrite");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            throw new Refused("cannot create output directory " + dir + ": " + existing + " is not a directory; choose another --out");
        }
        if (!Files.isWritable(existing)) {
            throw new Refused("cannot create output directory " + dir + ": " + existing + " is not writable; choose another --out");
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
                throw new Refused("--out " + dir + " goes up with '..' out of " + before + ", which does not exist;"
                        + " give the directory without '..', e.g. --out " + dir.normalize());
            }
        }
    }

    /**
     * Creates the directory and takes its lock (held until the returned lock is closed); with overwrite,
     * then removes the previous run's files. Throws {@link RunLock.HeldException} when another process
     * holds it, and a one-line error when another run finished into it since {@link #check}.
     */
    public static RunLock open(Path dir, boolean overwrite) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Refused("cannot create output directory " + dir + " (" + e.getMessage() + "); choose another --out");
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            if (!overwrite && !isEmpty(dir)) {
                throw new Refused("output directory " + dir + " already holds a run; choose another --out or add --overwrite");
            }
            if (overwrite) RunFiles.clear(dir);
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Claims a sweep point's directory when the point starts: creates it (never through a link: {@link
     * SafePaths#requireInside}), takes its lock (held until the returned lock is closed), and, unless the point
     * resumes from a checkpoint ({@link RunLock#resumes}), refuses a finished run this sweep did not write
     * ({@link #requireNoForeignRun}) and removes the {@link RunFiles} an earlier, unfinished try left (its
     * metrics.jsonl must not be appended to).
     *
     * @param resume      true to finish a point an earlier sweep left unfinished
     * @param canContinue true when a checkpoint the earlier try left may be continued (a local sweep); false when
     *                    the point's files arrive finished (from a Spark task) and replace what is there
     */
    public static RunLock claimPoint(Path dir, ExperimentSpec spec, boolean resume, boolean canContinue) {
        createPoint(dir);
        RunLock lock = RunLock.acquire(dir);
        try {
            if (resume && canContinue && Files.isRegularFile(dir.resolve(Checkpoint.FILE)) && Files.isRegularFile(dir.resolve(RunFiles.SPEC))) {
                return lock.resuming();
            }
            requireNoForeignRun(dir, spec, resume);
            RunFiles.clear(dir);
            return lock;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Creates a sweep point's directory below the sweep's; a linked point directory is never written through. */
    public static void createPoint(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) SafePaths.requireInside(parent, dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A point's directory holds no finished run when it starts from scratch: the sweep's own earlier runs are gone
     * ({@code --overwrite} removes them at its start), and a failed try never wrote {@code model.zip}, so a finished
     * run there was written by another process (a {@code train --out} into the sweep): the point fails and leaves it
     * as it is. Resuming, a point whose directory holds this sweep's own unfinished run (its status file is there and
     * its spec.json is the point's spec) is trained again rather than blamed on another process.
     */
    public static void requireNoForeignRun(Path dir, ExperimentSpec spec, boolean resuming) {
        if (resuming && ownUnfinishedRun(dir, spec)) return;
        for (String f : List.of(RunFiles.MODEL, RunFiles.SUMMARY)) {
            if (Files.isRegularFile(dir.resolve(f)) && (f.equals(RunFiles.MODEL) || finishedSummary(dir.resolve(f)))) {
                throw new ForeignRunException(dir + " already holds a finished run (" + f + ") that this sweep did not write;"
                        + " it is kept: move it away and sweep --resume, or sweep again with --overwrite");
            }
        }
    }

    private static boolean ownUnfinishedRun(Path dir, ExperimentSpec spec) {
        if (!Files.isRegularFile(dir.resolve(PointStatus.FILE)) || !Files.isRegularFile(dir.resolve(RunFiles.SPEC))) return false;
        try {
            return SpecChange.tree(SpecJson.read(dir.resolve(RunFiles.SPEC))).equals(SpecChange.tree(spec));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A summary.json with results: the mark of a finished run (a running one has none yet). */
    private static boolean finishedSummary(Path summary) {
        try {
            return SpecJson.mapper().readTree(summary.toFile()).hasNonNull("results");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code sweep --overwrite}, for each sub-directory of the earlier sweep: when explosion-lab wrote it (it holds the
     * lock file) and no process uses it, removes the files a run writes and its status, then the directory itself
     * when nothing else is left in it. A user's own files and directories stay.
     */
    public static void removeEarlierPoint(Path dir) throws IOException {
        if (!RunLock.marksRun(dir) || RunLock.holderOf(dir) != null) return;
        RunFiles.clear(dir);
        Files.deleteIfExists(dir.resolve(PointStatus.FILE));
        try (Stream<Path> left = Files.list(dir)) {
            if (left.allMatch(f -> f.getFileName().toString().equals(RunLock.FILE))) {
                Files.deleteIfExists(dir.resolve(RunLock.FILE));
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Removes a run directory this process created when it holds nothing but its lock file; one that cannot be removed stays. */
    public static void removeEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(RunLock.FILE));
            Files.deleteIfExists(dir);            // only when empty: nothing else was there
        } catch (IOException ignored) {
            // a directory that cannot be removed stays, holding no run
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

    /** A directory that cannot become a run directory; one line for the user (bad input: exit code 2). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** A point's directory holds a finished run this sweep did not write; the message is one line for the user. */
    public static final class ForeignRunException extends IllegalStateException {
        ForeignRunException(String message) {
            super(message);
        }
    }
}
