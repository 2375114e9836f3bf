package org.explosionlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.commons.codec.digest.DigestUtils;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.monitor.MetricsCsvWriter;
import org.explosionlab.network.MemoryBudget;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;

/**
 * What a training run writes into its run directory and reads back from it, so that the trainer touches no file
 * itself: {@code spec.json} first, {@code summary.json} at every checkpoint and at the end, {@code model.zip} at the
 * end (which supersedes {@code checkpoint.zip}), every one atomically ({@link AtomicFiles}); and, to resume, the
 * spec and checkpoint ({@link #resume}) and the recorded rows ({@link #replay}). Without a directory (a run kept in
 * memory) every write does nothing. The monitor writes {@code metrics.jsonl} and {@code metrics.csv} itself.
 */
public final class RunOutput {
    private static final String REFUSE = "start a new run instead of --resume";
    private final Path dir;
    private final MetricsDigest metrics;

    /** @param dir the run directory; null: nothing on disk */
    public RunOutput(Path dir) {
        this.dir = dir;
        this.metrics = dir == null ? null : new MetricsDigest(dir.resolve(MetricsFile.FILE));
    }

    /** The run directory, or null. */
    public Path dir() {
        return dir;
    }

    public void writeSpec(ExperimentSpec spec) {
        if (dir != null) AtomicFiles.writeString(dir.resolve(RunFiles.SPEC), SpecJson.write(spec));
    }

    /** Writes {@code summary} (a JSON-serialisable record) as summary.json. */
    public void writeSummary(Object summary) {
        if (dir == null) return;
        try {
            AtomicFiles.writeString(dir.resolve(RunFiles.SUMMARY), SpecJson.mapper().writeValueAsString(summary));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("summary does not serialise", e);
        }
    }

    /** The end of a run: model.zip (DL4J's {@link ModelSerializer}, with updater state), then summary.json; checkpoint.zip goes. */
    public void finish(MultiLayerNetwork net, Object summary) {
        if (dir == null) return;
        Path target = dir.resolve(RunFiles.MODEL);
        try {
            Path tmp = AtomicFiles.tempBeside(target);
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            AtomicFiles.replace(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        writeSummary(summary);
        try {
            Files.deleteIfExists(dir.resolve(Checkpoint.FILE));   // model.zip supersedes it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of metrics.jsonl, read as they are asked for ({@link RecordedRows}). */
    public List<IterationMetrics> rows() {
        return new RecordedRows(dir.resolve(MetricsFile.FILE));
    }

    /** The SHA-256 of metrics.jsonl as it stands now, kept up as the file grows ({@link MetricsDigest}): for a checkpoint to record. */
    public MetricsDigest.Mark metricsMark() {
        return metrics.mark();
    }

    /** Writes {@code cp} with {@code net} as checkpoint.zip ({@link Checkpoint#write}). */
    public void writeCheckpoint(Checkpoint cp, MultiLayerNetwork net) {
        cp.write(dir, net);
    }

    /**
     * A run {@code --resume} can continue, after every check that needs no network: {@code spec.json} is there, the run
     * has a checkpoint (a finished run says so), the checkpoint is readable, and {@code spec.json} is the spec the
     * checkpoint was written with; and the spec fits this machine ({@link MemoryBudget#requireFits}). Each failure is
     * one {@link Checkpoint.CheckpointException} line; nothing in the directory is touched.
     */
    public static Resume resume(Path runDir) {
        Path f = runDir.resolve(RunFiles.SPEC);
        if (!Files.isRegularFile(f)) {
            throw new Checkpoint.CheckpointException(runDir + " holds no " + RunFiles.SPEC + "; --resume needs a run directory written by train");
        }
        String kind = SafePaths.kindOf(runDir.resolve(Checkpoint.FILE));
        if (kind != null) {
            throw new Checkpoint.CheckpointException(runDir.resolve(Checkpoint.FILE) + " is " + kind + ", not a checkpoint file"
                    + " (a zip explosion-lab writes); it cannot be resumed: remove it and start a new run");
        }
        if (!Files.isRegularFile(runDir.resolve(Checkpoint.FILE))) {
            if (Files.isRegularFile(runDir.resolve(RunFiles.MODEL))) {
                throw new Checkpoint.CheckpointException(runDir + ": this run finished (" + RunFiles.MODEL + " and summary.json are written),"
                        + " so there is nothing to resume; to train it again, start a new run with train --spec " + f);
            }
            throw new Checkpoint.CheckpointException(runDir + " holds no " + Checkpoint.FILE + ": the run stopped before its first"
                    + " checkpoint (the end of epoch 1, or --checkpoint-every N); start it again");
        }
        ExperimentSpec spec = SpecJson.read(f);
        Checkpoint cp = Checkpoint.read(runDir);
        cp.requireSpec(runDir, spec);
        MemoryBudget.requireFits(spec);     // the limits of a new run, on this machine
        return new Resume(new RunOutput(runDir), spec, cp);
    }

    /**
     * A run to continue from its checkpoint.
     *
     * @param output the run's directory
     * @param spec   its spec.json, the spec the checkpoint was written with
     * @param cp     the checkpoint
     */
    public record Resume(RunOutput output, ExperimentSpec spec, Checkpoint cp) {
        /**
         * The checkpoint's network, after the checks that need it: the data is the data the checkpoint was written with
         * ({@code dataSha256}: file name to SHA-256), the network is the spec's, and every field of the record is
         * consistent ({@link Checkpoint#requireConsistent}). ND4J allocates here: apply the runtime settings first.
         */
        public MultiLayerNetwork network(Map<String, String> dataSha256, long trainCount) {
            Path dir = output.dir();
            cp.requireData(dir, dataSha256);
            MultiLayerNetwork net = cp.networkToContinue(dir, spec);
            cp.requireConsistent(dir, spec, trainCount, net);
            return net;
        }

        /** The check of the recorded rows that {@link #replay} makes, reading only. */
        public void checkRows() {
            output.scanMetrics(cp, spec.recording().metricsEvery(), (line, m) -> { });
        }

        /**
         * Before resuming: removes the temp files of a kill between write and rename, keeps the recorded rows of
         * iterations before the checkpoint (a killed run may have recorded a few more, and a truncated last line),
         * rewrites metrics.jsonl/csv with just those, streamed, and feeds them to {@code rows}, so the aggregates see
         * the whole run. The file must hold exactly the rows the monitor records before the checkpoint's iteration
         * (every {@code metricsEvery}-th from 0, each once, in order, each complete: {@link MetricsFile}), or the resume
         * is refused with one line: a verdict on a run with rows lost, duplicated or edited would be a verdict on
         * another run. Both files are written to temp files and renamed only after every row passed.
         */
        public void replay(Consumer<IterationMetrics> rows) {
            RunFiles.deleteLeftovers(output.dir());
            output.rewriteMetrics(cp, spec.recording().metricsEvery(), rows);
        }

        /**
         * Feeds the rows {@link #replay} kept to {@code detector} (the resumed run's monitor), streamed from the
         * rewritten metrics.jsonl: memory stays that of the detector's windows however long the run.
         */
        public void replayInto(Consumer<IterationMetrics> detector) {
            Path jsonl = output.dir().resolve(MetricsFile.FILE);
            try (MetricsFile in = MetricsFile.open(jsonl, REFUSE)) {
                for (IterationMetrics m; (m = in.next()) != null; ) detector.accept(m);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
            }
        }
    }

    private void rewriteMetrics(Checkpoint from, int every, Consumer<IterationMetrics> rows) {
        Path jsonl = dir.resolve(MetricsFile.FILE);
        Path csvFile = dir.resolve(RunFiles.METRICS_CSV);
        Path tmp = null;
        Path tmpCsv = null;
        try {
            tmp = AtomicFiles.tempBeside(jsonl);             // the kept rows stream here; renamed over metrics.jsonl at the end
            tmpCsv = AtomicFiles.tempBeside(csvFile);
            try (Writer kept = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                 MetricsCsvWriter csv = new MetricsCsvWriter(tmpCsv)) {
                scanMetrics(from, every, (line, m) -> {
                    try {
                        kept.write(line);
                        kept.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot rewrite " + jsonl + ": " + e.getMessage(), e);
                    }
                    csv.accept(m);
                    rows.accept(m);
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
     * Hands each row of metrics.jsonl recorded before the checkpoint's iteration to {@code kept} (its text and its
     * record), after checking that they are exactly the rows the monitor records: every {@code every}-th
     * iteration from 0, each once, in order, each complete ({@link MetricsFile}), and that their bytes are the ones
     * whose SHA-256 the checkpoint records; rows from the checkpoint's iteration on (a killed run recorded a few more)
     * and a cut-off last line are left out. Anything else is one {@link Checkpoint.CheckpointException} line.
     */
    private void scanMetrics(Checkpoint cp, int every, BiConsumer<String, IterationMetrics> kept) {
        long beforeIteration = cp.iteration();
        MessageDigest sha = DigestUtils.getSha256Digest();
        long bytes = 0;
        Path jsonl = dir.resolve(MetricsFile.FILE);
        if (!Files.isRegularFile(jsonl)) {
            throw new Checkpoint.CheckpointException(jsonl + (Files.exists(jsonl) ? " is not a file" : " is missing") + ", but the checkpoint is at iteration " + beforeIteration
                    + " and the run recorded rows before it; --resume cannot judge the whole run: " + REFUSE);
        }
        long expected = 0;                                // the next iteration the monitor recorded
        try (MetricsFile in = MetricsFile.open(jsonl, REFUSE)) {
            for (IterationMetrics m; (m = in.next()) != null; ) {
                if (m.iteration() >= beforeIteration) continue;      // recorded after the checkpoint: trained again
                if (m.iteration() != expected) {
                    throw new Checkpoint.CheckpointException(jsonl + " line " + in.lineNumber() + " records iteration " + m.iteration()
                            + " where the row of iteration " + expected + " belongs (rows are recorded every " + every
                            + " iterations): rows were lost or edited; " + REFUSE);
                }
                expected += every;
                byte[] text = (in.line() + "\n").getBytes(StandardCharsets.UTF_8);
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
                    + " iterations): rows were lost (a deleted or truncated file); " + REFUSE);
        }
        if (bytes != cp.metricsBytes() || !java.util.HexFormat.of().formatHex(sha.digest()).equals(cp.metricsSha256())) {
            throw new Checkpoint.CheckpointException(jsonl + ": its rows before iteration " + beforeIteration + " are not the ones the"
                    + " run wrote (" + bytes + " bytes against the checkpoint's " + cp.metricsBytes() + ", or another SHA-256):"
                    + " rows were edited; " + REFUSE);
        }
    }
}
