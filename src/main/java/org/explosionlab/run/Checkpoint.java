package org.explosionlab.run;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.commons.codec.digest.DigestUtils;
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
 * @param metricsSha256    SHA-256 of metrics.jsonl at the checkpoint (every row before {@code iteration}), so that
 *                         {@code --resume} refuses rows edited since ({@link MetricsDigest})
 * @param metricsBytes     its length in bytes then
 * @param entriesSha256    SHA-256 (hex) of each DL4J entry of the zip (configuration.json, coefficients.bin,
 *                         updaterState.bin) as written, so that {@code --resume} refuses an entry changed since, before
 *                         reading it. A checksum against accidents and edits (as metrics_sha256 is), not a keyed signature:
 *                         whoever edits an entry can recompute it, and the other checks ({@link ModelZip}) still apply
 * @param stateSha256      SHA-256 (hex) of this record's own JSON without this field ({@link #stateSha256(ObjectNode)}),
 *                         so that {@code --resume} refuses a state field edited by hand (a {@code max_batches} that
 *                         would train another length, a {@code train_seconds} of 1e308) before it reads any field; the
 *                         same kind of checksum as {@code entries_sha256}, not a signature
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
        @JsonProperty("data_sha256") java.util.SortedMap<String, String> dataSha256,
        @JsonProperty("metrics_sha256") String metricsSha256,
        @JsonProperty("metrics_bytes") long metricsBytes,
        @JsonProperty("entries_sha256") java.util.SortedMap<String, String> entriesSha256,
        @JsonProperty("state_sha256") String stateSha256) {

    /** The state after a step of a run of {@code runSpec}. */
    public static Checkpoint of(long iteration, int epoch, int batchesInEpoch, int epochsCompleted, long examples, double trainSeconds,
                         int maxBatches, RemedyChain.State remedies, ExplosionMonitor.State monitor,
                         org.explosionlab.spec.ExperimentSpec runSpec, Map<String, String> dataSha256, MetricsDigest.Mark metrics) {
        JsonNode tree = SpecChange.tree(runSpec);
        return new Checkpoint(iteration, epoch, batchesInEpoch, epochsCompleted, examples, trainSeconds, maxBatches, remedies,
                monitor, SpecChange.fingerprint(tree), tree, new java.util.TreeMap<>(dataSha256), metrics.sha256(), metrics.bytes(),
                null, null);
    }

    /**
     * Fails with one line when {@code now} (file name → SHA-256 of the data the resume would train on) is not
     * the data this checkpoint was written with; the message names the changed files.
     */
    public void requireData(Path dir, Map<String, String> now) {
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
                + " restore that data, or start a new run with train --spec " + dir.resolve(RunFiles.SPEC));
    }

    /**
     * Fails with one line when {@code now} (the run's spec.json) is not the spec this checkpoint was written
     * with; the message names the changed fields.
     */
    public void requireSpec(Path dir, org.explosionlab.spec.ExperimentSpec now) {
        JsonNode tree = SpecChange.tree(now);
        if (spec == null || specSha256 == null) {
            throw new CheckpointException(dir + ": the checkpoint does not record its spec (written by an older version);"
                    + " start a new run instead of --resume");
        }
        if (SpecChange.fingerprint(tree).equals(specSha256) && tree.equals(spec)) return;
        throw new CheckpointException(dir + "/" + RunFiles.SPEC + " was changed since the checkpoint: "
                + String.join(", ", SpecChange.changedFields(spec, tree))
                + "; --resume continues a run exactly as it was started: undo the change, or start a new run with train --spec");
    }

    /**
     * Fails with one line naming the field when this record cannot be where a run of {@code spec} stood between two
     * steps (an edited, damaged or foreign checkpoint), so that {@code --resume} neither hangs on an absurd epoch
     * nor "finishes" a run it never trained:
     * <ul>
     *   <li>0 ≤ epoch ≤ epochs, epochs_completed = epoch, max_batches ≥ 0;</li>
     *   <li>0 ≤ batches_in_epoch &lt; B (0 once every epoch ran), B = the batches per epoch of this data,
     *       batch size and max_batches;</li>
     *   <li>iteration = epoch · B + batches_in_epoch: every step is one DL4J iteration;</li>
     *   <li>examples = epoch · min(n, B · batchSize) + batches_in_epoch · batchSize (n training examples: every batch
     *       is full but an epoch's last), train_seconds finite and ≥ 0;</li>
     *   <li>the remedies' counters within 0..iteration, skip-non-finite's run within its maximum;</li>
     *   <li>the monitor's dead-unit counters fit {@code net} ({@link ExplosionMonitor#checkState}).</li>
     * </ul>
     *
     * @param trainCount the training examples of the data the resume trains on
     */
    public void requireConsistent(Path dir, ExperimentSpec spec, long trainCount, MultiLayerNetwork net) {
        if (metricsSha256 == null) {
            throw new CheckpointException(dir + ": the checkpoint does not record the SHA-256 of its metrics.jsonl (written by an"
                    + " older version, or edited); start a new run instead of --resume");
        }
        if (maxBatches < 0) throw inconsistent(dir, "max_batches", "is " + maxBatches + ", must be >= 0");
        if (epoch < 0 || epoch > spec.training().epochs()) {
            throw inconsistent(dir, "epoch", "is " + epoch + ", outside 0.." + spec.training().epochs() + " (the spec's epochs)");
        }
        if (epochsCompleted != epoch) {
            throw inconsistent(dir, "epochs_completed", "is " + epochsCompleted + ", but the checkpoint is in epoch " + epoch);
        }
        long all = (trainCount + spec.training().batchSize() - 1) / spec.training().batchSize();
        long perEpoch = maxBatches > 0 ? Math.min(all, maxBatches) : all;
        long lastBatch = epoch == spec.training().epochs() ? 0 : perEpoch - 1;
        if (batchesInEpoch < 0 || batchesInEpoch > lastBatch) {
            throw inconsistent(dir, "batches_in_epoch", "is " + batchesInEpoch + ", outside 0.." + lastBatch
                    + " (" + perEpoch + " batches per epoch)");
        }
        long expected = epoch * perEpoch + batchesInEpoch;
        if (iteration != expected) {
            throw inconsistent(dir, "iteration", "is " + iteration + ", but epoch " + epoch + " after " + batchesInEpoch
                    + " batches of " + perEpoch + " per epoch is iteration " + expected);
        }
        long perEpochExamples = Math.min(trainCount, perEpoch * spec.training().batchSize());
        long exact = epoch * perEpochExamples + (long) batchesInEpoch * spec.training().batchSize();
        if (examples != exact) {
            throw inconsistent(dir, "examples", "is " + examples + ", but " + epoch + " epochs of " + perEpochExamples
                    + " examples and " + batchesInEpoch + " batches of " + spec.training().batchSize() + " are exactly " + exact);
        }
        if (!(trainSeconds >= 0) || Double.isInfinite(trainSeconds)) {
            throw inconsistent(dir, "train_seconds", "is " + trainSeconds + ", must be a finite number >= 0");
        }
        if (remedies == null) throw inconsistent(dir, "remedies", "is missing");
        if (remedies.skipTotal() < 0 || remedies.skipTotal() > iteration) {
            throw inconsistent(dir, "remedies.skipTotal", "is " + remedies.skipTotal() + ", outside 0.." + iteration);
        }
        int maxRun = spec.skip().skipNonFinite() ? spec.skip().maxConsecutiveSkips() : 0;
        if (remedies.skipConsecutive() < 0 || remedies.skipConsecutive() > Math.min(maxRun, remedies.skipTotal())) {
            throw inconsistent(dir, "remedies.skipConsecutive", "is " + remedies.skipConsecutive() + ", outside 0.."
                    + Math.min(maxRun, remedies.skipTotal()));
        }
        if (remedies.autoClipHistory() != null && remedies.autoClipHistory().length > iteration) {
            throw inconsistent(dir, "remedies.autoClipHistory", "holds " + remedies.autoClipHistory().length
                    + " norms, more than the " + iteration + " steps trained");
        }
        var spike = remedies.spikeSkip();
        if (spike != null && (spike.total() < 0 || spike.total() > iteration || spike.lossSpikes() < 0 || spike.normSpikes() < 0
                || spike.lossSpikes() > spike.total() || spike.normSpikes() > spike.total())) {
            throw inconsistent(dir, "remedies.spikeSkip", "counts " + spike.total() + " skips (" + spike.lossSpikes() + " loss, "
                    + spike.normSpikes() + " norm spikes), outside 0.." + iteration);
        }
        if (monitor == null) throw inconsistent(dir, "monitor", "is missing");
        try {
            ExplosionMonitor.checkState(net, monitor);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();                          // "'field' what is wrong", as the checkpoint names it
            int end = m.indexOf("' ", 1);
            throw inconsistent(dir, "monitor." + m.substring(1, end), m.substring(end + 2));
        }
    }

    private static CheckpointException inconsistent(Path dir, String field, String what) {
        return new CheckpointException(dir.resolve(FILE) + ": field '" + field + "' " + what
                + "; the checkpoint is damaged or was edited: start a new run instead of --resume");
    }

    public static final String FILE = "checkpoint.zip";
    public static final String ENTRY = "explosionlab-checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT);   // a count of 1.5 is an error, not 1
    private static final String STATE_SHA256 = "state_sha256";
    /** The entries a checkpoint may hold: DL4J's three and the run state. */
    static final Set<String> ENTRIES = Set.of(ModelZip.CONFIGURATION, ModelZip.COEFFICIENTS, ModelZip.UPDATER_STATE, ENTRY);

    /**
     * Writes network + state atomically to {@code dir/checkpoint.zip}: DL4J's model zip into one temp
     * file, copied entry by entry with the state entry added into a second, which replaces the target.
     * Not through the JDK's zip file system: on a full disk its close prints a stack trace and leaves its
     * {@code zipfstmp*.tmp} behind; here both temp files are removed and the failure is one line.
     */
    public void write(Path dir, MultiLayerNetwork net) {
        Path target = dir.resolve(FILE);
        Path model = null;
        Path tmp = null;
        try {
            model = AtomicFiles.tempBeside(target);
            ModelSerializer.writeModel(net, model.toFile(), true);
            tmp = AtomicFiles.tempBeside(target);
            java.util.SortedMap<String, String> digests = new java.util.TreeMap<>();
            try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(model)));
                 ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
                for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    java.security.MessageDigest sha = DigestUtils.getSha256Digest();
                    new java.security.DigestInputStream(in, sha).transferTo(out);   // not closed: that would close the zip
                    digests.put(e.getName(), java.util.HexFormat.of().formatHex(sha.digest()));
                    out.closeEntry();
                }
                Checkpoint signed = new Checkpoint(iteration, epoch, batchesInEpoch, epochsCompleted, examples, trainSeconds,
                        maxBatches, remedies, monitor, specSha256, spec, dataSha256, metricsSha256, metricsBytes, digests, null);
                ObjectNode state = JSON.valueToTree(signed);
                state.put(STATE_SHA256, stateSha256(state));
                out.putNextEntry(new ZipEntry(ENTRY));
                out.write(JSON.writeValueAsBytes(state));
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
    public static Checkpoint read(Path dir) {
        try {
            byte[] json = ModelZip.entries(dir.resolve(FILE), ENTRIES, Set.of(ENTRY)).get(ENTRY);
            if (json == null) throw new IOException("it holds no " + ENTRY);
            JsonNode state = JSON.readTree(json);
            if (!(state instanceof ObjectNode fields)) throw new IOException("its " + ENTRY + " is not a JSON object");
            JsonNode recorded = fields.get(STATE_SHA256);
            if (recorded == null || !recorded.isTextual()) {
                throw new CheckpointException(dir.resolve(FILE) + ": the checkpoint does not record the SHA-256 of its state"
                        + " (written by an older version, or edited); start a new run instead of --resume");
            }
            if (!recorded.asText().equalsIgnoreCase(stateSha256(fields))) {
                throw new CheckpointException(dir.resolve(FILE) + ": its " + ENTRY + " is not the one written with the"
                        + " checkpoint (its SHA-256 differs from the one recorded); the checkpoint is damaged or was edited:"
                        + " start a new run instead of --resume");
            }
            return JSON.treeToValue(state, Checkpoint.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(dir.resolve(FILE) + ": unreadable checkpoint: its " + ENTRY + " does not read (" + org.explosionlab.spec.SpecJson.problem(e)
                    + "); the checkpoint is damaged or was edited: start a new run instead of --resume");
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(dir + ": unreadable checkpoint (" + e.getMessage() + "); start a new run instead of --resume");
        }
    }

    /**
     * The checksum {@code state_sha256} records: SHA-256 (hex, commons-codec) of {@code state}'s compact JSON without the
     * {@code state_sha256} field itself. Hashing the tree as parsed (not the record it binds to) means an edit the binding
     * would hide (a count of 1.5 read as 1, a number re-spelt) still changes it.
     */
    public static String stateSha256(ObjectNode state) {
        ObjectNode unsigned = state.deepCopy();
        unsigned.remove(STATE_SHA256);
        try {
            return org.apache.commons.codec.digest.DigestUtils.sha256Hex(JSON.writeValueAsBytes(unsigned));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Restores the network (with updater state) of {@code dir/checkpoint.zip} for a run of {@code spec}: the
     * entries are capped at the sizes the spec's network needs ({@link MemoryBudget#parameters} and the
     * updater's state size), each array's header is checked against them (and must be FLOAT, the network's type)
     * before ND4J allocates anything, and its configuration must be the network the spec builds, apart from DL4J's
     * iteration and epoch counters ({@link ModelZip#requireConfiguration}).
     */
    static MultiLayerNetwork network(Path dir, ExperimentSpec spec) {
        return network(dir, spec, null);
    }

    /** As {@link #network(Path, ExperimentSpec)}, each entry first checked against {@code sha256} when given. */
    private static MultiLayerNetwork network(Path dir, ExperimentSpec spec, Map<String, String> sha256) {
        long parameters = MemoryBudget.parameters(spec.layers().layerSizes());
        long state = UpdaterFactory.create(spec).stateSize(parameters);
        Map<String, Integer> caps = Map.of(ModelZip.CONFIGURATION, ModelZip.MAX_JSON_BYTES,
                ModelZip.COEFFICIENTS, ModelZip.arrayCap(parameters), ModelZip.UPDATER_STATE, ModelZip.arrayCap(state));
        try {
            Map<String, byte[]> entries = ModelZip.entries(dir.resolve(FILE), ENTRIES, caps);
            if (sha256 != null) requireEntries(dir, entries, sha256);
            return ModelZip.network(entries, parameters, state, org.explosionlab.network.NetworkFactory.configuration(spec));
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
    public MultiLayerNetwork networkToContinue(Path dir, ExperimentSpec spec) {
        if (entriesSha256 == null) {
            throw new CheckpointException(dir + ": the checkpoint does not record the SHA-256 of its entries (written by an older"
                    + " version, or edited); start a new run instead of --resume");
        }
        MultiLayerNetwork net = network(dir, spec, entriesSha256);
        net.setEpochCount(epoch);
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) layer.setEpochCount(epoch);  // as incrementEpochCount syncs them
        return net;
    }

    /**
     * Fails with one line when an entry of the zip is not the one written with this checkpoint: its SHA-256 differs from
     * {@code sha256}'s, or it is missing or was added.
     */
    private static void requireEntries(Path dir, Map<String, byte[]> entries, Map<String, String> sha256) {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(entries.keySet());
        names.addAll(sha256.keySet());
        for (String name : names) {
            String want = sha256.get(name);
            byte[] bytes = entries.get(name);
            String why = want == null ? "is not among the entries the checkpoint was written with"
                    : bytes == null ? "is missing"
                    : DigestUtils.sha256Hex(bytes).equalsIgnoreCase(want) ? null
                    : "is not the one written with the checkpoint (its SHA-256 differs from the one recorded)";
            if (why != null) {
                throw new CheckpointException(dir.resolve(FILE) + ": entry '" + name + "' " + why
                        + "; the checkpoint is damaged or was edited: start a new run instead of --resume");
            }
        }
    }

    /** A checkpoint that cannot be used; one line. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) {
            super(message);
        }
    }
}
