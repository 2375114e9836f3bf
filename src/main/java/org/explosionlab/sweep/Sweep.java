package org.explosionlab.sweep;

import org.explosionlab.run.PointStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;
import org.explosionlab.report.Reports;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.run.AtomicFiles;
import org.explosionlab.run.RunFiles;
import org.explosionlab.run.RunDirectory;
import org.explosionlab.training.RunSummary;

/**
 * Runs the points of a sweep, {@code workers} at a time, each on a worker thread ({@link InJvmExecutor}) into
 * {@code outDir/<run>/} (created when the point starts), and writes the comparison files into
 * {@code outDir}: {@value #MARKDOWN} (the groups over seeds first when points repeat, then every run),
 * {@value #CSV} (one row per group when points repeat, else per run), {@value #RUNS_CSV} (always per run)
 * and {@code sweep.html}; each point writes its own {@code report.html} ({@link PointRunner}).
 *
 * <ul>
 *   <li>A point that throws is recorded as failed ({@link PointStatus#FAILED}, its row says why); the
 *       others go on. An exploded point is a finished run whose verdict says so.</li>
 *   <li>The progress line ({@link SweepProgress}) is printed when a point starts or ends and every
 *       {@code progressSeconds}.</li>
 *   <li>Ctrl-C (SIGINT; the JVM's shutdown hook): no new point starts, running points are marked {@link PointStatus#INTERRUPTED} and the comparison files are
 *       written with what finished. {@code sweep --resume DIR} ({@code resume = true}) then runs only
 *       the points not {@link PointStatus#DONE}, continuing from their last checkpoint.</li>
 * </ul>
 */
public final class Sweep {
    /** File names of the comparison tables in the sweep directory. */
    public static final String MARKDOWN = "comparison.md";
    public static final String CSV = "comparison.csv";
    public static final String RUNS_CSV = "comparison-runs.csv";

    private final PrintStream console;
    private final InJvmExecutor executor;
    private final ToLongFunction<SweepPoint> plannedIterations;
    private final int workers;
    private final int progressSeconds;
    private final Object lock = new Object();
    private volatile boolean stopping;

    /**
     * @param console           where progress goes (null = silent)
     * @param executor          trains one point on a worker thread
     * @param plannedIterations a point's epochs × minibatches per epoch, for the progress line (0 = unknown)
     * @param workers           points trained at once (≥ 1)
     * @param progressSeconds   print the progress line this often while points run (0 = only at starts and ends)
     */
    public Sweep(PrintStream console, InJvmExecutor executor, ToLongFunction<SweepPoint> plannedIterations, int workers,
                 int progressSeconds) {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        this.console = console;
        this.executor = executor;
        this.plannedIterations = plannedIterations;
        this.workers = workers;
        this.progressSeconds = progressSeconds;
    }

    /**
     * Runs the plan: writes {@code sweep.json} first unless resuming, then every point not yet done.
     *
     * @param resume true to keep the points {@code outDir} already holds as done and finish the others
     */
    public SweepResult run(SweepManifest plan, Path outDir, boolean resume) {
        List<SweepPoint> points = plan.points();
        createDirectories(outDir);
        if (!resume) plan.write(outDir);
        PointOutcome[] outcomes = new PointOutcome[points.size()];
        int alreadyDone = 0;
        for (int i = 0; i < points.size(); i++) {
            SweepPoint p = points.get(i);
            RunSummary s = resume ? finishedSummary(outDir.resolve(p.dirName())) : null;
            outcomes[i] = s != null ? PointOutcome.done(p, s) : new PointOutcome(p, PointStatus.PENDING, null, null);
            if (s != null) alreadyDone++;
        }
        SweepProgress progress = new SweepProgress(points.size(), alreadyDone);
        Thread hook = new Thread(() -> interrupted(outcomes, outDir, progress), "sweep-sigint");
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicInteger nextWorker = new AtomicInteger(1);
        ThreadLocal<Integer> workerId = ThreadLocal.withInitial(nextWorker::getAndIncrement);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sweep-worker");
            t.setDaemon(true);
            return t;
        });
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sweep-progress");
            t.setDaemon(true);
            return t;
        });
        if (progressSeconds > 0) ticker.scheduleAtFixedRate(() -> println(progress.line()), progressSeconds, progressSeconds, TimeUnit.SECONDS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                if (outcomes[i].status() == PointStatus.DONE) continue;
                int index = i;
                futures.add(pool.submit(() -> runPoint(index, workerId.get(), plan, outDir, resume, outcomes, progress)));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep worker failed outside its point", e.getCause());
        } finally {
            ticker.shutdownNow();
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook writes the tables
            }
        }
        synchronized (lock) {
            return writeTables(outcomes, outDir, false);
        }
    }

    private void runPoint(int index, int worker, SweepManifest plan, Path outDir, boolean resume, PointOutcome[] outcomes,
                          SweepProgress progress) {
        SweepPoint p = plan.points().get(index);
        Path runDir = outDir.resolve(p.dirName());
        synchronized (lock) {
            if (stopping) return;
            outcomes[index] = new PointOutcome(p, PointStatus.RUNNING, null, null);
            progress.started(worker, p, plannedIterations.applyAsLong(p));
        }
        println(progress.line());
        PointOutcome outcome;
        try {
            RunDirectory.createPoint(runDir);
            PointStatus.RUNNING.write(runDir, null);
            outcome = PointOutcome.done(p, executor.run(p, runDir, plan.maxBatches(), plan.command(), resume,
                    it -> progress.reached(worker, it)));
        } catch (Throwable t) {            // a failed point (even out of memory) never stops the others
            outcome = PointOutcome.failed(p, t);
        }
        synchronized (lock) {
            if (stopping && outcome.status() == PointStatus.FAILED) return;    // killed by Ctrl-C: stays interrupted
            try {
                if (outcome.status() == PointStatus.DONE) PointStatus.DONE.write(runDir, null);
                else PointStatus.FAILED.write(runDir, outcome.message());
            } catch (RuntimeException e) {
                // the run directory itself is what failed: the row says so
            }
            outcomes[index] = outcome;
            progress.finished(worker, outcome.status() == PointStatus.DONE);
        }
        println(String.format(Locale.ROOT, "[%d/%d] %s: %s", progress.done(), plan.points().size(), p.label(), describe(outcome)));
    }

    private static String describe(PointOutcome o) {
        if (o.status() != PointStatus.DONE) return o.status().label() + (o.message() == null ? "" : ": " + o.message());
        RunSummary s = o.summary();
        Long first = s.verdict().firstIteration();
        return String.format(Locale.ROOT, "test acc %.4f, verdict %s%s, %.1f s", s.results().testAccuracy(), s.verdict().kind(),
                first == null ? "" : " at iteration " + first, s.results().trainSeconds());
    }

    /** The shutdown hook: Ctrl-C arrived (or the JVM is exiting) before the sweep ended. */
    private void interrupted(PointOutcome[] outcomes, Path outDir, SweepProgress progress) {
        synchronized (lock) {
            stopping = true;
            int marked = 0;
            int kept = 0;
            for (int i = 0; i < outcomes.length; i++) {
                PointOutcome o = outcomes[i];
                if (o.status() == PointStatus.RUNNING) {
                    PointStatus.INTERRUPTED.write(outDir.resolve(o.point().dirName()), "stopped by Ctrl-C; sweep --resume continues it");
                    outcomes[i] = new PointOutcome(o.point(), PointStatus.INTERRUPTED, null, null);
                    marked++;
                } else if (o.status() == PointStatus.DONE) {
                    kept++;
                }
            }
            writeTables(outcomes, outDir, true);
            println(String.format(Locale.ROOT, "%nsweep interrupted: %d finished runs kept, %d marked interrupted, %d not started; "
                    + "finish with: explosion-lab sweep --resume %s", kept, marked, outcomes.length - kept - marked
                    - (int) java.util.Arrays.stream(outcomes).filter(o -> o.status() == PointStatus.FAILED).count(), outDir));
        }
    }

    private SweepResult writeTables(PointOutcome[] outcomes, Path outDir, boolean interrupted) {
        return writeTables(List.of(outcomes), outDir, interrupted, console);
    }

    /**
     * Writes a sweep's tables ({@value #MARKDOWN}, {@value #CSV}, {@value #RUNS_CSV}) and, unless it was
     * interrupted, {@code sweep.html} in plan order: for a local sweep and for the Spark driver alike.
     *
     * @param outcomes every point's outcome, in plan order
     * @param console  where a sweep.html that could not be written is reported (null = silent)
     */
    public static SweepResult writeTables(List<PointOutcome> outcomes, Path outDir, boolean interrupted, PrintStream console) {
        ComparisonTable table = new ComparisonTable(outcomes.stream().map(PointOutcome::row).toList());
        SeedGroups groups = SeedGroups.of(outcomes);
        String md = groups.hasRepeats()
                ? "## Groups (repeats over seeds)\n\n" + groups.markdown() + "\n## Runs\n\n" + table.markdown()
                : table.markdown();
        AtomicFiles.writeString(outDir.resolve(MARKDOWN), md);
        AtomicFiles.writeString(outDir.resolve(CSV), groups.hasRepeats() ? groups.csv() : table.csv());
        AtomicFiles.writeString(outDir.resolve(RUNS_CSV), table.csv());
        if (!interrupted) {
            try {
                Reports.writeSweepReport(outDir, outcomes.stream().map(o -> o.point().dirName()).toList(), groups.table());
            } catch (RuntimeException e) {
                if (console != null) console.println("sweep.html not written (" + e.getMessage() + "); explosion-lab report " + outDir + " rebuilds it");
            }
        }
        return new SweepResult(outcomes, table, groups, outDir, interrupted);
    }

    /**
     * {@code sweep --overwrite}: removes the earlier sweep from {@code outDir} (locked by the caller), so
     * that neither its tables nor sweep.html list its points as the new sweep's runs: its
     * {@value SweepManifest#FILE} and {@value #RUNS_CSV}, and every sub-directory explosion-lab wrote (it
     * holds the lock file; not a symbolic link, not in use by another process) emptied of the files a run
     * writes and removed when nothing else is left in it. A user's own files and directories stay.
     */
    public static void clearEarlierSweep(Path outDir) {
        try {
            Files.deleteIfExists(outDir.resolve(SweepManifest.FILE));
            Files.deleteIfExists(outDir.resolve(RUNS_CSV));
            List<Path> subs;
            try (java.util.stream.Stream<Path> entries = Files.list(outDir)) {
                subs = entries.filter(d -> Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
            }
            for (Path sub : subs) RunDirectory.removeEarlierPoint(sub);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the earlier sweep in " + outDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code sweep --resume}: fails with one line when a point the plan's earlier run finished holds a run of another
     * spec (a summary.json copied or edited into it): the sweep would list a foreign run as its own.
     */
    public static void requireOwnResults(SweepManifest plan, Path outDir) {
        for (SweepPoint p : plan.points()) {
            Path runDir = outDir.resolve(p.dirName());
            RunSummary s = finishedSummary(runDir);
            if (s == null) continue;
            var written = org.explosionlab.run.SpecChange.tree(s.spec());
            var planned = org.explosionlab.run.SpecChange.tree(p.spec());
            if (!written.equals(planned)) {
                throw new org.explosionlab.spec.SpecException(runDir.resolve(RunFiles.SUMMARY) + " is the run of another spec than point "
                        + p.label() + " of " + outDir.resolve(SweepManifest.FILE) + " ("
                        + shortList(org.explosionlab.run.SpecChange.changedFields(planned, written))
                        + "); this sweep did not write it: move it away and sweep --resume, or start a new sweep");
            }
        }
    }

    private static String shortList(List<String> changed) {
        return changed.size() <= 3 ? String.join(", ", changed)
                : String.join(", ", changed.subList(0, 3)) + " and " + (changed.size() - 3) + " more fields";
    }

    /** The summary of a point an earlier sweep finished (status done, summary with results, model.zip), else null. */
    public static RunSummary finishedSummary(Path runDir) {
        if (PointStatus.read(runDir) != PointStatus.DONE || !Files.isRegularFile(runDir.resolve(RunFiles.MODEL))) return null;
        try {
            RunSummary s = SpecJson.mapper().readValue(runDir.resolve(RunFiles.SUMMARY).toFile(), RunSummary.class);
            return s.results() == null ? null : s;
        } catch (IOException e) {
            return null;             // unreadable: run it again
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sweep directory " + dir, e);
        }
    }

    private void println(String line) {
        if (console != null) console.println(line);
    }
}
