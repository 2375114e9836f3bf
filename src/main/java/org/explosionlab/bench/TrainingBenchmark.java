package org.explosionlab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.explosionlab.network.FusedAdam;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.training.PeakRss;
import org.explosionlab.training.RuntimeTuning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: how fast the seed model (seed-baseline, 784-128-64-10, Adam) trains under each
 * {@link BenchSetup}, next to the numpy reference, in one session. For every round, every batch size
 * and every setup, a fresh child JVM builds the network, trains {@code --warmup-steps} minibatches
 * (rounded up to whole epochs) so that the JIT has compiled the step (C2 needs about 3,500 steps here),
 * then times {@code --epochs}
 * epochs and reports examples/s, examples per CPU-second and its peak RSS (VmHWM). Rounds interleave
 * the setups, so a change of machine load hits all of them alike; the table gives medians over rounds
 * and ratios within the session ({@link BenchTable}).
 *
 * <p>Threads: each child sets its OpenMP/BLAS thread count before ND4J loads, through the environment
 * ({@link BenchSetup.Threads}); the parent JVM itself never loads ND4J.
 *
 * <pre>
 * java -cp ... org.explosionlab.bench.TrainingBenchmark --numpy bench/numpy_mlp_reference.py --data data/mnist
 * </pre>
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training speed (examples/s, peak RSS) of plain DL4J vs the project's settings vs numpy.")
public final class TrainingBenchmark implements Callable<Integer> {
    @Option(names = "--setups", paramLabel = "IDS", description = "comma-separated setups (a, b, c, d; c10; ablations a1, b-, b0, b1, b2, b3); default: ${DEFAULT-VALUE}")
    String setups = "a,b,c,d";

    @Option(names = "--rounds", paramLabel = "N", description = "rounds (one child per setup and batch each); default: ${DEFAULT-VALUE}")
    int rounds = 3;

    @Option(names = "--epochs", paramLabel = "N", description = "measured epochs per child; default: ${DEFAULT-VALUE}")
    int epochs = 1;

    @Mixin
    RunShape shape = new RunShape();

    @Option(names = "--numpy", paramLabel = "SCRIPT", description = "numpy_mlp_reference.py: also measure it, in the same rounds (needs --numpy-data or a directory in --data)")
    Path numpyScript;

    @Option(names = "--numpy-data", paramLabel = "DIR", description = "IDX directory for the numpy reference; default: --data if it is a directory, else data/mnist")
    Path numpyData;

    @Option(names = "--numpy-threads", paramLabel = "N[,N...]", split = ",", description = "numpy runs: 0 = OpenBLAS default threads; default: 0,1")
    List<Integer> numpyThreads = List.of(0, 1);

    @Option(names = "--python", paramLabel = "EXE", description = "python interpreter; default: ${DEFAULT-VALUE}")
    String python = "python3";

    @Option(names = "--child-heap", paramLabel = "SIZE", description = "-Xmx of each child JVM; default: ${DEFAULT-VALUE}")
    String childHeap = "2g";

    @Option(names = "--out", paramLabel = "FILE", description = "also write the tables to this file")
    Path out;

    @Option(names = "--child", hidden = true, description = "internal: run one setup in this JVM and print its report")
    String child;

    private final PrintStream console;

    public TrainingBenchmark() {
        this(System.out);
    }

    TrainingBenchmark(PrintStream console) {
        this.console = console;
    }

    public static void main(String... args) {
        System.exit(new CommandLine(new TrainingBenchmark()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() {
        check();
        if (child != null) {
            runChild(BenchSetup.byId(child));
            return 0;
        }
        List<BenchRow> rows = measure();
        String text = report(rows);
        console.print(text);
        if (out != null) {
            try {
                Files.writeString(out, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }

    private void check() {
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        shape.check();
        BenchSetup.parseList(setups);
        if (numpyScript != null && !Files.isRegularFile(numpyScript)) {
            throw new IllegalArgumentException("--numpy " + numpyScript + " is not a file; pass bench/numpy_mlp_reference.py");
        }
    }

    /** All rounds, then one pooled row per setup and batch (numpy rows after the Java ones). */
    List<BenchRow> measure() {
        List<BenchSetup> javaSetups = BenchSetup.parseList(setups);
        List<NumpyReference> numpy = new ArrayList<>();
        if (numpyScript != null) {
            Path dir = numpyData != null ? numpyData : Files.isDirectory(Path.of(shape.data)) ? Path.of(shape.data) : Path.of("data/mnist");
            for (int t : numpyThreads) numpy.add(new NumpyReference(python, numpyScript, dir, t));
        }
        Map<String, List<ChildReport>> reports = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (int batch : shape.batches) {
                for (BenchSetup s : javaSetups) {
                    progress(round, batch, s.id());
                    ChildReport r = ChildReport.parse(ChildProcess.run(childCommand(s, batch),
                            s.threads() == BenchSetup.Threads.TUNED ? 1 : null));
                    reports.computeIfAbsent(key(s.id(), batch), k -> new ArrayList<>()).add(r);
                    labels.put(s.id(), s.label());
                }
                for (NumpyReference n : numpy) {
                    progress(round, batch, n.id());
                    reports.computeIfAbsent(key(n.id(), batch), k -> new ArrayList<>()).add(n.run(batch));
                    labels.put(n.id(), n.label());
                }
            }
        }
        List<BenchRow> rows = new ArrayList<>();
        for (var e : reports.entrySet()) {
            String[] k = e.getKey().split("@");
            rows.add(BenchRow.pool(k[0], labels.get(k[0]), Integer.parseInt(k[1]), e.getValue()));
        }
        return rows;
    }

    private void progress(int round, int batch, String id) {
        System.err.printf(Locale.ROOT, "bench: round %d/%d, batch %d, %s%n", round, rounds, batch, id);
    }

    private static String key(String id, int batch) {
        return id + "@" + batch;
    }

    /** The child JVM: same java, same classpath, this class with --child. */
    List<String> childCommand(BenchSetup s, int batch) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + childHeap);
        if (s.vectorModule()) cmd.addAll(List.of("--add-modules", FusedAdam.VECTOR_MODULE));
        if (s.threads() == BenchSetup.Threads.TUNED) cmd.add("-D" + RuntimeTuning.THREADS_PROPERTY + "=1");
        s.properties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainingBenchmark.class.getName(),
                "--child", s.id(), "--batch", Integer.toString(batch), "--epochs", Integer.toString(epochs),
                "--warmup-steps", Integer.toString(shape.warmupSteps), "--max-batches", Integer.toString(shape.maxBatches),
                "--data", shape.data));
        return cmd;
    }

    /** Child side: thread settings first (before ND4J loads), then warm-up, then the measured epochs. */
    private void runChild(BenchSetup setup) {
        if (setup.threads() == BenchSetup.Threads.TUNED) RuntimeTuning.applyDefaults();
        if (shape.batches.size() != 1) throw new IllegalArgumentException("--child takes exactly one --batch");
        int batch = shape.batches.get(0);
        ChildReport report = runSetup(setup, Presets.load("seed-baseline"), DatasetResolver.resolve(shape.data), batch,
                shape.warmupSteps, epochs, shape.maxBatches);
        report.toLines().forEach(console::println);
    }

    /** Trains one setup in this JVM: warm-up epochs (at least {@code warmupSteps} minibatches), then measured ones. */
    public static ChildReport runSetup(BenchSetup setup, ExperimentSpec spec, MnistLikeDataset data, int batch,
                                       int warmupSteps, int epochs, int maxBatches) {
        SetupRun run = new SetupRun(setup, spec, data, batch, maxBatches);
        for (int e = 0; e < RunShape.warmupEpochs(warmupSteps, run.batchesPerEpoch()); e++) run.epoch();
        List<EpochTiming> timings = new ArrayList<>();
        for (int e = 0; e < epochs; e++) timings.add(run.epoch());
        return new ChildReport(setup.id(), batch, timings, PeakRss.selfKib());
    }

    /** The tables, the summary and the conditions of the session (load, cores, versions). */
    String report(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "TrainingBenchmark %s: seed-baseline on %s, %d round(s) x %d epoch(s), warm-up %d steps, "
                        + "%d cores, load average %s, java %s%n", Instant.now(), shape.data, rounds, epochs, shape.warmupSteps,
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version")));
        sb.append(BenchTable.markdown(rows));
        sb.append('\n').append(BenchTable.summary(rows));
        return sb.toString();
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
