package org.explosionlab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.training.PeakRss;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmark ({@code bench/run-bench.sh}): seed-baseline (784-128-64-10 ReLU/ReLU/softmax, Adam 1e-3,
 * float32) trained by DL4J's own {@code MultiLayerNetwork}, step function and updater, measured in one
 * run as ratios, in three parts:
 * <ol>
 *   <li><b>monitor</b> — what a listener adds to DL4J's step, in this JVM (project settings: 1 thread,
 *       in-memory minibatches): one network per {@link ListenerSetup} ({@code none}, {@code monitor}
 *       recording every iteration, {@code monitor-10} every 10th, DL4J's {@code stats}), all warmed up, then
 *       trained in turn in blocks of {@code --block-steps} steps, the order rotating every round
 *       ({@link BlockPairs}):
 *       <pre>cost of X = median over rounds r of ( T_X(r) / T_none(r) ) − 1,  with p25 and p75</pre>
 *       by wall clock (the target: ≤ 2 % for the monitor) and by the training thread's CPU time. The
 *       listeners act inside {@code net.fit(batch)}: after backprop ({@code onGradientCalculation}) and
 *       after the updater ({@code iterationDone}); see {@link ListenerSetup}.</li>
 *   <li><b>settings</b> — this project's DL4J settings against DL4J's out-of-the-box defaults
 *       ({@link Settings}): each row, each round, a child JVM of its own (thread counts are per process),
 *       which warms up, then times {@code --epochs} epochs and reports them with its peak RSS
 *       ({@link ChildReport}); rounds interleave the rows:
 *       <pre>× dl4j-defaults of X = median over rounds of t_defaults(r) / t_X(r)   (t = time per example)</pre></li>
 *   <li><b>limit</b> — the physical limit as a reference, not a target: the same MLP in numpy and, where
 *       Debian's python3-torch is installed, PyTorch on CPU ({@link PythonReference}), in the same rounds:
 *       <pre>÷ project of X = median over rounds of t_project(r) / t_X(r)</pre></li>
 * </ol>
 * Child JVMs run this class with {@code --child ID}. The markdown goes to standard output (and
 * {@code --out}); progress and sanity lines to standard error.
 */
@Command(name = "monitor-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the ExplosionMonitor's cost over plain DL4J training (paired blocks in one JVM), this project's "
                + "DL4J settings against DL4J's defaults (child JVMs) and the numpy / PyTorch physical limit, as ratios in one run.")
public final class MonitorBenchmark implements Callable<Integer> {
    /** The parts of a run, in the order they run. */
    static final List<String> PARTS = List.of("monitor", "settings", "limit");

    @Option(names = "--parts", paramLabel = "P[,P...]", split = ",", description = "which parts to run: monitor, settings, limit; default: all")
    List<String> parts = PARTS;

    @Option(names = "--listeners", paramLabel = "IDS", description = "listener rows of the monitor part, none first (also: stats-1); default: ${DEFAULT-VALUE}")
    String listeners = "none,monitor,monitor-10,stats";

    @Option(names = "--blocks", paramLabel = "N", description = "monitor part: rounds of one block per listener row; default: ${DEFAULT-VALUE}")
    int blocks = 200;

    @Option(names = "--block-steps", paramLabel = "N", description = "monitor part: minibatches per block; default: ${DEFAULT-VALUE}")
    int blockSteps = 50;

    @Option(names = "--settings", paramLabel = "IDS", description = "settings rows, dl4j-defaults first (also: dl4j-defaults-1t, project-ws-none); default: ${DEFAULT-VALUE}")
    String settings = "dl4j-defaults,project";

    @Option(names = "--rounds", paramLabel = "N", description = "settings and limit parts: rounds (one child per row and batch size each); default: ${DEFAULT-VALUE}")
    int rounds = 3;

    @Option(names = "--epochs", paramLabel = "N", description = "settings part: measured epochs per child JVM; default: ${DEFAULT-VALUE}")
    int epochs = 2;

    /**
     * Fewer than the monitor part's warm-up: a dl4j-defaults child trains about 3,000 examples/s at batch
     * 32 here, so 2,000 steps at batch 128 (32 epochs) took it half a minute per child; the settings
     * rows differ by 3-5×, far more than what the JIT still changes after 1,000 steps.
     */
    @Option(names = "--child-warmup-steps", paramLabel = "N", description = "settings part: minibatches each child JVM trains before "
            + "measuring, rounded up to whole epochs; default: ${DEFAULT-VALUE}")
    int childWarmupSteps = 1000;

    @Mixin
    RunShape shape = new RunShape();

    @Option(names = "--numpy", paramLabel = "SCRIPT", description = "numpy_mlp_reference.py, or 'none'; default: ${DEFAULT-VALUE}")
    String numpy = "bench/numpy_mlp_reference.py";

    @Option(names = "--torch", paramLabel = "SCRIPT", description = "torch_mlp_reference.py, or 'none'; default: ${DEFAULT-VALUE}")
    String torch = "bench/torch_mlp_reference.py";

    @Option(names = "--python", paramLabel = "EXE", description = "interpreter for numpy; default: ${DEFAULT-VALUE}")
    String python = "python3";

    @Option(names = "--torch-python", paramLabel = "EXE", description = "interpreter for PyTorch (Debian's python3-torch installs into /usr/bin/python3); default: ${DEFAULT-VALUE}")
    String torchPython = "/usr/bin/python3";

    @Option(names = "--ref-data", paramLabel = "DIR", description = "IDX directory for the references (the files mnist-embedded is made of); default: ${DEFAULT-VALUE}")
    Path refData = Path.of("data/mnist");

    @Option(names = "--ref-threads", paramLabel = "N", description = "threads of the references; default: ${DEFAULT-VALUE}")
    int refThreads = 1;

    @Option(names = "--ref-epochs", paramLabel = "N", description = "timed epochs per reference run; default: ${DEFAULT-VALUE}")
    int refEpochs = 5;

    @Option(names = "--child-heap", paramLabel = "SIZE", description = "-Xmx of each child JVM; default: ${DEFAULT-VALUE}")
    String childHeap = "2g";

    @Option(names = "--out", paramLabel = "FILE", description = "also write the report to this file")
    Path out;

    @Option(names = "--child", hidden = true, description = "internal: train one settings row in this JVM and print its report")
    String child;

    private final PrintStream console;
    private final PrintStream progress;

    public MonitorBenchmark() {
        this(System.out, System.err);
    }

    MonitorBenchmark(PrintStream console, PrintStream progress) {
        this.console = console;
        this.progress = progress;
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        System.exit(commandLine(new MonitorBenchmark()).execute(args));
    }

    /** The picocli command; a bad option value prints one line and exits with 2. */
    static CommandLine commandLine(MonitorBenchmark bench) {
        CommandLine cli = new CommandLine(bench);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) throw e;
            cmd.getErr().println("monitor-benchmark: " + e.getMessage());
            return 2;
        });
        return cli;
    }

    @Override
    public Integer call() {
        check();
        if (child != null) {
            runChild(Settings.byId(child));
            return 0;
        }
        Instant started = Instant.now();
        String loadBefore = loadAverage();
        StringBuilder report = new StringBuilder();
        List<BenchTable.Section> monitorSections = List.of();
        if (parts.contains("monitor")) {
            RuntimeTuning.applyDefaults();          // before ND4J loads in this JVM
            monitorSections = monitorPart();
        }
        ChildrenResult children = parts.contains("settings") || parts.contains("limit") ? childrenPart() : null;
        report.append(header(started, loadBefore));
        if (!monitorSections.isEmpty()) {
            report.append("\n### Monitor cost (paired blocks in one JVM, project settings)\n\n");
            report.append(BenchTable.monitorTable(monitorSections, blockSteps));
        }
        if (children != null && parts.contains("settings")) {
            report.append("\n### Project settings against DL4J's defaults (a child JVM per row and round)\n\n");
            report.append(BenchTable.settingsTable(children.sections()));
        }
        if (children != null && parts.contains("limit")) {
            report.append("\n### Physical limit (reference, not a target)\n\n");
            if (children.sections().isEmpty()) report.append("No reference could run: ").append(String.join("; ", children.notMeasured())).append('\n');
            else report.append(BenchTable.limitTable(children.sections(), Settings.PROJECT.id(), children.notMeasured()));
        }
        report.append(String.format(Locale.ROOT, "%nWall time of the run: %d s; load average at the end: %s.%n",
                Math.round((System.nanoTime() - startNanos) / 1e9), loadAverage()));
        console.print(report);
        if (out != null) {
            try {
                Files.writeString(out, report, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + out + ": " + e.getMessage(), e);
            }
        }
        return 0;
    }

    private final long startNanos = System.nanoTime();

    /** Every option checked before anything runs; one line on the first bad value. */
    void check() {
        shape.check();
        for (String p : parts) {
            if (!PARTS.contains(p)) throw new IllegalArgumentException("unknown part '" + p + "'; use " + String.join(", ", PARTS));
        }
        if (parts.isEmpty()) throw new IllegalArgumentException("--parts needs at least one of " + String.join(", ", PARTS));
        ListenerSetup.parseList(listeners);
        Settings.parseList(settings);
        if (blocks < 1) throw new IllegalArgumentException("--blocks must be >= 1, got " + blocks);
        if (blockSteps < 1) throw new IllegalArgumentException("--block-steps must be >= 1, got " + blockSteps);
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (childWarmupSteps < 0) throw new IllegalArgumentException("--child-warmup-steps must be >= 0, got " + childWarmupSteps);
        if (refThreads < 1) throw new IllegalArgumentException("--ref-threads must be >= 1, got " + refThreads);
        if (refEpochs < 1) throw new IllegalArgumentException("--ref-epochs must be >= 1, got " + refEpochs);
        if (child != null && shape.batches.size() != 1) throw new IllegalArgumentException("--child takes exactly one --batch");
    }

    // ---------------------------------------------------------------- monitor part (this JVM)

    /** One section per batch size: the listener rows trained in turn in blocks. */
    List<BenchTable.Section> monitorPart() {
        List<ListenerSetup> setups = ListenerSetup.parseList(listeners);
        ExperimentSpec spec = Presets.load("seed-baseline");
        MnistLikeDataset data = DatasetResolver.resolve(shape.data);
        List<BenchTable.Section> sections = new ArrayList<>();
        String threads = Integer.toString(Nd4j.getEnvironment().maxThreads());
        for (int batch : shape.batches) {
            List<TrainingRun> runs = new ArrayList<>();
            List<ListenerSetup.Attached> attached = new ArrayList<>();
            for (ListenerSetup s : setups) {
                MultiLayerNetwork net = NetworkFactory.build(spec);
                attached.add(s.attach(net));
                runs.add(new TrainingRun(net, TrainingRun.Feed.IN_MEMORY, data, batch, spec.training().seed(), shape.maxBatches));
            }
            int warmupBlocks = (shape.warmupSteps + blockSteps - 1) / blockSteps;
            progress.printf(Locale.ROOT, "bench: monitor part, batch %d: warm-up %d blocks of %d steps per row%n", batch, warmupBlocks, blockSteps);
            inTurn(runs.size(), warmupBlocks, i -> runs.get(i).steps(blockSteps));
            progress.printf(Locale.ROOT, "bench: monitor part, batch %d: %d measured rounds%n", batch, blocks);
            BlockPairs pairs = new BlockPairs(runs.size());
            long t0 = System.nanoTime();
            inTurn(runs.size(), blocks, i -> pairs.add(i, runs.get(i).steps(blockSteps)));
            progress.printf(Locale.ROOT, "bench: monitor part, batch %d: measured in %.0f s%n", batch, (System.nanoTime() - t0) / 1e9);
            long peak = PeakRss.selfKib();
            List<BenchRow> rows = new ArrayList<>();
            for (int i = 0; i < setups.size(); i++) {
                ListenerSetup s = setups.get(i);
                progress.printf(Locale.ROOT, "bench: batch %d, %s: %s%n", batch, s.id(), attached.get(i).summary());
                attached.get(i).close();
                rows.add(new BenchRow(BenchRow.Kind.IN_JVM, s.id(), s.label(), batch, threads, pairs.stretches(i), peak));
            }
            sections.add(new BenchTable.Section(batch, rows, pairs));
        }
        return sections;
    }

    /** {@code rounds} rounds in which {@code step} runs once for each of the setups 0 … n−1, the order rotated by one every round. */
    static void inTurn(int setups, int rounds, IntConsumer step) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < setups; i++) order.add(i);
        for (int round = 0; round < rounds; round++) {
            for (int i : order) step.accept(i);
            Collections.rotate(order, 1);
        }
    }

    // ---------------------------------------------------------------- settings and limit parts (child processes)

    /** Sections of the child rows per batch size, and the references that could not run (id: reason). */
    record ChildrenResult(List<BenchTable.Section> sections, List<String> notMeasured) {
    }

    /** The settings rows (or only {@code project}, for the limit alone) and the references, interleaved in rounds. */
    ChildrenResult childrenPart() {
        List<Settings> rows = parts.contains("settings") ? Settings.parseList(settings) : List.of(Settings.PROJECT);
        List<PythonReference> refs = new ArrayList<>();
        List<String> notMeasured = new ArrayList<>();
        if (parts.contains("limit")) {
            addReference(refs, notMeasured, PythonReference.Kind.NUMPY, numpy, python);
            addReference(refs, notMeasured, PythonReference.Kind.TORCH, torch, torchPython);
        }
        int n = rows.size() + refs.size();
        if (n < 2) return new ChildrenResult(List.of(), notMeasured);
        List<BlockPairs> pairs = new ArrayList<>();
        List<List<ChildReport>> reports = new ArrayList<>();   // [batch * n + row] -> reports over rounds
        for (int b = 0; b < shape.batches.size(); b++) {
            pairs.add(new BlockPairs(n));
            for (int i = 0; i < n; i++) reports.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int b = 0; b < shape.batches.size(); b++) {
                int batch = shape.batches.get(b);
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < n; i++) order.add(i);
                Collections.rotate(order, round);
                for (int i : order) {
                    String id = i < rows.size() ? rows.get(i).id() : refs.get(i - rows.size()).id();
                    long t0 = System.nanoTime();
                    ChildReport r = i < rows.size() ? runSettingsChild(rows.get(i), batch) : refs.get(i - rows.size()).run(batch);
                    progress.printf(Locale.ROOT, "bench: round %d/%d, batch %d, %s: %,.0f examples/s, %.0f s in all%n", round + 1, rounds,
                            batch, id, r.total().examplesPerSecond(), (System.nanoTime() - t0) / 1e9);
                    pairs.get(b).add(i, r.total());
                    reports.get(b * n + i).add(r);
                }
            }
        }
        List<BenchTable.Section> sections = new ArrayList<>();
        for (int b = 0; b < shape.batches.size(); b++) {
            List<BenchRow> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<ChildReport> rs = reports.get(b * n + i);
                boolean ref = i >= rows.size();
                String id = ref ? refs.get(i - rows.size()).id() : rows.get(i).id();
                String label = ref ? refs.get(i - rows.size()).label() : rows.get(i).label();
                long peak = rs.stream().mapToLong(ChildReport::peakRssKib).max().orElse(-1);
                String threads = rs.stream().map(r -> r.threads() < 0 ? "default" : Integer.toString(r.threads())).distinct()
                        .reduce((x, y) -> x + "/" + y).orElse("?");
                list.add(new BenchRow(ref ? BenchRow.Kind.REFERENCE : BenchRow.Kind.SETTINGS, id, label, shape.batches.get(b), threads,
                        rs.stream().map(ChildReport::total).toList(), peak));
            }
            sections.add(new BenchTable.Section(shape.batches.get(b), list, pairs.get(b)));
        }
        return new ChildrenResult(sections, notMeasured);
    }

    /** Adds the reference if its script exists and its interpreter imports its library; else says why not. */
    private void addReference(List<PythonReference> refs, List<String> notMeasured, PythonReference.Kind kind, String script, String exe) {
        String id = kind.module + "-" + refThreads + "t";
        if (script == null || script.equals("none")) return;
        if (!Files.isRegularFile(Path.of(script))) {
            notMeasured.add(id + ": " + script + " is not a file");
            return;
        }
        PythonReference ref = new PythonReference(kind, exe, Path.of(script), refData, refThreads, refEpochs);
        try {
            ChildProcess.run(ref.importCheck(), refThreads, Set.of());
        } catch (IllegalStateException e) {
            notMeasured.add(id + ": `" + exe + " -c 'import " + kind.module + "'` fails"
                    + (kind == PythonReference.Kind.TORCH ? " (Debian's python3-torch is not installed here; the benchmark does not install it)" : ""));
            return;
        }
        refs.add(ref);
    }

    private ChildReport runSettingsChild(Settings s, int batch) {
        return ChildReport.parse(ChildProcess.run(childCommand(s, batch), s.threadVariable(), Set.of()));
    }

    /** A child JVM: the same java and class path, this class with {@code --child}. */
    List<String> childCommand(Settings s, int batch) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + childHeap);
        if (s.tuned()) cmd.add("-D" + RuntimeTuning.THREADS_PROPERTY + "=1");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MonitorBenchmark.class.getName(),
                "--child", s.id(), "--batch", Integer.toString(batch), "--epochs", Integer.toString(epochs),
                "--warmup-steps", Integer.toString(childWarmupSteps), "--max-batches", Integer.toString(shape.maxBatches),
                "--data", shape.data));
        return cmd;
    }

    /** Child side: thread settings first (before ND4J loads), then warm-up epochs, then the measured ones. */
    private void runChild(Settings s) {
        if (s.tuned()) RuntimeTuning.applyDefaults();
        int batch = shape.batches.get(0);
        ExperimentSpec spec = Presets.load("seed-baseline");
        MnistLikeDataset data = DatasetResolver.resolve(shape.data);
        TrainingRun run = new TrainingRun(s.build(spec), s.feed(), data, batch, spec.training().seed(), shape.maxBatches);
        for (int e = 0; e < shape.warmupEpochs(run.batchesPerEpoch()); e++) run.epoch();
        List<EpochTiming> timings = new ArrayList<>();
        for (int e = 0; e < epochs; e++) timings.add(run.epoch());
        new ChildReport(s.id(), batch, timings, PeakRss.selfKib(), Nd4j.getEnvironment().maxThreads()).toLines().forEach(console::println);
    }

    // ---------------------------------------------------------------- report

    private String header(Instant started, String loadBefore) {
        return String.format(Locale.ROOT, "MonitorBenchmark, %s: seed-baseline (784-128-64-10, Adam) on %s, batch %s; DL4J %s, java %s;"
                        + " %d cores, load average at the start %s.%nOptions: %s%n",
                started.truncatedTo(ChronoUnit.SECONDS), shape.data, shape.batches, dl4jVersion(), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), loadBefore, options());
    }

    /** The options in force, as one could pass them again. */
    String options() {
        return String.join(" ", List.of("--parts", String.join(",", parts), "--batch",
                String.join(",", shape.batches.stream().map(String::valueOf).toList()), "--warmup-steps", Integer.toString(shape.warmupSteps),
                "--listeners", listeners, "--blocks", Integer.toString(blocks), "--block-steps", Integer.toString(blockSteps),
                "--settings", settings, "--rounds", Integer.toString(rounds), "--epochs", Integer.toString(epochs),
                "--child-warmup-steps", Integer.toString(childWarmupSteps),
                "--ref-threads", Integer.toString(refThreads), "--ref-epochs", Integer.toString(refEpochs)))
                + (shape.maxBatches > 0 ? " --max-batches " + shape.maxBatches : "");
    }

    /** DL4J's version from the class path (the deeplearning4j-nn jar's name), or "?". */
    static String dl4jVersion() {
        return Arrays.stream(System.getProperty("java.class.path", "").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).getFileName()).filter(f -> f != null && f.toString().startsWith("deeplearning4j-nn-"))
                .map(f -> f.toString().substring("deeplearning4j-nn-".length()).replaceFirst("\\.jar$", "")).findFirst().orElse("?");
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
