package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --keras} end to end through real DL4J training: the tutorial's model saved as Keras HDF5 and imported
 * by DL4J trains step for step like the {@code seed-baseline} preset it was written from (same weights, same data
 * order), with the monitor's files and verdict.
 */
class TrainKerasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int run(String... args) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return ExplosionLab.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void theImportedKerasModelTrainsLikeSeedBaseline(@TempDir Path tmp) throws Exception {
        Path keras = tmp.resolve("keras"), preset = tmp.resolve("preset");
        assertEquals(0, run("train", "--keras", "src/test/resources/keras/seed-baseline.h5", "--epochs", "1", "--max-batches", "20",
                "--console-every", "0", "--out", keras.toString()));
        assertEquals(0, run("train", "--preset", "seed-baseline", "--epochs", "1", "--max-batches", "20", "--console-every", "0",
                "--out", preset.toString()));
        List<String> k = Files.readAllLines(keras.resolve("metrics.jsonl")), p = Files.readAllLines(preset.resolve("metrics.jsonl"));
        assertEquals(20, k.size());
        assertEquals(p.size(), k.size());
        for (int i = 0; i < k.size(); i++) {
            JsonNode a = JSON.readTree(k.get(i)), b = JSON.readTree(p.get(i));
            assertEquals(b.get("loss").asDouble(), a.get("loss").asDouble(), 1e-4, "loss at iteration " + i);
            assertEquals(b.get("grad_l2_global").asDouble(), a.get("grad_l2_global").asDouble(), 1e-4 * b.get("grad_l2_global").asDouble(),
                    "global gradient norm at iteration " + i);
        }
        JsonNode ks = JSON.readTree(keras.resolve("summary.json").toFile()), ps = JSON.readTree(preset.resolve("summary.json").toFile());
        assertEquals(ps.get("results").get("test_accuracy").asDouble(), ks.get("results").get("test_accuracy").asDouble(), 1e-3);
        assertEquals("keras-seed-baseline", ks.get("spec").get("name").asText());
        assertTrue(Files.exists(keras.resolve("model.zip")));
        assertTrue(Files.readString(keras.resolve(TrainCommand.KERAS_MARKER)).contains("seed-baseline.h5"));
        // such a run is not resumed from its spec (which describes seed-baseline's layers, not the imported model)
        assertEquals(ExplosionLab.EXIT_BAD_INPUT, run("train", "--resume", keras.toString()));
    }
}
