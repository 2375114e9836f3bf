package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real training process killed with SIGKILL ({@link Process#destroyForcibly()}) in the middle of its
 * first epoch leaves files a reader can trust: every line of {@code metrics.jsonl} but at most the last
 * is complete JSON (each line is flushed as it is written), and {@code summary.json} is either absent or
 * complete (it is replaced atomically, by rename, after each epoch).
 */
class KillNineTest {
    /** Lines of metrics.jsonl to wait for before the kill (seed-baseline records every iteration). */
    static final int LINES_BEFORE_KILL = 50;
    /** Start-up of a JVM with ND4J plus 50 iterations takes ~10-20 s on two busy cores. */
    static final long GIVE_UP_MILLIS = 90_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void killedRunLeavesParseableMetricsAndNoHalfWrittenSummary() throws Exception {
        Path out = tmp.resolve("run");
        Path metrics = out.resolve("metrics.jsonl");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName(),
                "train", "--preset", "seed-baseline", "--out", out.toString(), "--console-every", "0");
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("child.log").toFile());
        Process child = pb.start();
        int linesAtKill;
        try {
            long deadline = System.currentTimeMillis() + GIVE_UP_MILLIS;
            while ((linesAtKill = completeLines(metrics)) < LINES_BEFORE_KILL) {
                if (!child.isAlive()) {
                    fail("the child exited (code " + child.exitValue() + ") before writing " + LINES_BEFORE_KILL
                            + " metrics lines:\n" + Files.readString(tmp.resolve("child.log")));
                }
                if (System.currentTimeMillis() > deadline) fail("no " + LINES_BEFORE_KILL + " metrics lines within " + GIVE_UP_MILLIS + " ms");
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the run must still be training when it is killed");
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not exit");
        }
        assertEquals(137, child.exitValue(), "exit status of a SIGKILLed process is 128 + 9");

        String text = Files.readString(metrics, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        String last = lines.remove(lines.size() - 1);          // "" when the file ends with a newline
        assertTrue(lines.size() >= linesAtKill, lines.size() + " complete lines, " + linesAtKill + " seen before the kill");
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row = parse(lines.get(i), "metrics.jsonl line " + (i + 1));
            assertEquals(i, row.path("iteration").asInt(-1), "metrics.jsonl line " + (i + 1) + " is iteration " + i);
        }
        System.out.printf("kill -9 after %d lines: %d complete lines, trailing partial line %d chars, summary.json %s%n",
                linesAtKill, lines.size(), last.length(), Files.exists(out.resolve("summary.json")) ? "present" : "absent");

        Path summary = out.resolve("summary.json");
        if (Files.exists(summary)) {
            JsonNode s = parse(Files.readString(summary), "summary.json");
            assertTrue(s.has("spec") && s.has("provenance"), "summary.json is a whole run summary");
        }
    }

    /** Lines ending in a newline so far (0 while the file does not exist). */
    private static int completeLines(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        byte[] bytes = Files.readAllBytes(file);
        int n = 0;
        for (byte b : bytes) if (b == '\n') n++;
        return n;
    }

    private static JsonNode parse(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(what + " is not complete JSON: " + text, e);
        }
    }
}
