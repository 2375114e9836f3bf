package org.explosionlab.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.remedy.RemedyChain;

/**
 * Where a run stands between two steps, enough to continue it to the same final parameters:
 * {@code checkpoint.zip} holds DL4J's {@link ModelSerializer} model with its updater state (Adam's
 * moments) plus this record as the zip entry {@value #ENTRY}, written to a temp file and renamed,
 * so a kill at any moment leaves either the previous or the new checkpoint, never half of one.
 *
 * @param iteration        DL4J iteration count after the last completed step
 * @param epoch            epoch in progress (0-based)
 * @param batchesInEpoch   minibatches of that epoch already trained
 * @param epochsCompleted  epochs run to their end
 * @param examples         training examples processed so far
 * @param trainSeconds     training wall time so far
 * @param maxBatches       the run's --max-batches
 * @param remedies         remedy state (AutoClip history, ZClip EMA, skip counters, spike-skip window)
 */
public record Checkpoint(
        @JsonProperty("iteration") long iteration,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("batches_in_epoch") int batchesInEpoch,
        @JsonProperty("epochs_completed") int epochsCompleted,
        @JsonProperty("examples") long examples,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("max_batches") int maxBatches,
        @JsonProperty("remedies") RemedyChain.State remedies) {

    public static final String FILE = "checkpoint.zip";
    static final String ENTRY = "explosionlab-checkpoint.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes network + state atomically to {@code dir/checkpoint.zip}. */
    void write(Path dir, MultiLayerNetwork net) {
        Path target = dir.resolve(FILE);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".checkpoint", ".zip.tmp");
            ModelSerializer.writeModel(net, tmp.toFile(), true);
            ModelSerializer.addObjectToFile(tmp.toFile(), ENTRY, JSON.writeValueAsString(this));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (tmp != null) Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // report the original failure
            }
            throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads the state record of {@code dir/checkpoint.zip}. */
    static Checkpoint read(Path dir) {
        File f = dir.resolve(FILE).toFile();
        try {
            String json = ModelSerializer.getObjectFromFile(f, ENTRY);
            return JSON.readValue(json, Checkpoint.class);
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(dir + ": unreadable checkpoint (" + e.getMessage() + "); start a new run instead of --resume");
        }
    }

    /** Restores the network (with updater state) of {@code dir/checkpoint.zip}. */
    static MultiLayerNetwork network(Path dir) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(dir.resolve(FILE).toFile(), true);
        } catch (IOException e) {
            throw new CheckpointException(dir + ": unreadable checkpoint model (" + e.getMessage() + "); start a new run instead of --resume");
        }
    }

    /** A checkpoint that cannot be used; one line. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) {
            super(message);
        }
    }
}
