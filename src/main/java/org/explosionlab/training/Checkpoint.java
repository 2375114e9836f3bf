package org.explosionlab.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.network.MemoryBudget;
import org.explosionlab.network.UpdaterFactory;
import org.explosionlab.spec.ExperimentSpec;

/**
 * Where a run stands between two steps, enough to continue it to the same final parameters:
 * {@code checkpoint.zip} holds DL4J's {@link ModelSerializer} model with its updater state (Adam's
 * moments) plus this record as the JSON zip entry {@value #ENTRY} (added with the JDK's zip file system),
 * written to a temp file and renamed, so a kill at any moment leaves either the previous or the new
 * checkpoint, never half of one. Nothing in it is read as a Java object: the record is JSON (Jackson,
 * strict types), and the network is read by {@link ModelZip}, DL4J's configuration-and-coefficients path
 * without {@code ModelSerializer}'s {@code ObjectInputStream}.
 *
 * @param iteration        DL4J iteration count after the last completed step
 * @param epoch            epoch in progress (0-based)
 * @param batchesInEpoch   minibatches of that epoch already trained
 * @param epochsCompleted  epochs run to their end
 * @param examples         training examples processed so far
 * @param trainSeconds     training wall time so far
 * @param maxBatches       the run's --max-batches
 * @param remedies         remedy state (AutoClip history, ZClip EMA, skip counters, spike-skip window)
 * @param spec             the spec the run was started with (its canonical JSON tree), so that
 *                         {@code --resume} can refuse a {@code spec.json} edited since; see {@link SpecChange}
 */
public record Checkpoint(
        @JsonProperty("iteration") long iteration,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("batches_in_epoch") int batchesInEpoch,
        @JsonProperty("epochs_completed") int epochsCompleted,
        @JsonProperty("examples") long examples,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("max_batches") int maxBatches,
        @JsonProperty("remedies") RemedyChain.State remedies,
        @JsonProperty("monitor") ExplosionMonitor.State monitor,
        @JsonProperty("spec_sha256") String specSha256,
        @JsonProperty("spec") JsonNode spec,
        @JsonProperty("data_sha256") java.util.SortedMap<String, String> dataSha256) {

    /** The state after a step of a run of {@code runSpec}. */
    static Checkpoint of(long iteration, int epoch, int batchesInEpoch, int epochsCompleted, long examples, double trainSeconds,
                         int maxBatches, RemedyChain.State remedies, ExplosionMonitor.State monitor,
                         org.explosionlab.spec.ExperimentSpec runSpec, Map<String, String> dataSha256) {
        JsonNode tree = SpecChange.tree(runSpec);
        return new Checkpoint(iteration, epoch, batchesInEpoch, epochsCompleted, examples, trainSeconds, maxBatches, remedies,
                monitor, SpecChange.fingerprint(tree), tree, new java.util.TreeMap<>(dataSha256));
    }

    /**
     * Fails with one line when {@code now} (file name → SHA-256 of the data the resume would train on) is not
     * the data this checkpoint was written with; the message names the changed files.
     */
    void requireData(Path dir, Map<String, String> now) {
        if (dataSha256 == null) {
            throw new CheckpointException(dir + ": the checkpoint does not record the SHA-256 of its data (written by an older"
                    + " version); start a new run instead of --resume");
        }
        if (dataSha256.equals(now)) return;
        java.util.TreeSet<String> names = new java.util.TreeSet<>(dataSha256.keySet());
        names.addAll(now.keySet());
        java.util.List<String> changed = names.stream().filter(n -> !java.util.Objects.equals(dataSha256.get(n), now.get(n))).toList();
        throw new CheckpointException(dir + ": the training data changed since the checkpoint (" + String.join(", ", changed)
                + " differ from the SHA-256 the checkpoint records); --resume continues a run on the data it started with:"
                + " restore that data, or start a new run with train --spec " + dir.resolve(Trainer.SPEC_FILE));
    }

    /**
     * Fails with one line when {@code now} (the run's spec.json) is not the spec this checkpoint was written
     * with; the message names the changed fields.
     */
    void requireSpec(Path dir, org.explosionlab.spec.ExperimentSpec now) {
        JsonNode tree = SpecChange.tree(now);
        if (spec == null || specSha256 == null) {
            throw new CheckpointException(dir + ": the checkpoint does not record its spec (written by an older version);"
                    + " start a new run instead of --resume");
        }
        if (SpecChange.fingerprint(tree).equals(specSha256) && tree.equals(spec)) return;
        throw new CheckpointException(dir + "/" + Trainer.SPEC_FILE + " was changed since the checkpoint: "
                + String.join(", ", SpecChange.changedFields(spec, tree))
                + "; --resume continues a run exactly as it was started: undo the change, or start a new run with train --spec");
    }

    public static final String FILE = "checkpoint.zip";
    static final String ENTRY = "explosionlab-checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    /** The entries a checkpoint may hold: DL4J's three and the run state. */
    static final Set<String> ENTRIES = Set.of(ModelZip.CONFIGURATION, ModelZip.COEFFICIENTS, ModelZip.UPDATER_STATE, ENTRY);

    /**
     * Writes network + state atomically to {@code dir/checkpoint.zip}: DL4J's model zip into one temp
     * file, copied entry by entry with the state entry added into a second, which replaces the target.
     * Not through the JDK's zip file system: on a full disk its close prints a stack trace and leaves its
     * {@code zipfstmp*.tmp} behind; here both temp files are removed and the failure is one line.
     */
    void write(Path dir, MultiLayerNetwork net) {
        Path target = dir.resolve(FILE);
        Path model = null;
        Path tmp = null;
        try {
            model = AtomicFiles.tempBeside(target);
            ModelSerializer.writeModel(net, model.toFile(), true);
            tmp = AtomicFiles.tempBeside(target);
            try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(model)));
                 ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
                out.putNextEntry(new ZipEntry(ENTRY));
                out.write(JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            Files.delete(model);
            AtomicFiles.replace(tmp, target);
        } catch (IOException | RuntimeException e) {    // DL4J wraps some write failures in RuntimeExceptions
            AtomicFiles.deleteQuietly(model);
            AtomicFiles.deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e.getMessage(), e));
        }
    }

    /** Reads the state record of {@code dir/checkpoint.zip}. */
    static Checkpoint read(Path dir) {
        try {
            byte[] json = ModelZip.entries(dir.resolve(FILE), ENTRIES, Set.of(ENTRY)).get(ENTRY);
            if (json == null) throw new IOException("it holds no " + ENTRY);
            return JSON.readValue(json, Checkpoint.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(dir + ": unreadable checkpoint (" + e.getMessage() + "); start a new run instead of --resume");
        }
    }

    /**
     * Restores the network (with updater state) of {@code dir/checkpoint.zip} for a run of {@code spec}: the
     * entries are capped at the sizes the spec's network needs ({@link MemoryBudget#parameters} and the
     * updater's state size), and each array's header is checked against them before ND4J allocates anything.
     */
    static MultiLayerNetwork network(Path dir, ExperimentSpec spec) {
        long parameters = MemoryBudget.parameters(spec.layerSizes());
        long state = UpdaterFactory.create(spec).stateSize(parameters);
        Map<String, Integer> caps = Map.of(ModelZip.CONFIGURATION, ModelZip.MAX_JSON_BYTES,
                ModelZip.COEFFICIENTS, ModelZip.arrayCap(parameters), ModelZip.UPDATER_STATE, ModelZip.arrayCap(state));
        try {
            return ModelZip.network(ModelZip.entries(dir.resolve(FILE), ENTRIES, caps), parameters, state);
        } catch (IOException e) {
            throw new CheckpointException(dir + ": unreadable checkpoint model (" + e.getMessage() + "); start a new run instead of --resume");
        }
    }

    /**
     * The network to continue this checkpoint's run with: {@link #network}, its epoch counter set to
     * {@link #epoch}. An epoch-end checkpoint is written by an {@code onEpochEnd} listener, and DL4J
     * advances its counter only after those, so that network still counts the epoch it finished; the
     * schedules, the recorded rows' epoch and the final model need the epoch the run continues with.
     */
    MultiLayerNetwork networkToContinue(Path dir, ExperimentSpec spec) {
        MultiLayerNetwork net = network(dir, spec);
        net.setEpochCount(epoch);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) layer.setEpochCount(epoch);  // as incrementEpochCount syncs them
        return net;
    }

    /** A checkpoint that cannot be used; one line. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) {
            super(message);
        }
    }
}
