package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.explosionlab.spec.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path tmp;

    /** The provenance records the command line that was run, quoted where a shell needs it, not a summary of it. */
    @Test
    void theProvenanceCommandIsTheCommandLineAsGiven() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, ExplosionLab.execute("train", "--preset", "bad-init", "--set", "description=it's mine", "--epochs", "1",
                "--max-batches", "2", "--console-every", "0", "--out", out.toString()));
        JsonNode summary = SpecJson.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("explosion-lab train --preset bad-init --set 'description=it'\\''s mine' --epochs 1 --max-batches 2"
                + " --console-every 0 --out " + out, summary.get("provenance").get("command").asText());
    }
}
