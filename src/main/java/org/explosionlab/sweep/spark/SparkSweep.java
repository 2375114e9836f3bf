package org.explosionlab.sweep.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetProvenance;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.report.Reports;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.training.Eta;
import org.explosionlab.sweep.PointOutcome;
import org.explosionlab.run.PointStatus;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepManifest;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.run.RunDirectory;
import org.explosionlab.run.RunFiles;
import org.explosionlab.run.RunLock;
import org.explosionlab.training.RunSummary;

/**
 * A sweep whose points run as Spark tasks, one independent DL4J training per task (not DL4J's
 * {@code dl4j-spark}, which trains one network data-parallel). The driver sends each point as its own
 * one-task job, so a point Spark gives up on (its executor died {@code spark.task.maxFailures} times)
 * fails alone; as each job ends, the driver writes the point's run directory from the files the task
 * sent back. At the end it writes comparison.md, comparison.csv and sweep.html, as a local sweep does.
 *
 * <p>The driver runs in this JVM: in-process for {@code sweep --spark-master URL}, or as the
 * application spark-submit starts. Spark's scheduler hands each job's task to a free executor core,
 * so {@code local[2]} trains two points at a time.
 */
public final class SparkSweep implements AutoCloseable {
    public static final String APP_NAME = "explosion-lab sweep";
    /** Jobs handed to Spark at once; the rest wait on the driver (Spark queues them anyway). */
    static final int MAX_JOBS_IN_FLIGHT = 64;

    /** How long the driver waits for the jobs still open once Spark has stopped its context. */
    static final long STOPPED_GRACE_MILLIS = 10_000;
    /** The reason recorded for a point whose job was still open when Spark stopped its context. */
    static final String STOPPED = "Spark stopped its context before this point ended (a lost master or executors); nothing came back";
    /** How long a master of a cluster URL may take to accept a TCP connection before the sweep gives up on it. */
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final long POLL_MILLIS = 500;
    /** Spark's setting for the JVM options of cluster executors. */
    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    private static final Pattern TASK_FAILURE = Pattern.compile(
            "failed (\\d+) times?, most recent failure: Lost task \\S+ in stage \\S+ \\(TID \\d+\\) \\(([^)]*)\\): (.*)$");

    private final JavaSparkContext spark;
    private final PrintStream console;
    private final PointTraining training;

    private final String master;

    private SparkSweep(JavaSparkContext spark, PrintStream console, PointTraining training) {
        this.spark = spark;
        this.master = spark.master();
        this.console = console;
        this.training = training;
    }

    /**
     * Starts a Spark driver. Call {@link SparkClasspath#check()} first, in a class that does not load Spark.
     *
     * @param master   a Spark master URL, or null for the {@code spark.master} that spark-submit sets
     * @param console  where progress lines go (null = silent)
     * @param training how a task trains its point
     * @throws SparkSetupException when there is no master, Spark refuses it, or a cluster would lack this project's classes
     */
    public static SparkSweep start(String master, PrintStream console, PointTraining training) {
        return start(master, console, training, "");
    }

    /**
     * {@link #start(String, PrintStream, PointTraining)} whose cluster executors start with {@code executorJvmOptions}
     * ({@code spark.executor.extraJavaOptions}, unless the user's Spark configuration sets it): an executor trains
     * points one after another like a sweep worker, so it needs the JVM flags that keep one training on one core.
     * On {@code local[N]} the executors are threads of this JVM and the option has no effect.
     */
    public static SparkSweep start(String master, PrintStream console, PointTraining training, String executorJvmOptions) {
        SparkConf conf = new SparkConf().setAppName(APP_NAME);
        if (master != null) conf.setMaster(master);
        if (!executorJvmOptions.isBlank() && !conf.contains(EXECUTOR_JAVA_OPTIONS)) conf.set(EXECUTOR_JAVA_OPTIONS, executorJvmOptions);
        if (!conf.contains("spark.master")) {
            throw new SparkSetupException("no Spark master; give --spark-master URL (local[2], spark://HOST:7077) or run through spark-submit --master URL");
        }
        String url = conf.get("spark.master");
        if (url.startsWith("spark://")) requireReachable(url);
        if (isCluster(url) && !conf.contains("spark.jars")) {
            Path jar = fatJar();
            if (jar == null) {
                throw new SparkSetupException("--spark-master " + url + ": the executors need this project's classes and DL4J in one jar;"
                        + " build it with mvn -Pspark package and start the sweep with spark-submit (see README, Spark)");
            }
            conf.set("spark.jars", jar.toString());
        }
        try {
            return new SparkSweep(new JavaSparkContext(conf), console, training);
        } catch (Exception e) {                 // Scala throws SparkException, a checked exception to Java, undeclared
            throw new SparkSetupException("--spark-master " + url + ": Spark cannot start a driver on it (" + firstLine(e)
                    + "); use local[N], local[*] or spark://HOST:7077", e);
        }
    }

    /**
     * A standalone master that accepts no connection makes Spark retry for about a minute, logging each
     * try's stack trace, and then stop its context: one line at once instead. {@code spark://H1:P1,H2:P2}
     * (standby masters) passes when any of them answers.
     */
    static void requireReachable(String url) {
        String why = null;
        String first = null;
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1).replaceAll("/.*$", ""));
            } catch (NumberFormatException e) {
                return;                             // Spark's own parser says what is wrong with it
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException | IllegalArgumentException e) {
                if (why == null) {
                    first = host + ":" + port;
                    why = e instanceof SocketTimeoutException ? "no answer in " + CONNECT_TIMEOUT_MILLIS / 1000 + " s"
                            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                }
            }
        }
        throw new SparkSetupException("--spark-master " + url + ": no Spark master answers at " + first + " (" + why
                + "); start the master (sbin/start-master.sh) or correct the URL");
    }

    /** Masters whose executors are other JVMs, started from Spark's own jars only (local and local-cluster share the driver's classpath). */
    static boolean isCluster(String url) {
        return url.startsWith("spark://") || url.startsWith("k8s://") || url.startsWith("mesos://") || url.equals("yarn");
    }

    /** The master URL and the cores Spark offers by default (total executor cores, or N of local[N]). */
    /** The JVM options cluster executors start with ({@code spark.executor.extraJavaOptions}, Spark's module options first). */
    String executorJvmOptions() {
        return spark.getConf().get(EXECUTOR_JAVA_OPTIONS, "");
    }

    public String describe() {
        return spark.master() + ", " + spark.defaultParallelism() + " cores";
    }

    /**
     * Runs every point and writes the sweep directory (a fresh sweep: see {@link #run(SweepManifest, Map, Path, boolean)}).
     *
     * @param points     the runs (see {@code SweepPlan}); their directories in {@code outDir} must exist, empty
     * @param data       each data set the points name, as the driver loaded it (its checksums are checked on the executors)
     * @param outDir     the sweep directory
     * @param maxBatches stop each epoch after this many minibatches; 0 = whole epochs
     * @param command    the command line, recorded in each run's provenance
     */
    public SparkSweepOutcome run(List<SweepPoint> points, Map<String, MnistLikeDataset> data, Path outDir, int maxBatches,
                                 String command) {
        return run(new SweepManifest(command, maxBatches, points), data, outDir, false);
    }

    /**
     * Runs a plan's points as a local sweep does, with the same files: {@code sweep.json} first (unless resuming),
     * then each point's run directory with its {@code point-status.txt} as its job ends, then the tables.
     * <ul>
     *   <li>{@code resume}: the points an earlier sweep finished (status done, model.zip, summary.json) are kept
     *       and only the others are sent to Spark. Their executors trained in scratch directories, so an
     *       unfinished point has no checkpoint on the driver: it is trained again from its start (the same
     *       final parameters as an uninterrupted run, the seed fixing everything).</li>
     *   <li>Ctrl-C (SIGINT; the JVM's shutdown hook): the jobs still running are cancelled, the finished runs stay
     *       complete, the tables are written with the others marked interrupted, and the line printed says how
     *       to finish: {@code sweep --resume DIR --spark-master URL}.</li>
     * </ul>
     */
    public SparkSweepOutcome run(SweepManifest plan, Map<String, MnistLikeDataset> data, Path outDir, boolean resume) {
        List<SweepPoint> points = plan.points();
        if (!resume) plan.write(outDir);
        RunSummary[] summaries = new RunSummary[points.size()];
        String[] failed = new String[points.size()];
        boolean[] ended = new boolean[points.size()];
        int alreadyDone = 0;
        for (int i = 0; resume && i < points.size(); i++) {
            summaries[i] = Sweep.finishedSummary(outDir.resolve(points.get(i).dirName()));
            if (summaries[i] != null) {
                ended[i] = true;
                alreadyDone++;
            }
        }
        int open = points.size() - alreadyDone;
        TrainPointFunction function = new TrainPointFunction(training);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(open, MAX_JOBS_IN_FLIGHT)), r -> {
            Thread t = new Thread(r, "sweep-job");
            t.setDaemon(true);
            return t;
        });
        CompletionService<Finished> jobs = new ExecutorCompletionService<>(pool);
        for (int i = 0; i < points.size(); i++) {
            if (ended[i]) continue;
            int index = i;
            PointTask task = task(points.get(i), data.get(points.get(i).spec().training().dataset()), plan.maxBatches(), plan.command());
            jobs.submit(() -> submit(index, task, function));
        }
        Thread hook = new Thread(() -> interrupted(points, summaries, failed, outDir), "spark-sweep-sigint");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        long stoppedAt = -1;
        int k = 0;
        try {
            while (k < open) {
                Future<Finished> next = jobs.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (next == null) {
                    // Spark drops the jobs still queued when its context stops (a lost master, a dead local-cluster):
                    // their collect() never returns, so a stopped context ends the wait after a grace period
                    if (!spark.sc().isStopped()) continue;
                    if (stoppedAt < 0) stoppedAt = System.nanoTime();
                    if (System.nanoTime() - stoppedAt < STOPPED_GRACE_MILLIS * 1_000_000L) continue;
                    break;
                }
                Finished f = next.get();
                k++;
                SweepPoint p = points.get(f.index());
                String reason = f.sparkFailure();
                Map<String, byte[]> entries = reason == null ? RunFiles.unpack(f.archive()) : Map.of();
                if (reason == null) reason = RunFiles.failureReason(entries);
                double elapsed = (System.nanoTime() - t0) / 1e9;
                String clock = String.format(Locale.ROOT, "   (elapsed %s, ETA %s)", Eta.format(elapsed),
                        Eta.format(Eta.secondsLeft(elapsed, k, open)));
                String line;
                synchronized (lock) {
                    if (stopping) break;                              // Ctrl-C: the hook writes the tables
                    ended[f.index()] = true;
                    if (reason != null) {
                        failed[f.index()] = reason;
                        line = String.format(Locale.ROOT, "[%d/%d] %s: FAILED: %s%s", k + alreadyDone, points.size(), p.label(), reason, clock);
                    } else {
                        Path runDir = outDir.resolve(p.dirName());
                        try {
                            writeRun(entries, runDir, p.spec(), resume);
                            RunSummary s = readSummary(entries.get("summary.json"), p);
                            PointStatus.DONE.write(runDir, null);
                            summaries[f.index()] = s;
                            line = String.format(Locale.ROOT, "[%d/%d] %s: test acc %.4f, verdict %s, %.1f s%s", k + alreadyDone,
                                    points.size(), p.label(), s.results().testAccuracy(), s.verdict().kind(), s.results().trainSeconds(), clock);
                        } catch (RuntimeException e) {     // a full disk, a run another process wrote there: this point fails alone
                            failed[f.index()] = firstLine(e);
                            line = String.format(Locale.ROOT, "[%d/%d] %s: FAILED: %s%s", k + alreadyDone, points.size(), p.label(),
                                    failed[f.index()], clock);
                        }
                    }
                }
                println(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spark.cancelAllJobs();
            throw new IllegalStateException("interrupted while waiting for Spark", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a sweep job failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook writes the tables
            }
        }
        synchronized (lock) {
            if (!stopping) {
                for (int i = 0; i < points.size(); i++) {
                    if (!ended[i]) failed[i] = STOPPED;
                }
                if (k < open) println(String.format(Locale.ROOT, "%d points never ended: %s", open - k, STOPPED));
                return finish(points, summaries, failed, outDir);
            }
        }
        awaitExit();                          // the JVM is exiting: the hook (which needs the lock) writes the tables and says so
        return null;
    }

    private final Object lock = new Object();
    private volatile boolean stopping;

    /**
     * Once the shutdown hook has run, the JVM is exiting (it halts when its hooks are done): this thread waits for
     * that, rather than printing a table or an error after the hook's line.
     */
    private static void awaitExit() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("the sweep was interrupted");
    }

    /** The shutdown hook: Ctrl-C arrived (or the JVM is exiting) before the sweep ended. */
    private void interrupted(List<SweepPoint> points, RunSummary[] summaries, String[] failed, Path outDir) {
        synchronized (lock) {
            stopping = true;
        }
        try {
            spark.cancelAllJobs();
        } catch (RuntimeException e) {
            // Spark's own hook may have stopped the context already
        }
        synchronized (lock) {
            List<PointOutcome> outcomes = new ArrayList<>();
            int kept = 0;
            int marked = 0;
            for (int i = 0; i < points.size(); i++) {
                if (summaries[i] != null) {
                    outcomes.add(PointOutcome.done(points.get(i), summaries[i]));
                    kept++;
                } else if (failed[i] != null) {
                    outcomes.add(new PointOutcome(points.get(i), PointStatus.FAILED, null, failed[i]));
                } else {
                    outcomes.add(new PointOutcome(points.get(i), PointStatus.INTERRUPTED, null, "stopped by Ctrl-C; sweep --resume runs it again"));
                    marked++;
                }
            }
            Sweep.writeTables(outcomes, outDir, true, console);
            println(String.format(Locale.ROOT, "%nsweep interrupted: %d finished runs kept, %d not finished; finish with:"
                    + " explosion-lab sweep --resume %s --spark-master %s", kept, marked, outDir, master));
        }
    }

    /** A point's run files, written under the run directory's lock, then its report.html and PNGs (as a local sweep point). */
    private static void writeRun(Map<String, byte[]> entries, Path runDir, org.explosionlab.spec.ExperimentSpec spec, boolean resume) {
        try (RunLock lock = RunDirectory.claimPoint(runDir, spec, resume, false)) {
            RunFiles.write(entries, runDir);
            Reports.writeRunReport(runDir);
        }
    }

    private Finished submit(int index, PointTask task, TrainPointFunction function) {
        spark.setJobDescription(task.label());
        try {
            return new Finished(index, spark.parallelize(List.of(task.toJson()), 1).map(function).collect().get(0), null);
        } catch (Exception e) {                 // SparkException when Spark gives up on the task
            return new Finished(index, null, givenUp(firstLine(e)));
        }
    }

    private SparkSweepOutcome finish(List<SweepPoint> points, RunSummary[] summaries, String[] failed, Path outDir) {
        List<PointOutcome> outcomes = new ArrayList<>();
        List<SparkSweepOutcome.Failure> failures = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (summaries[i] == null) {
                failures.add(new SparkSweepOutcome.Failure(points.get(i).label(), failed[i]));
                outcomes.add(new PointOutcome(points.get(i), PointStatus.FAILED, null, failed[i]));
            } else {
                outcomes.add(PointOutcome.done(points.get(i), summaries[i]));
            }
        }
        return new SparkSweepOutcome(Sweep.writeTables(outcomes, outDir, false, console), failures);
    }

    private static PointTask task(SweepPoint p, MnistLikeDataset data, int maxBatches, String command) {
        DatasetProvenance provenance = data.provenance();
        String name = p.spec().training().dataset();
        boolean named = DatasetResolver.NAMES.contains(name.trim().toLowerCase(Locale.ROOT));
        return new PointTask(p.label(), SpecJson.write(p.spec()), named ? name : provenance.location(), provenance.sha256(),
                maxBatches, command);
    }

    private static RunSummary readSummary(byte[] json, SweepPoint p) {
        try {
            return SpecJson.mapper().readValue(json, RunSummary.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the summary.json sent back for " + p.label() + " does not read: " + e.getMessage(), e);
        }
    }

    /**
     * The jar holding this class when it also holds DL4J (the {@code -Pspark} jar): what executors of a
     * cluster need. Null when running from a classes directory or a jar without DL4J.
     */
    static Path fatJar() {
        try {
            var own = SparkSweep.class.getProtectionDomain().getCodeSource();
            var dl4j = MultiLayerNetwork.class.getProtectionDomain().getCodeSource();
            if (own == null || dl4j == null || !own.getLocation().equals(dl4j.getLocation())) return null;
            Path jar = Path.of(own.getLocation().toURI());
            return Files.isRegularFile(jar) ? jar : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    /**
     * Spark's "Job aborted due to stage failure: Task 0 in stage 2.0 failed 4 times, most recent failure: Lost task
     * 0.3 in stage 2.0 (TID 7) (HOST executor 1): ExecutorLostFailure (...) Reason: ..." as "Spark gave up after 4
     * attempts (HOST executor 1: ExecutorLostFailure (...) Reason: ...)"; any other message as it is.
     */
    static String givenUp(String sparkMessage) {
        Matcher m = TASK_FAILURE.matcher(sparkMessage);
        if (!m.find()) return "Spark gave up on its task: " + sparkMessage;
        String attempts = m.group(1).equals("1") ? "1 attempt" : m.group(1) + " attempts";
        return "Spark gave up after " + attempts + " (" + m.group(2) + ": " + m.group(3) + ")";
    }

    /** The first line of the message of {@code e} or, when it has none, of its first cause that has one. */
    static String firstLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank()) return m.strip().lines().findFirst().orElse(m).strip();
        }
        return e.getClass().getName();
    }

    private void println(String line) {
        if (console != null) console.println(line);
    }

    @Override
    public void close() {
        spark.stop();
    }

    private record Finished(int index, byte[] archive, String sparkFailure) {
    }
}
