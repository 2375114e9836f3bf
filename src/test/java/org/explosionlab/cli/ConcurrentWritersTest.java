package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer per run directory, with real processes: two child JVMs on one {@code --out}, and two
 * {@code --resume} of one killed run. Exactly one wins; the other exits 2 with one line naming the
 * winner's PID, and the winner's files are complete and identical to a solo run of the same spec
 * (metrics.jsonl byte for byte, model.zip's parameters bit for bit).
 */
class ConcurrentWritersTest {
    private static final List<String> RUN = List.of("train", "--preset", "high-lr", "--epochs", "2", "--max-batches", "150",
            "--console-every", "0");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void twoTrainsOnOneDirectory() throws Exception {
        Path solo = tmp.resolve("solo");
        assertEquals(0, child(solo, List.of()).waitFor());

        Path same = tmp.resolve("same");
        Process first = child(same, List.of());
        waitForLines(same.resolve("metrics.jsonl"), 1, first);
        Process second = child(same, List.of("--set", "learningRate=0.5"));          // another spec into the same directory
        assertTrue(second.waitFor(120, TimeUnit.SECONDS));
        assertTrue(first.waitFor(120, TimeUnit.SECONDS));

        assertEquals(0, first.exitValue(), log(same, first));
        assertEquals(2, second.exitValue(), log(same, second));
        String err = stderr(second);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("run directory " + same + " is in use by another explosion-lab process (PID " + first.pid() + ")"), err);
        assertSameRun(solo, same);
    }

    @Test
    void twoResumesOfOneKilledRun() throws Exception {
        Path solo = tmp.resolve("solo");
        assertEquals(0, child(solo, List.of("--checkpoint-every", "10")).waitFor());

        Path killed = tmp.resolve("killed");
        Process doomed = child(killed, List.of("--checkpoint-every", "10"));
        waitForLines(killed.resolve("metrics.jsonl"), 95, doomed);
        doomed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        Process a = resume(killed, "a");
        waitForLock(killed, a);
        Process b = resume(killed, "b");
        assertTrue(a.waitFor(120, TimeUnit.SECONDS) && b.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, a.exitValue(), Files.readString(tmp.resolve("a.err")));
        assertEquals(2, b.exitValue(), Files.readString(tmp.resolve("b.err")));
        String err = Files.readString(tmp.resolve("b.err"));
        assertTrue(err.contains("is in use by another explosion-lab process (PID " + a.pid() + ")"), err);
        assertSameRun(solo, killed);
    }

    private static void assertSameRun(Path solo, Path run) throws IOException {
        assertEquals(Files.readString(solo.resolve("metrics.jsonl")), Files.readString(run.resolve("metrics.jsonl")),
                "metrics.jsonl differs from the solo run's");
        assertArrayEquals(
                ModelSerializer.restoreMultiLayerNetwork(solo.resolve("model.zip").toFile(), false).params().toFloatVector(),
                ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false).params().toFloatVector(),
                "final parameters differ from the solo run's");
        JsonNode a = JSON.readTree(solo.resolve("summary.json").toFile());
        JsonNode b = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals(a.path("spec"), b.path("spec"), "summary.json records another spec");
        assertEquals(a.path("verdict"), b.path("verdict"));
        assertEquals(a.path("results").path("test_accuracy"), b.path("results").path("test_accuracy"));
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
    }

    private Process child(Path out, List<String> extra) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName()));
        cmd.addAll(RUN);
        cmd.addAll(extra);
        cmd.addAll(List.of("--out", out.toString()));
        Path name = tmp.resolve(out.getFileName() + "-" + System.nanoTime());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(Path.of(name + ".out").toFile()).redirectError(Path.of(name + ".err").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        logs.add(new Log(p, Path.of(name + ".err")));
        return p;
    }

    private Process resume(Path run, String name) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName(),
                "train", "--resume", run.toString(), "--console-every", "0")
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private record Log(Process process, Path err) {
    }

    private final List<Log> logs = new ArrayList<>();

    private String stderr(Process p) throws IOException {
        for (Log l : logs) if (l.process() == p) return Files.readString(l.err());
        return "";
    }

    private String log(Path dir, Process p) throws IOException {
        return dir + ": " + stderr(p);
    }

    /** Waits until the resuming child holds the lock: its PID is in the lock file. */
    private static void waitForLock(Path run, Process p) throws Exception {
        Path lock = run.resolve(org.explosionlab.run.RunLock.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(lock) && Files.readString(lock).trim().equals(Long.toString(p.pid()))) return;
            Thread.sleep(10);
        }
        throw new AssertionError("the resume never took the lock");
    }

    private static void waitForLines(Path f, int n, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(f)) {
                try (Stream<String> s = Files.lines(f)) {
                    if (s.count() >= n) return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no " + n + " lines in " + f + " (child alive: " + p.isAlive() + ")");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
