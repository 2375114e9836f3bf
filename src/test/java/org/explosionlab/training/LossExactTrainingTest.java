package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the production {@link Trainer} trains the tutorial model ({@code seed-baseline}) on
 * {@value #BATCHES} minibatches of the embedded MNIST with the monitor writing the run directory. Every
 * row of metrics.jsonl holds {@code loss_exact} and {@code loss_saturated_fraction}; on these healthy
 * steps nothing saturates, so the exact loss equals DL4J's score to float32 rounding.
 */
class LossExactTrainingTest {
    private static final int BATCHES = 6;

    @Test
    void healthyStepsWriteAnExactLossEqualToDl4jsLoss(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectory(tmp.resolve("run"));
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), List.of("epochs=1"));
        new Trainer(null).run(spec, DatasetResolver.resolve("mnist-embedded"), new RunOptions(run, BATCHES, 0, "test"));
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(BATCHES, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode row = json.readTree(line);
            assertTrue(row.path("loss_exact").isNumber() && row.path("loss_saturated_fraction").isNumber(), line);
            double loss = row.path("loss").asDouble();
            assertEquals(0.0, row.path("loss_saturated_fraction").asDouble(), 0.0, "a healthy step saturates nothing");
            assertEquals(loss, row.path("loss_exact").asDouble(), 1e-5 * loss, "iteration " + row.path("iteration"));
        }
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(csv.get(0).startsWith("iteration,epoch,loss,loss_exact,loss_saturated_fraction,batch_accuracy,lr,"), csv.get(0));
        assertEquals(BATCHES + 1, csv.size());
    }
}
