package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.spec.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badInputExitsWithTwoAndCreatesNothing() {
        Path out = tmp.resolve("sweep");
        List<String[]> bad = List.of(
                new String[] {"sweep", "--presets", "seed-baseline,no-such-preset", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--grid", "learningRate", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--grid", "learningrate=0.1,1", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--grid", "learningRate=0.1,-1", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--preset", "bad-init", "--grid", "learningRate=0.1", "--out", out.toString()},
                new String[] {"sweep", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--set", "dataset=" + tmp.resolve("no-such-dir"), "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--epochs", "0", "--out", out.toString()});
        for (String[] args : bad) {
            assertEquals(ExplosionLab.EXIT_BAD_INPUT, ExplosionLab.execute(args), String.join(" ", args));
            assertFalse(Files.exists(out), "nothing created for " + String.join(" ", args));
        }
    }

    @Test
    void gridSweepWritesEveryRunAndTheComparison() throws Exception {
        Path out = tmp.resolve("grid");
        int code = ExplosionLab.execute("sweep", "--preset", "seed-baseline", "--grid", "learningRate=0.001,0.01",
                "--epochs", "1", "--max-batches", "3", "--out", out.toString());
        assertEquals(0, code);
        double[] expected = {0.001, 0.01};
        String[] dirs = {"seed-baseline_learningRate-0.001", "seed-baseline_learningRate-0.01"};
        for (int i = 0; i < 2; i++) {
            JsonNode summary = SpecJson.mapper().readTree(out.resolve(dirs[i]).resolve("summary.json").toFile());
            assertEquals(expected[i], summary.get("spec").get("learningRate").asDouble());
            assertEquals(3, summary.get("results").get("iterations").asLong(), "3 minibatches of 1 epoch");
            assertTrue(Files.size(out.resolve(dirs[i]).resolve("metrics.csv")) > 0);
        }
        List<String> md = Files.readAllLines(out.resolve("comparison.md"));
        assertEquals(2 + 2, md.size(), "header, separator and one row per run");
        assertTrue(md.get(2).startsWith("| seed-baseline[learningRate=0.001] |"), md.get(2));
        List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals(3, csv.size());
    }
}
