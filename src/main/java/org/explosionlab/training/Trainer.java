package org.explosionlab.training;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.TestSetAccuracy;
import org.explosionlab.data.InMemoryBatchIterator;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.spec.EventKind;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.run.Checkpoint;
import org.explosionlab.run.MetricsDigest;
import org.explosionlab.run.RunOutput;
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
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private final TrainingConsole console;
    private final java.util.function.Consumer<IterationMetrics> progress;

    /** @param console what the run shows its user while it trains (the CLI's printer); null for nothing */
    public Trainer(TrainingConsole console) {
        this(console, null);
    }

    /**
     * @param console  what the run shows its user while it trains; null for nothing
     * @param progress receives every row the monitor records, as it records it (a sweep's progress line); null: none.
     *                 It only reads: the run's numbers do not depend on it
     */
    public Trainer(TrainingConsole console, java.util.function.Consumer<IterationMetrics> progress) {
        this.console = console;
        this.progress = progress;
    }

    /** A fresh run. */
    public RunResult run(ExperimentSpec spec, MnistLikeDataset data, RunOptions options) {
        new RunOutput(options.outDir()).writeSpec(spec);
        RuntimeTuning.applyDefaults();      // before ND4J builds the network
        return train(spec, data, options, null, NetworkFactory.build(spec));
    }

    /**
     * Trains a network built elsewhere (e.g. imported from Keras by {@code network.KerasImport}) with the spec's training
     * settings (data, batch size, epochs, seed, remedies, detector); the spec's layer fields are not used. A network whose
     * loss is {@code LossSparseMCXENT} gets class-index labels ({@link org.explosionlab.data.SparseLabels}).
     */
    public RunResult run(ExperimentSpec spec, MultiLayerNetwork net, MnistLikeDataset data, RunOptions options) {
        new RunOutput(options.outDir()).writeSpec(spec);
        return train(spec, data, options, null, net);
    }

    /**
     * The spec of a run that {@link #resume} can continue, after every check that needs no training
     * ({@link RunOutput#resume}); nothing in the directory is touched.
     */
    public static ExperimentSpec resumableSpec(Path runDir) {
        return RunOutput.resume(runDir).spec();
    }

    /**
     * Every check {@link #resume} makes, reading only: {@link #resumableSpec}, the data's SHA-256, the checkpoint's
     * network and every field of its record, and the rows of metrics.jsonl ({@link RunOutput.Resume}). The CLI calls it
     * before it takes the run's lock, so a refused resume changes nothing in the directory, not even the lock file.
     */
    public static void checkResumable(Path runDir, MnistLikeDataset data) {
        RunOutput.Resume r = RunOutput.resume(runDir);
        network(r, data);
        r.checkRows();
    }

    private static MultiLayerNetwork network(RunOutput.Resume r, MnistLikeDataset data) {
        RuntimeTuning.applyDefaults();                  // before ND4J allocates the checkpoint's network
        return r.network(data.provenance().sha256(), data.provenance().trainCount());
    }

    /** Continues the run in {@code runDir} from its last checkpoint (see {@link #checkResumable} for the checks). */
    public RunResult resume(Path runDir, MnistLikeDataset data, int consoleEvery, int checkpointEvery) {
        RunOutput.Resume r = RunOutput.resume(runDir);
        MultiLayerNetwork net = network(r, data);      // every check before a file is rewritten (replay checks the rows first)
        RunOptions options = new RunOptions(r.output().dir(), r.cp().maxBatches(), consoleEvery, checkpointEvery,
                "train --resume " + r.output().dir());
        return train(r.spec(), data, options, r, net);
    }

    private RunResult train(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, RunOutput.Resume resumed,
                            MultiLayerNetwork net) {
        RuntimeTuning.applyDefaults();      // every path (train, sweep, demo, a Spark task) trains with the same ND4J threads
        Instant started = Instant.now();
        RunOutput output = resumed != null ? resumed.output() : new RunOutput(options.outDir());
        Checkpoint from = resumed == null ? null : resumed.cp();
        RunTotals totals = new RunTotals();             // the summary's figures, row by row: no row is kept for them
        if (resumed != null) resumed.replay(totals);
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
        if (progress != null) builder.sink(progress);
        if (options.consoleEvery() > 0 && console != null) {
            long total = (long) spec.training().epochs() * train.batchesPerEpoch();
            builder.sink(console.progress(options.consoleEvery(), total, spec.training().epochs(), spec.training().batchSize()));
        }
        try (ExplosionMonitor monitor = builder.attach(net)) {
            if (from != null && from.monitor() != null) monitor.restore(from.monitor());   // the dead-unit counters go on
            if (resumed != null) resumed.replayInto(m -> monitor.replay(List.of(m)));   // the detector's windows see the whole run
            FitLoop loop = new FitLoop(spec, options, net, monitor, remedies, from, data.provenance().sha256(), output,
                    mark -> output.writeSummary(summary(spec, data, options, started, null, monitor, totals, Double.NaN, mark)));
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
            output.finish(net, summary);
            List<IterationMetrics> rows = output.dir() == null ? List.copyOf(monitor.metrics()) : output.rows();
            return new RunResult(summary, rows, net, output.dir());
        }
    }

    /** True when the network's last layer computes DL4J's LossSparseMCXENT (class indices as labels). */
    public static boolean sparseLoss(MultiLayerNetwork net) {
        var last = net.getLayer(net.getnLayers() - 1).conf().getLayer();
        var loss = last instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer o ? o.getLossFn()
                : last instanceof org.deeplearning4j.nn.conf.layers.LossLayer l ? l.getLossFn() : null;
        return loss instanceof org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
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

    private static double peakRssMiB() {
        long kib = PeakRss.selfKib();
        return kib < 0 ? -1 : Math.round(kib / 1024.0 * 10) / 10.0;
    }
}
