package org.explosionlab.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.TestSetAccuracy;
import org.explosionlab.data.ShuffledBatchIterator;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.detection.EventKind;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.monitor.MetricsCsvWriter;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;
import org.nd4j.evaluation.classification.Evaluation;

/**
 * Trains one spec on one data set, end to end: build the network, install the spec's remedies and
 * attach the {@link ExplosionMonitor} (the same monitor a user attaches to their own network), train the
 * epochs with DL4J's {@code net.fit(iterator, epochs)} ({@link FitLoop}: every listener's epoch events fire,
 * and a stop rule still ends the run between two steps), evaluate on the test split with DL4J's
 * {@link Evaluation}, and write the run files. NaN and Inf are data here: a run that blows up
 * finishes (or stops by its rule) with a verdict.
 *
 * <p>With a run directory, {@code spec.json} is written first, {@code summary.json} (atomically)
 * and {@code checkpoint.zip} after every epoch (and every {@code checkpointEvery} iterations), and
 * {@code model.zip} at the end. {@link #resume} continues a killed run from its checkpoint to the same
 * final parameters: the iterator's order for epoch e depends only on the seed and e, and the
 * checkpoint holds parameters, optimizer state, iteration/epoch counters and remedy state.
 *
 * <p>Every run first applies {@link RuntimeTuning} (one ND4J/OpenMP and BLAS thread unless the user
 * chose), here rather than in each command: {@code sweep} once skipped it, trained with one OpenMP
 * thread per core, and the parallel reductions' different order of summation changed the loss in the
 * 8th digit at iteration 0 and, high-lr being chaotic, the verdict (issue 19).
 */
public final class Trainer {
    public static final String SPEC_FILE = "spec.json";
    public static final String MODEL_FILE = "model.zip";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream console;

    public Trainer(PrintStream console) {
        this.console = console;
    }

    /** A fresh run. */
    public RunResult run(ExperimentSpec spec, MnistLikeDataset data, RunOptions options) {
        if (options.outDir() != null) AtomicFiles.writeString(options.outDir().resolve(SPEC_FILE), SpecJson.write(spec));
        return train(spec, data, options, null);
    }

    /**
     * The spec of a run that {@link #resume} can continue, after every check that needs no training:
     * {@code spec.json} is there, the run has a checkpoint (a finished run says so), the checkpoint is
     * readable, and {@code spec.json} is the spec the checkpoint was written with. Each failure is one
     * {@link Checkpoint.CheckpointException} line; nothing in the directory is touched.
     */
    public static ExperimentSpec resumableSpec(Path runDir) {
        Path f = runDir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(f)) {
            throw new Checkpoint.CheckpointException(runDir + " holds no " + SPEC_FILE + "; --resume needs a run directory written by train");
        }
        if (!Files.isRegularFile(runDir.resolve(Checkpoint.FILE))) {
            if (Files.isRegularFile(runDir.resolve(MODEL_FILE))) {
                throw new Checkpoint.CheckpointException(runDir + ": this run finished (" + MODEL_FILE + " and summary.json are written),"
                        + " so there is nothing to resume; to train it again, start a new run with train --spec " + f);
            }
            throw new Checkpoint.CheckpointException(runDir + " holds no " + Checkpoint.FILE + ": the run stopped before its first"
                    + " checkpoint (the end of epoch 1, or --checkpoint-every N); start it again");
        }
        ExperimentSpec spec = SpecJson.read(f);
        Checkpoint.read(runDir).requireSpec(runDir, spec);
        org.explosionlab.network.MemoryBudget.requireFits(spec);     // the limits of a new run, on this machine
        return spec;
    }

    /** Continues the run in {@code runDir} from its last checkpoint (see {@link #resumableSpec} for the checks). */
    public RunResult resume(Path runDir, MnistLikeDataset data, int consoleEvery, int checkpointEvery) {
        ExperimentSpec spec = resumableSpec(runDir);
        Checkpoint cp = Checkpoint.read(runDir);
        RuntimeTuning.applyDefaults();                  // before ND4J allocates the checkpoint's network
        cp.requireData(runDir, data.provenance().sha256());
        MultiLayerNetwork net = cp.networkToContinue(runDir, spec);   // every check before a file is rewritten
        AtomicFiles.deleteLeftovers(runDir);             // temp files of a kill between write and rename
        RunOptions options = new RunOptions(runDir, cp.maxBatches(), consoleEvery, checkpointEvery, "train --resume " + runDir);
        return train(spec, data, options, cp, net);
    }

    private RunResult train(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, Checkpoint from) {
        RuntimeTuning.applyDefaults();      // every path (train, sweep, demo, a Spark task) trains with the same ND4J threads
        return train(spec, data, options, from, NetworkFactory.build(spec));
    }

    private RunResult train(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, Checkpoint from, MultiLayerNetwork net) {
        RuntimeTuning.applyDefaults();      // every path (train, sweep, demo, a Spark task) trains with the same ND4J threads
        Instant started = Instant.now();
        List<IterationMetrics> earlier = from == null ? List.of() : replay(options.outDir(), from.iteration());
        DetectorConfig config = DetectorConfig.defaults().withExplosionFactor(spec.explosionFactor())
                .withAbsoluteCeiling(spec.explosionCeiling());
        ShuffledBatchIterator train = data.trainIterator(spec.batchSize(), spec.seed(), options.maxBatches());

        RemedyChain remedies = RemedyChain.of(spec).installOn(net);
        if (from != null) remedies.restore(from.remedies());
        ExplosionMonitor.Builder builder = ExplosionMonitor.builder()
                .every(spec.metricsEvery())
                .recordActivations(spec.recordActivations())
                .instruments(spec.earlyWarning())
                .sharpnessEvery(spec.sharpnessEvery())
                .detector(config)
                .stopOn(spec.stopOnKinds().stream().map(EventKind::fromLabel).toArray(EventKind[]::new))
                .keepMetrics(true)                 // the run's summary and aggregates need every row
                .logEvents(false)                  // the console line below says it once
                .onEvent(ev -> println("  ! " + ev.kind().label() + " at iteration " + ev.iteration() + ": " + ev.message()))
                .onWarning(w -> println("  ? " + w.message()));
        if (options.outDir() != null) builder.runDirectory(options.outDir());
        if (options.consoleEvery() > 0 && console != null) {
            long total = (long) spec.epochs() * train.batchesPerEpoch();
            builder.sink(ProgressBar.interactive() && console == System.out
                    ? new ProgressBar(console, total, spec.epochs(), spec.batchSize())
                    : new ConsoleLine(console, options.consoleEvery()));
        }
        try (ExplosionMonitor monitor = builder.attach(net)) {
            if (from != null && from.monitor() != null) monitor.restore(from.monitor());   // the dead-unit counters go on
            monitor.replay(earlier);
            FitLoop loop = new FitLoop(spec, options, net, monitor, remedies, from, data.provenance().sha256(),
                    () -> writeSummary(options.outDir(), summary(spec, data, options, started, null, monitor, Double.NaN)));
            loop.run(train);
            String stopReason = loop.stopReason();
            long examples = loop.examples();
            int epochsCompleted = loop.epochsCompleted();
            double seconds = loop.seconds();
            double accuracy = TestSetAccuracy.of(net, data);
            List<IterationMetrics> metrics = monitor.metrics();
            RunResults results = new RunResults(accuracy, seconds, examples / Math.max(seconds, 1e-9),
                    net.getIterationCount(), epochsCompleted, stopReason != null, stopReason,
                    metrics.isEmpty() ? Double.NaN : metrics.get(metrics.size() - 1).loss(), maxNorm(metrics),
                    remedies.nonFiniteSkips() + remedies.spikeSkips(), remedies.nonFiniteSkips(), remedies.spikeSkips(),
                    peakRssMiB());
            RunSummary summary = summary(spec, data, options, started, results, monitor, accuracy);
            if (options.outDir() != null) {
                saveModel(net, options.outDir().resolve(MODEL_FILE));
                writeSummary(options.outDir(), summary);
                Files.deleteIfExists(options.outDir().resolve(Checkpoint.FILE));   // model.zip supersedes it
            }
            return new RunResult(summary, List.copyOf(metrics), net, options.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Before resuming: keep the recorded rows of iterations before the checkpoint (a killed run may
     * have recorded a few more, and a truncated last line), rewrite metrics.jsonl/csv with just those,
     * and return them, so the detector and aggregates see the whole run.
     */
    private static List<IterationMetrics> replay(Path dir, long beforeIteration) {
        Path jsonl = dir.resolve("metrics.jsonl");
        List<IterationMetrics> rows = new ArrayList<>();
        Path tmp = null;
        try {
            tmp = AtomicFiles.tempBeside(jsonl);             // the kept rows stream here; renamed over metrics.jsonl at the end
            try (BoundedLines in = BoundedLines.open(jsonl, "start a new run instead of --resume");
                 java.io.Writer kept = Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8)) {
                for (String line; (line = in.next()) != null; ) {
                    IterationMetrics m;
                    try {
                        m = JSON.readValue(line, IterationMetrics.class);
                    } catch (IOException e) {
                        continue;        // the truncated last line of a killed run
                    }
                    if (m.iteration() < beforeIteration) {
                        kept.write(line);
                        kept.write('\n');
                        rows.add(m);
                    }
                }
            } catch (NoSuchFileException e) {
                if (!Files.exists(jsonl)) rows.clear();      // killed before the first row: nothing to replay
                else throw e;
            }
            AtomicFiles.replace(tmp, jsonl);
            tmp = null;
        } catch (BoundedLines.LineException e) {
            throw new Checkpoint.CheckpointException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // report the original failure
                }
            }
        }
        Path csvFile = dir.resolve("metrics.csv");
        try {
            Files.deleteIfExists(csvFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + csvFile + ": " + e.getMessage(), e);
        }
        try (MetricsCsvWriter csv = new MetricsCsvWriter(csvFile)) {
            rows.forEach(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static void saveModel(MultiLayerNetwork net, Path target) {
        try {
            Path tmp = AtomicFiles.tempBeside(target);
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            AtomicFiles.replace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static RunSummary summary(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, Instant started,
                                      RunResults results, ExplosionMonitor monitor, double accuracy) {
        var p = data.provenance();
        Provenance provenance = new Provenance(Provenance.DL4J_VERSION, System.getProperty("java.version"), Provenance.osDescription(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"), spec.seed(), p.name(),
                p.location(), p.trainCount(), p.testCount(), p.sha256(), options.maxBatches(), started.toString(),
                results == null ? null : Instant.now().toString(), options.command());
        return new RunSummary(spec, provenance, results, EpochAggregates.perEpoch(monitor.metrics().stream().map(ExplosionMonitor::rawSample).toList()), monitor.verdict(accuracy));
    }

    private static void writeSummary(Path dir, RunSummary summary) {
        try {
            AtomicFiles.writeString(dir.resolve("summary.json"), SpecJson.mapper().writeValueAsString(summary));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("summary does not serialise", e);
        }
    }

    private static double peakRssMiB() {
        long kib = PeakRss.selfKib();
        return kib < 0 ? -1 : Math.round(kib / 1024.0 * 10) / 10.0;
    }

    private static double maxNorm(List<IterationMetrics> metrics) {
        double max = 0;
        for (IterationMetrics m : metrics) {
            if (Double.isNaN(m.gradL2Global())) return Double.NaN;
            max = Math.max(max, m.gradL2Global());
        }
        return max;
    }

    private void println(String line) {
        if (console != null) console.println(line);
    }
}
