package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28, third pass, D5: a run that passes the memory budget (a lower bound) and still runs out of memory while
 * training ends with one line and exit code 1, and leaves no half-written run (it used to print a stack trace and
 * leave spec.json, metrics and the lock). Real DL4J training in a child JVM with a 160 MB heap (ND4J's off-heap limit
 * raised to 3 GB, so the budget passes): the early-warning instruments' heap copies of the 13 M parameters do not fit.
 */
class OutOfMemoryDuringTrainingTest {
    @Disabled("no longer reaches the OutOfMemoryError: since the early-warning instruments moved their copies to reused"
            + " off-heap ND4J buffers (issue 24 follow-up), this run trains within -Xmx160m, and ND4J's native allocations"
            + " were not stopped by -Dorg.bytedeco.javacpp.maxbytes (470m and 520m trained); needs another way to exhaust"
            + " memory after the budget passes")
    @Test
    void outOfMemoryWhileTrainingIsOneLineAndNoRunDirectory(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("oom");
        Path log = tmp.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-Dorg.bytedeco.javacpp.maxbytes=3g", "-cp", System.getProperty("java.class.path"),
                ExplosionLab.class.getName(), "train", "--set", "layerSizes=784,16384,10", "--set", "activations=relu,softmax",
                "--set", "earlyWarning=true", "--out", out.toString(), "--epochs", "1", "--max-batches", "2", "--console-every", "0")
                .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process child = pb.start();
        assertTrue(child.waitFor(180, TimeUnit.SECONDS), "the child finished");
        String err = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(ExplosionLab.EXIT_FAULT, child.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("explosion-lab: training seed-baseline ran out of memory (Java heap space); its files were removed"),
                err);
        assertFalse(Files.exists(out), "no run directory is left");
    }
}
