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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} of a network whose loss is NaN from step 0 (weights from N(0, 1e30)) through real DL4J training: the
 * run finishes with the verdict "nonfinite" and a summary, instead of a stack trace and a half-written directory.
 */
class NonFiniteFromStartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunNaNFromStepZeroFinishesWithANonFiniteVerdict(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("nan");
        StringWriter err = new StringWriter();
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int code;
        try {
            code = ExplosionLab.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "train",
                    "--set", "weightInit=DISTRIBUTION",
                    "--set", "weightInitDistribution={\"type\":\"normal\",\"mean\":0,\"std\":1e30}",
                    "--epochs", "1", "--max-batches", "3", "--console-every", "0", "--out", out.toString());
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code, err.toString());
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertEquals("nonfinite", summary.get("verdict").get("kind").asText(), summary.toString());
        assertTrue(Files.exists(out.resolve("model.zip")));
        assertTrue(Files.exists(out.resolve("report.html")));
    }
}
