package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.run.Checkpoint;
import org.explosionlab.run.RunFiles;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in a real child JVM, then continued with {@code Trainer.resume}, ends
 * with exactly the parameters of the same run done in one go (same seed). AutoClip is on, so the
 * remedy state (its norm history) must survive the checkpoint too.
 */
class ResumeAfterKillTest {
    private static final List<String> SETTINGS = List.of("epochs=2", "clipping=autoclip");
    private static final int CHECKPOINT_EVERY = 20;
    private static final int MAX_BATCHES = 100;

    @Test
    void killedRunResumesToTheSameParameters(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"), SETTINGS);
        MnistLikeDataset data = DatasetResolver.resolve("mnist-embedded");

        Path whole = Files.createDirectories(tmp.resolve("whole"));
        RunResult uninterrupted = new Trainer(null).run(spec, data, new RunOptions(whole, MAX_BATCHES, 0, CHECKPOINT_EVERY, "test"));

        Path killed = tmp.resolve("killed");
        Process child = new ProcessBuilder(javaExecutable(), "-cp", System.getProperty("java.class.path"),
                "org.explosionlab.cli.ExplosionLab", "train", "--preset", "seed-baseline", "--set", SETTINGS.get(0),
                "--set", SETTINGS.get(1), "--out", killed.toString(), "--console-every", "0",
                "--checkpoint-every", Integer.toString(CHECKPOINT_EVERY), "--max-batches", Integer.toString(MAX_BATCHES))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        child.getOutputStream().close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (metricLines(killed) < 3 * CHECKPOINT_EVERY + 7 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(killed.resolve(Checkpoint.FILE)), "no checkpoint before the kill");
        assertTrue(Files.notExists(killed.resolve(RunFiles.MODEL)), "the killed run must not have finished");

        RunResult resumed = new Trainer(null).resume(killed, data, 0, CHECKPOINT_EVERY);

        assertArrayEquals(uninterrupted.network().params().toFloatVector(), resumed.network().params().toFloatVector(),
                "resumed parameters differ from the uninterrupted run's");
        assertEquals(uninterrupted.summary().results().iterations(), resumed.summary().results().iterations());
        assertEquals(uninterrupted.metrics().size(), resumed.metrics().size(), "every iteration recorded exactly once");
        assertEquals(uninterrupted.summary().results().testAccuracy(), resumed.summary().results().testAccuracy());
        assertEquals(Files.readAllLines(whole.resolve("metrics.jsonl")).size(), Files.readAllLines(killed.resolve("metrics.jsonl")).size());
    }

    private static long metricLines(Path dir) throws Exception {
        Path f = dir.resolve("metrics.jsonl");
        if (!Files.exists(f)) return 0;
        try (var lines = Files.lines(f)) {
            return lines.count();
        }
    }

    private static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
