package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.run.PointStatus;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.sweep.SweepManifest;
import org.explosionlab.training.RuntimeTuning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: {@code --resume} and Ctrl-C work on a Spark sweep as on a local one. A Spark sweep writes sweep.json
 * and each finished point's status; {@code sweep --resume DIR --spark-master URL} sends only the points that did
 * not finish to Spark and keeps the others byte for byte; SIGINT cancels the jobs, keeps the finished runs, writes
 * the tables with the rest marked interrupted and prints how to finish.
 */
class SparkSweepResumeTest {
    private static String uiBefore;

    @TempDir
    Path tmp;

    @BeforeAll
    static void quietSpark() {
        RuntimeTuning.applyDefaults();
        uiBefore = System.setProperty("spark.ui.enabled", "false");   // no port 4040 taken during tests
    }

    @AfterAll
    static void restore() {
        if (uiBefore == null) System.clearProperty("spark.ui.enabled");
        else System.setProperty("spark.ui.enabled", uiBefore);
    }

    @Test
    void resumeOnSparkFinishesOnlyTheUnfinishedPoints() throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, ExplosionLab.execute("sweep", "--presets", "seed-baseline,bad-init", "--epochs", "1", "--max-batches", "5",
                "--spark-master", "local[2]", "--out", out.toString()));
        assertTrue(Files.isRegularFile(out.resolve(SweepManifest.FILE)), "a Spark sweep writes its plan");
        assertEquals(PointStatus.DONE, PointStatus.read(out.resolve("seed-baseline")));
        byte[] kept = Files.readAllBytes(out.resolve("seed-baseline").resolve("metrics.jsonl"));
        byte[] before = Files.readAllBytes(out.resolve("bad-init").resolve("metrics.jsonl"));
        org.explosionlab.run.RunFiles.clear(out.resolve("bad-init"));        // as if it never finished
        Files.delete(out.resolve("bad-init").resolve(PointStatus.FILE));

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = ExplosionLab.execute("sweep", "--resume", out.toString(), "--spark-master", "local[2]");
        } finally {
            System.setOut(old);
        }
        String printed = stdout.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit, printed);
        assertTrue(printed.contains("resuming sweep " + out + " on Spark local[2], 2 cores: 1 of 2 runs to finish"), printed);
        assertEquals(PointStatus.DONE, PointStatus.read(out.resolve("bad-init")));
        assertEquals(new String(kept, StandardCharsets.UTF_8),
                Files.readString(out.resolve("seed-baseline").resolve("metrics.jsonl")), "the finished point was not run again");
        assertEquals(new String(before, StandardCharsets.UTF_8), Files.readString(out.resolve("bad-init").resolve("metrics.jsonl")),
                "the re-run point trains as it did the first time");
        String md = Files.readString(out.resolve(Sweep.MARKDOWN));
        assertTrue(md.contains("| seed-baseline |") && md.contains("| bad-init |"), md);
    }

    @Test
    void sigintKeepsTheFinishedRunsAndResumeOnSparkFinishesTheRest() throws Exception {
        String ignored = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> l.substring(7).trim()).findFirst().orElse("0");
        Assumptions.assumeTrue((Long.parseLong(ignored, 16) & 0x2) == 0,
                "SIGINT is ignored by this process (started in the background by a shell without job control)");
        Path out = tmp.resolve("sweep");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-opens")).forEach(cmd::add);
        cmd.addAll(List.of("-Dspark.ui.enabled=false", "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName(), "sweep",
                "--presets", "seed-baseline,high-lr,bad-init", "--epochs", "3", "--spark-master", "local[1]", "--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process child = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        List<String> runs = List.of("seed-baseline", "high-lr", "bad-init");
        while (runs.stream().noneMatch(r -> PointStatus.read(out.resolve(r)) == PointStatus.DONE)) {   // Spark orders the jobs
            assertTrue(child.isAlive(), "the sweep ended before its first point: " + Files.readString(tmp.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "no point finished in time");
            Thread.sleep(20);
        }
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the sweep did not stop on SIGINT");
        String log = Files.readString(tmp.resolve("child.log"));
        assertEquals(130, child.exitValue(), "128 + SIGINT: " + log);

        List<String> finished = runs.stream().filter(r -> PointStatus.read(out.resolve(r)) == PointStatus.DONE).toList();
        assertTrue(finished.size() < runs.size(), "the sweep ended before the SIGINT: " + log);
        java.util.Map<String, String> kept = new java.util.HashMap<>();
        for (String r : runs) {
            boolean done = finished.contains(r);
            assertEquals(done, Files.isRegularFile(out.resolve(r).resolve("model.zip")), r + ": " + log);
            if (done) kept.put(r, Files.readString(out.resolve(r).resolve("metrics.jsonl")));
        }
        String md = Files.readString(out.resolve(Sweep.MARKDOWN));
        assertTrue(md.contains("interrupted: stopped by Ctrl-C; sweep --resume runs it again"), md);
        assertTrue(log.contains("sweep interrupted: " + finished.size() + " finished runs kept, " + (runs.size() - finished.size())
                + " not finished; finish with: explosion-lab sweep --resume " + out + " --spark-master local[1]"), log);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = ExplosionLab.execute("sweep", "--resume", out.toString(), "--spark-master", "local[2]");
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        String resumed = printed.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, resumed);
        assertTrue(resumed.contains((runs.size() - finished.size()) + " of 3 runs to finish"), resumed);
        for (String run : runs) {
            assertEquals(PointStatus.DONE, PointStatus.read(out.resolve(run)), run);
            assertEquals(750, SpecJson.mapper().readTree(out.resolve(run).resolve("summary.json").toFile())
                    .get("results").get("iterations").asLong(), run + ": 3 epochs of 250 minibatches");
        }
        for (var e : kept.entrySet()) {
            assertEquals(e.getValue(), Files.readString(out.resolve(e.getKey()).resolve("metrics.jsonl")), e.getKey() + " was run again");
        }
    }
}
