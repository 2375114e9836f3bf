package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.run.PointStatus;
import org.explosionlab.sweep.Sweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on a real sweep: a child JVM runs {@code sweep --presets seed-baseline,high-lr,bad-init
 * --epochs 3 --workers 1} and receives SIGINT ({@code kill -INT}) while high-lr trains. The finished run stays
 * complete, high-lr is marked interrupted, bad-init never got a directory (directories are made when a
 * point starts), and comparison.md says so. {@code sweep --resume} then finishes only high-lr and
 * bad-init, and the resumed high-lr equals {@code train} of its spec alone.
 */
class SweepInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void sigintMarksTheUnfinishedAndResumeFinishesOnlyThose() throws Exception {
        // a process started in the background by a shell without job control ignores SIGINT, and so do its children
        // (the JVM then installs no handler): Ctrl-C cannot be tested there
        String ignored = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("SigIgn:"))
                .map(l -> l.substring(7).trim()).findFirst().orElse("0");
        org.junit.jupiter.api.Assumptions.assumeTrue((Long.parseLong(ignored, 16) & 0x2) == 0,
                "SIGINT is ignored by this process (started in the background by a shell without job control)");
        Path out = tmp.resolve("sweep");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName(), "sweep",
                "--presets", "seed-baseline,high-lr,bad-init", "--epochs", "3", "--workers", "1", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process child = pb.start();
        Path highLr = out.resolve("high-lr");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (PointStatus.read(highLr) != PointStatus.RUNNING) {
            assertTrue(child.isAlive(), "the sweep ended before high-lr ran: " + Files.readString(tmp.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "high-lr did not start in time");
            Thread.sleep(20);
        }
        Thread.sleep(1000);          // into high-lr's 750 steps (4 to 10 s here)
        byte[] baselineMetrics = Files.readAllBytes(out.resolve("seed-baseline").resolve("metrics.jsonl"));
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the sweep did not stop on SIGINT");
        assertEquals(130, child.exitValue(), "128 + SIGINT");

        assertEquals(PointStatus.DONE, PointStatus.read(out.resolve("seed-baseline")));
        assertTrue(Files.isRegularFile(out.resolve("seed-baseline").resolve("model.zip")));
        assertEquals(PointStatus.INTERRUPTED, PointStatus.read(highLr));
        assertFalse(Files.exists(out.resolve("bad-init")), "a point that never started has no directory");
        String md = Files.readString(out.resolve(Sweep.MARKDOWN));
        assertTrue(md.contains("| high-lr | - |") && md.contains("interrupted"), md);
        assertTrue(md.contains("| bad-init | - |") && md.contains("pending"), md);
        assertTrue(Files.readString(tmp.resolve("child.log")).contains("finish with: explosion-lab sweep --resume " + out));

        assertEquals(0, ExplosionLab.execute("sweep", "--resume", out.toString(), "--workers", "2"));
        for (String run : new String[] {"seed-baseline", "high-lr", "bad-init"}) {
            assertEquals(PointStatus.DONE, PointStatus.read(out.resolve(run)), run);
            assertEquals(750, SpecJson.mapper().readTree(out.resolve(run).resolve("summary.json").toFile())
                    .get("results").get("iterations").asLong(), run + ": 3 epochs of 250 minibatches");
        }
        assertEquals(new String(baselineMetrics), Files.readString(out.resolve("seed-baseline").resolve("metrics.jsonl")),
                "the finished run was not run again");
        Path alone = tmp.resolve("alone");
        assertEquals(0, ExplosionLab.execute("train", "--spec", highLr.resolve("spec.json").toString(), "--console-every", "0",
                "--out", alone.toString()));
        assertEquals(Files.readString(alone.resolve("metrics.jsonl")), Files.readString(highLr.resolve("metrics.jsonl")),
                "the resumed high-lr equals train alone");
    }
}
