package org.explosionlab.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.TestSetAccuracy;
import org.explosionlab.data.InMemoryBatchIterator;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.spec.EventKind;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.monitor.MetricsCsvWriter;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;
import org.nd4j.evaluation.classification.Evaluation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private final TrainingConsole console;

    /** @param console what the run shows its user while it trains (the CLI's printer); null for nothing */
    public Trainer(TrainingConsole console) {
        this.console = console;
    }

    /** A fresh run. */
    public RunResult run(ExperimentSpec spec, MnistLikeDataset data, RunOptions options) {
        if (options.outDir() != null) AtomicFiles.writeString(options.outDir().resolve(SPEC_FILE), SpecJson.write(spec));
        return train(spec, data, options, null);
    }

    /**
     * Trains a network built elsewhere (e.g. imported from Keras by {@code network.KerasImport}) with the spec's training
     * settings (data, batch size, epochs, seed, remedies, detector); the spec's layer fields are not used. A network whose
     * loss is {@code LossSparseMCXENT} gets class-index labels ({@link org.explosionlab.data.SparseLabels}).
     */
    public RunResult run(ExperimentSpec spec, MultiLayerNetwork net, MnistLikeDataset data, RunOptions options) {
        if (options.outDir() != null) AtomicFiles.writeString(options.outDir().resolve(SPEC_FILE), SpecJson.write(spec));
        return train(spec, data, options, null, net);
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
        String kind = SafePaths.kindOf(runDir.resolve(Checkpoint.FILE));
        if (kind != null) {
            throw new Checkpoint.CheckpointException(runDir.resolve(Checkpoint.FILE) + " is " + kind + ", not a checkpoint file"
                    + " (a zip explosion-lab writes); it cannot be resumed: remove it and start a new run");
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

    /**
     * Every check {@link #resume} makes, reading only: {@link #resumableSpec}, the data's SHA-256, the checkpoint's
     * network and every field of its record ({@link Checkpoint#requireConsistent}), and the rows of metrics.jsonl
     * ({@link #replay}'s checks). The CLI calls it before it takes the run's lock, so a refused resume changes
     * nothing in the directory, not even the lock file.
     */
    public static void checkResumable(Path runDir, MnistLikeDataset data) {
        Resumable r = resumable(runDir, data);
        scanMetrics(runDir, r.cp(), r.spec().recording().metricsEvery(), (line, m) -> { });
    }

    private record Resumable(ExperimentSpec spec, Checkpoint cp, MultiLayerNetwork net) {
    }

    private static Resumable resumable(Path runDir, MnistLikeDataset data) {
        ExperimentSpec spec = resumableSpec(runDir);
        Checkpoint cp = Checkpoint.read(runDir);
        RuntimeTuning.applyDefaults();                  // before ND4J allocates the checkpoint's network
        cp.requireData(runDir, data.provenance().sha256());
        MultiLayerNetwork net = cp.networkToContinue(runDir, spec);
        cp.requireConsistent(runDir, spec, data.provenance().trainCount(), net);
        return new Resumable(spec, cp, net);
    }

    /** Continues the run in {@code runDir} from its last checkpoint (see {@link #checkResumable} for the checks). */
    public RunResult resume(Path runDir, MnistLikeDataset data, int consoleEvery, int checkpointEvery) {
        Resumable r = resumable(runDir, data);          // every check before a file is rewritten (replay checks the rows first)
        AtomicFiles.deleteLeftovers(runDir);             // temp files of a kill between write and rename
        RunOptions options = new RunOptions(runDir, r.cp().maxBatches(), consoleEvery, checkpointEvery, "train --resume " + runDir);
        return train(r.spec(), data, options, r.cp(), r.net());
    }

    private RunResult train(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, Checkpoint from) {
        RuntimeTuning.applyDefaults();      // every path (train, sweep, demo, a Spark task) trains with the same ND4J threads
        return train(spec, data, options, from, NetworkFactory.build(spec));
    }

    private RunResult train(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, Checkpoint from, MultiLayerNetwork net) {
        RuntimeTuning.applyDefaults();      // every path (train, sweep, demo, a Spark task) trains with the same ND4J threads
        Instant started = Instant.now();
        RunTotals totals = new RunTotals();             // the summary's figures, row by row: no row is kept for them
        if (from != null) replay(options.outDir(), from, spec.recording().metricsEvery(), totals);
        DetectorConfig config = DetectorConfig.defaults().withExplosionFactor(spec.detector().explosionFactor())
                .withAbsoluteCeiling(spec.detector().explosionCeiling());
        InMemoryBatchIterator train = data.trainIterator(spec.training().batchSize(), spec.training().seed(), options.maxBatches());
        if (sparseLoss(net)) train.setPreProcessor(new org.explosionlab.data.SparseLabels());   // a Keras sparse_categorical_crossentropy

        RemedyChain remedies = RemedyChain.of(spec).installOn(net);
        if (from != null) remedies.restore(from.remedies());
        ExplosionMonitor.Builder builder = ExplosionMonitor.builder()
                .every(spec.recording().metricsEvery())
                .recordActivations(spec.recording().recordActivations())
                .instruments(spec.recording().earlyWarning())
                .sharpnessEvery(spec.recording().sharpnessEvery())
                .detector(config)
                .stopOn(spec.detector().stopOn().toArray(EventKind[]::new))
                .keepMetrics(options.outDir() == null)   // with a directory the rows are in metrics.jsonl, not in memory
                .sink(totals)
                .logEvents(false)                  // logged once below, for every event
                .diagnose(false)                   // `explosion-lab diagnose` runs the full diagnosis (data and first step too)
                .onEvent(ev -> {
                    LOG.info("{} at iteration {}: {}", ev.kind().label(), ev.iteration(), ev.message());
                    if (console != null) console.event(ev);
                })
                .onWarning(w -> {
                    LOG.info("{}", w.message());
                    if (console != null) console.warning(w);
                });
        if (options.outDir() != null) builder.runDirectory(options.outDir());
        if (options.consoleEvery() > 0 && console != null) {
            long total = (long) spec.training().epochs() * train.batchesPerEpoch();
            builder.sink(console.progress(options.consoleEvery(), total, spec.training().epochs(), spec.training().batchSize()));
        }
        try (ExplosionMonitor monitor = builder.attach(net)) {
            if (from != null && from.monitor() != null) monitor.restore(from.monitor());   // the dead-unit counters go on
            if (from != null) replayInto(monitor, options.outDir());   // the detector's windows see the whole run
            FitLoop loop = new FitLoop(spec, options, net, monitor, remedies, from, data.provenance().sha256(),
                    mark -> writeSummary(options.outDir(), summary(spec, data, options, started, null, monitor, totals, Double.NaN, mark)));
            loop.run(train);
            String stopReason = loop.stopReason();
            long examples = loop.examples();
            int epochsCompleted = loop.epochsCompleted();
            double seconds = loop.seconds();
            double accuracy = TestSetAccuracy.of(net, data);
            RunResults results = new RunResults(accuracy, seconds, examples / Math.max(seconds, 1e-9),
                    net.getIterationCount(), epochsCompleted, stopReason != null, stopReason,
                    totals.lastLoss(), totals.maxNorm(),
                    remedies.nonFiniteSkips() + remedies.spikeSkips(), remedies.nonFiniteSkips(), remedies.spikeSkips(),
                    peakRssMiB());
            RunSummary summary = summary(spec, data, options, started, results, monitor, totals, accuracy, loop.metricsMark());
            if (options.outDir() != null) {
                saveModel(net, options.outDir().resolve(MODEL_FILE));
                writeSummary(options.outDir(), summary);
                Files.deleteIfExists(options.outDir().resolve(Checkpoint.FILE));   // model.zip supersedes it
            }
            List<IterationMetrics> rows = options.outDir() == null ? List.copyOf(monitor.metrics())
                    : new RecordedRows(options.outDir().resolve(MetricsFile.FILE));
            return new RunResult(summary, rows, net, options.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Before resuming: keep the recorded rows of iterations before the checkpoint (a killed run may have recorded a
     * few more, and a truncated last line), rewrite metrics.jsonl/csv with just those, streamed, and feed them to
     * {@code totals}, so the aggregates see the whole run ({@link #replayInto} then feeds the detector). The file must hold exactly the rows the monitor records before the
     * checkpoint's iteration (every {@code every}-th from 0, each once, in order, each complete: {@link MetricsFile}),
     * or the resume is refused with one line: a verdict on a run with rows lost, duplicated or edited would be a
     * verdict on another run. Both files are written to temp files and renamed only after every row passed.
     */
    private static void replay(Path dir, Checkpoint from, int every, RunTotals totals) {
        Path jsonl = dir.resolve(MetricsFile.FILE);
        Path csvFile = dir.resolve("metrics.csv");
        Path tmp = null;
        Path tmpCsv = null;
        try {
            tmp = AtomicFiles.tempBeside(jsonl);             // the kept rows stream here; renamed over metrics.jsonl at the end
            tmpCsv = AtomicFiles.tempBeside(csvFile);
            try (java.io.Writer kept = Files.newBufferedWriter(tmp, java.nio.charset.StandardCharsets.UTF_8);
                 MetricsCsvWriter csv = new MetricsCsvWriter(tmpCsv)) {
                scanMetrics(dir, from, every, (line, m) -> {
                    try {
                        kept.write(line);
                        kept.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot rewrite " + jsonl + ": " + e.getMessage(), e);
                    }
                    csv.accept(m);
                    totals.accept(m);
                });
            }
            AtomicFiles.replace(tmp, jsonl);
            tmp = null;
            AtomicFiles.replace(tmpCsv, csvFile);
            tmpCsv = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + jsonl + ": " + e.getMessage(), e);
        } finally {
            AtomicFiles.deleteQuietly(tmp);
            AtomicFiles.deleteQuietly(tmpCsv);
        }
    }

    /**
     * Feeds the rows {@link #replay} kept to the resumed run's monitor (its detector), streamed from the rewritten
     * metrics.jsonl: memory stays that of the detector's windows however long the run.
     */
    private static void replayInto(ExplosionMonitor monitor, Path dir) {
        Path jsonl = dir.resolve(MetricsFile.FILE);
        try (MetricsFile in = MetricsFile.open(jsonl, "start a new run instead of --resume")) {
            for (IterationMetrics m; (m = in.next()) != null; ) monitor.replay(List.of(m));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands each row of metrics.jsonl recorded before {@code beforeIteration} to {@code kept} (its text and its
     * record), after checking that they are exactly the rows the monitor records: every {@code every}-th
     * iteration from 0, each once, in order, each complete ({@link MetricsFile}); rows from the checkpoint's
     * iteration on (a killed run recorded a few more) and a cut-off last line are left out. Anything else is one
     * {@link Checkpoint.CheckpointException} line: a verdict on a run whose rows were lost, duplicated or edited
     * would be a verdict on another run.
     */
    private static void scanMetrics(Path dir, Checkpoint cp, int every,
                                    java.util.function.BiConsumer<String, IterationMetrics> kept) {
        long beforeIteration = cp.iteration();
        java.security.MessageDigest sha = MetricsDigest.newSha256();
        long bytes = 0;
        Path jsonl = dir.resolve(MetricsFile.FILE);
        String refuse = "start a new run instead of --resume";
        if (!Files.isRegularFile(jsonl)) {
            throw new Checkpoint.CheckpointException(jsonl + (Files.exists(jsonl) ? " is not a file" : " is missing") + ", but the checkpoint is at iteration " + beforeIteration
                    + " and the run recorded rows before it; --resume cannot judge the whole run: " + refuse);
        }
        long expected = 0;                                // the next iteration the monitor recorded
        try (MetricsFile in = MetricsFile.open(jsonl, refuse)) {
            for (IterationMetrics m; (m = in.next()) != null; ) {
                if (m.iteration() >= beforeIteration) continue;      // recorded after the checkpoint: trained again
                if (m.iteration() != expected) {
                    throw new Checkpoint.CheckpointException(jsonl + " line " + in.lineNumber() + " records iteration " + m.iteration()
                            + " where the row of iteration " + expected + " belongs (rows are recorded every " + every
                            + " iterations): rows were lost or edited; " + refuse);
                }
                expected += every;
                byte[] text = (in.line() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                sha.update(text);
                bytes += text.length;
                kept.accept(in.line(), m);
            }
        } catch (BoundedLines.LineException e) {
            throw new Checkpoint.CheckpointException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
        }
        if (expected < beforeIteration) {
            throw new Checkpoint.CheckpointException(jsonl + (expected == 0 ? " holds no rows" : " ends at the row of iteration "
                    + (expected - every)) + ", but the checkpoint is at iteration " + beforeIteration + " (rows every " + every
                    + " iterations): rows were lost (a deleted or truncated file); " + refuse);
        }
        if (bytes != cp.metricsBytes() || !java.util.HexFormat.of().formatHex(sha.digest()).equals(cp.metricsSha256())) {
            throw new Checkpoint.CheckpointException(jsonl + ": its rows before iteration " + beforeIteration + " are not the ones the"
                    + " run wrote (" + bytes + " bytes against the checkpoint's " + cp.metricsBytes() + ", or another SHA-256):"
                    + " rows were edited; " + refuse);
        }
    }

    /** True when the network's last layer computes DL4J's LossSparseMCXENT (class indices as labels). */
    public static boolean sparseLoss(MultiLayerNetwork net) {
        var last = net.getLayer(net.getnLayers() - 1).conf().getLayer();
        var loss = last instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer o ? o.getLossFn()
                : last instanceof org.deeplearning4j.nn.conf.layers.LossLayer l ? l.getLossFn() : null;
        return loss instanceof org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
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
                                      RunResults results, ExplosionMonitor monitor, RunTotals totals, double accuracy,
                                      MetricsDigest.Mark metrics) {
        var p = data.provenance();
        Provenance provenance = new Provenance(Provenance.DL4J_VERSION, System.getProperty("java.version"), Provenance.osDescription(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"), spec.training().seed(), p.name(),
                p.location(), p.trainCount(), p.testCount(), p.sha256(), options.maxBatches(), started.toString(),
                results == null ? null : Instant.now().toString(), options.command());
        return new RunSummary(spec, provenance, results, totals.aggregates(), monitor.verdict(accuracy),
                metrics == null ? null : metrics.sha256(), metrics == null ? null : metrics.bytes());
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
}
