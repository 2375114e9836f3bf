package org.explosionlab.training;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.EarlyStopPolicy;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.detection.ExplosionDetector;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.IterationSample;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Trains one spec on one data set, end to end: build and instrument the network, run the epochs
 * minibatch by minibatch (so a stop rule can end the run between two steps), judge every recorded
 * iteration with the {@link ExplosionDetector}, evaluate on the test split with DL4J's
 * {@link Evaluation}, and write {@code summary.json} (atomically, also after every epoch).
 * NaN and Inf are data here: a run that blows up finishes (or stops by its rule) with a verdict.
 */
public final class Trainer {
    private static final int EVAL_BATCH = 1000;
    private final PrintStream console;

    public Trainer(PrintStream console) {
        this.console = console;
    }

    public RunResult run(ExperimentSpec spec, MnistLikeDataset data, RunOptions options) {
        Instant started = Instant.now();
        List<IterationMetrics> metrics = new ArrayList<>();
        List<IterationSample> samples = new ArrayList<>();
        DetectorConfig config = DetectorConfig.defaults().withExplosionFactor(spec.explosionFactor())
                .withAbsoluteCeiling(spec.explosionCeiling()).withEarlyStop(EarlyStopPolicy.onLabels(spec.stopOnKinds()));
        ExplosionDetector detector = new ExplosionDetector(config);
        List<ExplosionEvent> stopEvents = new ArrayList<>();
        List<Consumer<IterationMetrics>> sinks = new ArrayList<>();
        List<Closeable> files = new ArrayList<>();
        sinks.add(metrics::add);
        sinks.add(m -> {
            IterationSample s = sample(m);
            samples.add(s);
            Optional<ExplosionEvent> e = detector.observe(s);
            e.filter(ev -> config.earlyStop().shouldStop(ev)).ifPresent(stopEvents::add);
            e.ifPresent(ev -> println("  ! " + ev.kind().label() + " at iteration " + ev.iteration() + ": " + ev.message()));
        });
        if (options.outDir() != null) {
            MetricsJsonlWriter jsonl = new MetricsJsonlWriter(options.outDir().resolve("metrics.jsonl"));
            MetricsCsvWriter csv = new MetricsCsvWriter(options.outDir().resolve("metrics.csv"));
            files.add(jsonl);
            files.add(csv);
            sinks.add(jsonl);
            sinks.add(csv);
        }
        if (options.consoleEvery() > 0) sinks.add(new ConsoleLine(console, options.consoleEvery()));

        try {
            InstrumentedNetwork instrumented = InstrumentedNetwork.create(spec, sinks);
            MultiLayerNetwork net = instrumented.network();
            DataSetIterator train = data.trainIterator(spec.batchSize(), spec.seed(), options.maxBatches());
            long examples = 0;
            int epochsCompleted = 0;
            String stopReason = null;
            long t0 = System.nanoTime();
            epochs:
            for (int epoch = 0; epoch < spec.epochs(); epoch++) {
                train.reset();
                while (train.hasNext()) {
                    DataSet batch = train.next();
                    net.fit(batch);
                    examples += batch.numExamples();
                    if (!stopEvents.isEmpty()) {
                        ExplosionEvent e = stopEvents.get(0);
                        stopReason = "stopOn " + e.kind().label() + " at iteration " + e.iteration();
                        break epochs;
                    }
                    if (instrumented.skipGaveUp()) {
                        stopReason = "skipNonFinite gave up after " + spec.maxConsecutiveSkips() + " consecutive non-finite steps";
                        break epochs;
                    }
                }
                net.incrementEpochCount();
                epochsCompleted++;
                if (options.outDir() != null) {
                    writeSummary(options.outDir(), summary(spec, data, options, started, null, samples, detector, Double.NaN));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double accuracy = evaluate(net, data);
            RunResults results = new RunResults(accuracy, seconds, examples / Math.max(seconds, 1e-9),
                    net.getIterationCount(), epochsCompleted, stopReason != null, stopReason,
                    metrics.isEmpty() ? Double.NaN : metrics.get(metrics.size() - 1).loss(), maxNorm(metrics));
            RunSummary summary = summary(spec, data, options, started, results, samples, detector, accuracy);
            if (options.outDir() != null) writeSummary(options.outDir(), summary);
            return new RunResult(summary, metrics, net, options.outDir());
        } finally {
            for (Closeable c : files) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // every line was flushed as it was written
                }
            }
        }
    }

    /**
     * Test-set accuracy with DL4J's {@link Evaluation}, where a test example whose prediction holds NaN
     * or ±Inf counts as wrong: DL4J's {@code Evaluation} refuses such rows with an exception, and a run
     * that blew up must still end with its accuracy and verdict.
     * <pre>  accuracy = correct / (finite rows + non-finite rows)</pre>
     */
    static double evaluate(MultiLayerNetwork net, MnistLikeDataset data) {
        Evaluation eval = new Evaluation();
        long nonFiniteRows = 0;
        DataSetIterator test = data.testIterator(EVAL_BATCH);
        while (test.hasNext()) {
            DataSet batch = test.next();
            INDArray predicted = net.output(batch.getFeatures(), false);
            int[] finite = finiteRows(predicted);
            nonFiniteRows += predicted.rows() - finite.length;
            if (finite.length == predicted.rows()) {
                eval.eval(batch.getLabels(), predicted);
            } else if (finite.length > 0) {
                eval.eval(batch.getLabels().getRows(finite), predicted.getRows(finite));
            }
        }
        int evaluated = eval.getNumRowCounter();
        long total = evaluated + nonFiniteRows;
        if (total == 0) return Double.NaN;
        double correct = evaluated == 0 ? 0 : eval.accuracy() * evaluated;
        return correct / total;
    }

    /** Indices of the rows of {@code m} whose every element is finite. */
    private static int[] finiteRows(INDArray m) {
        double[][] rows = m.toDoubleMatrix();
        return IntStream.range(0, rows.length)
                .filter(r -> Arrays.stream(rows[r]).allMatch(Double::isFinite))
                .toArray();
    }

    private static RunSummary summary(ExperimentSpec spec, MnistLikeDataset data, RunOptions options, Instant started,
                                      RunResults results, List<IterationSample> samples, ExplosionDetector detector,
                                      double accuracy) {
        var p = data.provenance();
        Provenance provenance = new Provenance(Provenance.DL4J_VERSION, System.getProperty("java.version"), Provenance.osDescription(),
                Runtime.getRuntime().availableProcessors(), System.getenv("OMP_NUM_THREADS"), spec.seed(), p.name(),
                p.location(), p.trainCount(), p.testCount(), p.sha256(), options.maxBatches(), started.toString(),
                results == null ? null : Instant.now().toString(), options.command());
        return new RunSummary(spec, provenance, results, EpochAggregates.perEpoch(samples), detector.verdict(accuracy));
    }

    private static void writeSummary(Path dir, RunSummary summary) {
        try {
            AtomicFiles.writeString(dir.resolve("summary.json"), SpecJson.mapper().writeValueAsString(summary));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("summary does not serialise", e);
        }
    }

    static IterationSample sample(IterationMetrics m) {
        return new IterationSample(m.iteration(), m.epoch(), m.loss(), m.gradL2Global(), m.gradL2GlobalClipped(),
                m.gradL2Layer(), m.gradMaxAbs(), m.gradNonFinite(), m.clipped(), m.skipped());
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
