package org.explosionlab.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.FusedAdam;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.training.RuntimeTuning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What a listener costs, measured <em>paired</em>: the setups train side by side in one JVM, one epoch
 * each in turn (the order rotating every round), after a common warm-up, so that a change of machine
 * load or of JIT activity hits all of them alike — unlike {@link TrainingBenchmark}'s separate child
 * JVMs, whose rows are minutes apart. Only setups that differ by listener — or by the Adam kernel,
 * which is chosen when the network is built — can share a JVM: the project's tuned threads and no
 * other switched-off default ({@code b, c, c10, d, bj, cj}). Reported per setup: the
 * median examples/s and examples per CPU-second of the training thread, and the overhead over the
 * first setup:
 * <pre>
 * overhead of X = (median examples/thread-CPU-s of the first setup) / (that of X) − 1
 * </pre>
 * and the same by wall clock and by process CPU time (every thread of the JVM). Then, with
 * {@code --blocks}, the same setups in short blocks of {@code --block-steps} steps each in turn
 * ({@link BlockPairs}: the median over rounds of the ratio of block times, steadier than medians over
 * epochs); and with {@code --step-epochs}, the cost of recording one step, from single steps of setup
 * c4 ({@link StepTimes}, {@link SetupRun#timedSteps}).
 */
@Command(name = "listener-overhead", mixinStandardHelpOptions = true,
        description = "Paired, in-process measurement of what the metrics listeners add to a training step.")
public final class ListenerOverhead implements Callable<Integer> {
    @Option(names = "--setups", paramLabel = "IDS", description = "setups that differ only by listener; the first is the reference; default: ${DEFAULT-VALUE}")
    String setups = "b,c,c10,d";

    @Option(names = "--epochs", paramLabel = "N", description = "measured epochs per setup; default: ${DEFAULT-VALUE}")
    int epochs = 15;

    @Option(names = "--blocks", paramLabel = "N", description = "rounds of block pairs after the paired epochs (0: none); default: ${DEFAULT-VALUE}")
    int blocks = 200;

    @Option(names = "--block-steps", paramLabel = "N", description = "steps per block in the block pairs; default: ${DEFAULT-VALUE}")
    int blockSteps = 50;

    @Option(names = "--step-epochs", paramLabel = "N", description = "epochs of setup c4 timed step by step, recorded against unrecorded steps (0: none); default: ${DEFAULT-VALUE}")
    int stepEpochs = 20;

    @Mixin
    RunShape shape = new RunShape();

    private final PrintStream console;

    public ListenerOverhead() {
        this(System.out);
    }

    ListenerOverhead(PrintStream console) {
        this.console = console;
    }

    public static void main(String... args) {
        CommandLine cli = new CommandLine(new ListenerOverhead());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) throw e;
            cmd.getErr().println("listener-overhead: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        List<BenchSetup> list = BenchSetup.parseList(setups);
        for (BenchSetup s : list) {
            boolean kernelOnly = s.properties().keySet().stream().allMatch(FusedAdam.NATIVE_PROPERTY::equals);
            if (s.threads() != BenchSetup.Threads.TUNED || !kernelOnly || s.vectorModule()) {
                throw new IllegalArgumentException("setup " + s.id() + " changes more than the listener and needs a JVM of its own;"
                        + " use bench/run-bench.sh for it, or setups among b, c, c10, d, bj, cj here"
                        + " (bench/run-listener-overhead.sh --vector runs them all with the Vector API)");
            }
        }
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (stepEpochs < 0) throw new IllegalArgumentException("--step-epochs must be >= 0, got " + stepEpochs);
        if (blocks < 0) throw new IllegalArgumentException("--blocks must be >= 0, got " + blocks);
        if (blockSteps < 1) throw new IllegalArgumentException("--block-steps must be >= 1, got " + blockSteps);
        if (blocks > 0 && list.size() < 2) throw new IllegalArgumentException("block pairs need at least two setups, got " + setups);
        shape.check();
        RuntimeTuning.applyDefaults();
        ExperimentSpec spec = Presets.load("seed-baseline");
        MnistLikeDataset dataset = DatasetResolver.resolve(shape.data);
        StringBuilder out = new StringBuilder();
        for (int batch : shape.batches) {
            List<SetupRun> runs = warmedUp(list, spec, dataset, batch);
            out.append(table(batch, measure(list, runs, batch)));
            if (blocks > 0) out.append(blockTable(batch, list, blockPairs(runs)));
        }
        if (stepEpochs > 0) {
            out.append(String.format(Locale.ROOT, "%nStep pairs: setup c4 (metricsEvery = 4), every step timed, %d epochs after the warm-up;"
                    + " recorded steps (iteration ≡ 0 mod 4) against unrecorded steps of the same parity (≡ 2 mod 4)%n%n", stepEpochs));
            out.append("| batch | steps recorded / unrecorded | median step, unrecorded | median step, recorded | cost of recording (wall, medians)"
                    + " | (wall, 5 % trimmed means) | (training-thread CPU, medians) |\n");
            out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int batch : shape.batches) out.append(stepRow(batch, stepPairs(spec, dataset, batch)));
        }
        console.print(out);
        return 0;
    }

    /** One run per setup, each warmed up. */
    List<SetupRun> warmedUp(List<BenchSetup> list, ExperimentSpec spec, MnistLikeDataset dataset, int batch) {
        List<SetupRun> runs = new ArrayList<>();
        for (BenchSetup s : list) {
            SetupRun run = new SetupRun(s, spec, dataset, batch, shape.maxBatches);
            if ("false".equals(s.properties().get(FusedAdam.NATIVE_PROPERTY)) && "native".equals(run.adamKernel())) {
                throw new IllegalStateException("setup " + s.id() + " was built with the native Adam kernel despite nativeAdam=false");
            }
            runs.add(run);
        }
        for (int e = 0; e < shape.warmupEpochs(runs.get(0).batchesPerEpoch()); e++) runs.forEach(SetupRun::epoch);
        return runs;
    }

    /** {@code epochs} rounds of one epoch per setup, the order rotated each round. */
    List<BenchRow> measure(List<BenchSetup> list, List<SetupRun> runs, int batch) {
        List<List<EpochTiming>> timings = new ArrayList<>();
        list.forEach(s -> timings.add(new ArrayList<>()));
        inTurn(runs.size(), epochs, i -> timings.get(i).add(runs.get(i).epoch()));
        List<BenchRow> rows = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            rows.add(new BenchRow(list.get(i).id(), list.get(i).label(), batch, timings.get(i), -1));
        }
        return rows;
    }

    /** {@code blocks} rounds of one block of {@code blockSteps} steps per setup, the order rotated each round. */
    BlockPairs blockPairs(List<SetupRun> runs) {
        BlockPairs pairs = new BlockPairs(runs.size());
        inTurn(runs.size(), blocks, i -> pairs.add(i, runs.get(i).steps(blockSteps)));
        return pairs;
    }

    /** {@code rounds} rounds in which {@code step} runs once for each of the setups 0 … n−1 in turn, the order rotated every round. */
    private static void inTurn(int setups, int rounds, IntConsumer step) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < setups; i++) order.add(i);
        for (int round = 0; round < rounds; round++) {
            for (int i : order) step.accept(i);
            Collections.rotate(order, 1);
        }
    }

    static String blockTable(int batch, List<BenchSetup> list, BlockPairs pairs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%nbatch %d, block pairs (%d rounds of one block per setup in turn; cost = median over rounds of"
                        + " block time ÷ %s's block time in the same round − 1; quartiles in brackets)%n%n",
                batch, pairs.rounds(), list.get(0).id()));
        sb.append("| setup | cost (wall) | [p25, p75] | cost (training-thread CPU) | [p25, p75] |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (int i = 1; i < list.size(); i++) {
            double[] w = pairs.wallCost(i);
            double[] c = pairs.cpuCost(i);
            sb.append(String.format(Locale.ROOT, "| %s | %+.1f %% | [%+.1f, %+.1f] | %+.1f %% | [%+.1f, %+.1f] |%n", list.get(i).id(),
                    100 * w[1], 100 * w[0], 100 * w[2], 100 * c[1], 100 * c[0], 100 * c[2]));
        }
        return sb.toString();
    }

    /** Setup c4 warmed up, then {@link #stepEpochs} epochs with every step timed. */
    StepTimes stepPairs(ExperimentSpec spec, MnistLikeDataset dataset, int batch) {
        SetupRun run = new SetupRun(BenchSetup.METRICS_EVERY_4, spec, dataset, batch, shape.maxBatches);
        for (int e = 0; e < shape.warmupEpochs(run.batchesPerEpoch()); e++) run.epoch();
        StepTimes steps = new StepTimes();
        for (int e = 0; e < stepEpochs; e++) run.timedSteps(steps);
        return steps;
    }

    static String stepRow(int batch, StepTimes t) {
        return String.format(Locale.ROOT, "| %d | %,d / %,d | %.0f µs | %.0f µs | %+.1f %% | %+.1f %% | %+.1f %% |%n", batch,
                t.recordedSteps(), t.unrecordedSteps(), t.unrecordedMedianMicros(), t.recordedMedianMicros(),
                100 * t.wallCost(), 100 * t.trimmedMeanWallCost(), 100 * t.cpuCost());
    }

    static String table(int batch, List<BenchRow> rows) {
        BenchRow first = rows.get(0);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%nbatch %d, paired in one JVM (%d epochs per setup; medians; overhead vs %s)%n%n", batch, first.epochs().size(), first.id()));
        sb.append("| setup | what | examples/s | examples/thread-CPU-s | overhead (thread CPU) | overhead (wall) | overhead (process CPU) |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (BenchRow r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %+.1f %% | %+.1f %% | %+.1f %% |%n", r.id(), r.label(),
                    r.medianPerSecond(), r.medianPerThreadCpuSecond(),
                    100 * (first.medianPerThreadCpuSecond() / r.medianPerThreadCpuSecond() - 1),
                    100 * (first.medianPerSecond() / r.medianPerSecond() - 1),
                    100 * (first.medianPerCpuSecond() / r.medianPerCpuSecond() - 1)));
        }
        return sb.toString();
    }
}
