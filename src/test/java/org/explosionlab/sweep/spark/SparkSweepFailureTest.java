package org.explosionlab.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.report.SweepReport;
import org.explosionlab.sweep.SweepPlan;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.training.RuntimeTuning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28, findings 2 and 3: on Spark, a fatal error in one point fails that point alone, and a
 * context Spark stops under the sweep ends it in bounded time instead of leaving the driver waiting
 * for jobs Spark dropped.
 */
class SparkSweepFailureTest {
    private static String uiBefore;

    @BeforeAll
    static void quietSpark() {
        RuntimeTuning.applyDefaults();
        uiBefore = System.setProperty("spark.ui.enabled", "false");
    }

    @AfterAll
    static void restore() {
        if (uiBefore == null) System.clearProperty("spark.ui.enabled");
        else System.setProperty("spark.ui.enabled", uiBefore);
    }

    private static List<SweepPoint> points() {
        return SweepPlan.presets(List.of("seed-baseline", "high-lr", "bad-init"), List.of("epochs=1"));
    }

    private static Map<String, MnistLikeDataset> data(List<SweepPoint> points) {
        String name = points.get(0).spec().training().dataset();
        return Map.of(name, DatasetResolver.resolve(name));
    }

    /** Before the fix Spark's handler exited the JVM with code 52 (here: the test JVM) and no point was written. */
    @Test
    void anOutOfMemoryErrorFailsOnlyItsPoint(@TempDir Path tmp) throws IOException {
        List<SweepPoint> points = points();
        Path out = tmp.resolve("sweep");
        Files.createDirectories(out);
        PointTraining training = (point, data, runDir, maxBatches, command) -> {
            if (point.label().equals("high-lr")) throw new OutOfMemoryError("Java heap space (test)");
            PointTraining.likeLocalSweep().train(point, data, runDir, maxBatches, command);
        };
        SparkSweepOutcome outcome;
        try (SparkSweep spark = SparkSweep.start("local[2]", null, training)) {
            outcome = spark.run(points, data(points), out, 2, "test");
        }
        assertEquals(List.of(new SparkSweepOutcome.Failure("high-lr", "OutOfMemoryError: Java heap space (test)")), outcome.failures());
        assertTrue(Files.isRegularFile(out.resolve("seed-baseline").resolve("summary.json")));
        assertTrue(Files.isRegularFile(out.resolve("bad-init").resolve("model.zip")));
        assertTrue(Files.isRegularFile(out.resolve(SweepReport.HTML_FILE)));
        try (Stream<Path> cwd = Files.list(Path.of(System.getProperty("user.dir")))) {
            assertFalse(cwd.anyMatch(f -> f.getFileName().toString().startsWith("dl4j-memory-crash-dump")));
        }
    }

    /**
     * Spark's scheduler thread is held (it serializes a job's function) until the context stops, so the jobs
     * queued behind it are dropped and their collect() never returns, as with a lost master or local-cluster.
     * Before the fix the driver waited for them forever.
     */
    @Test
    void aStoppedContextEndsTheSweepInBoundedTime(@TempDir Path tmp) throws IOException {
        List<SweepPoint> points = points();
        Path out = tmp.resolve("sweep");
        Files.createDirectories(out);
        SparkSweepOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            try (SparkSweep spark = SparkSweep.start("local[1]", null, new StopsSparkWhileScheduling())) {
                return spark.run(points, data(points), out, 2, "test");
            }
        });
        assertEquals(3, outcome.failures().size(), outcome.failures().toString());
        long dropped = outcome.failures().stream().filter(f -> f.reason().equals(SparkSweep.STOPPED)).count();
        assertTrue(dropped >= 1, outcome.failures().toString());
        assertTrue(Files.isRegularFile(out.resolve("comparison.md")));
    }

    /** Trains as the local sweep; stops the SparkContext while Spark's scheduler serializes the first job. */
    static final class StopsSparkWhileScheduling implements PointTraining {
        private static final long serialVersionUID = 1L;
        private static final AtomicBoolean FIRED = new AtomicBoolean();

        @Override
        public void train(SweepPoint point, MnistLikeDataset data, Path runDir, int maxBatches, String command) {
            PointTraining.likeLocalSweep().train(point, data, runDir, maxBatches, command);
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            if (Thread.currentThread().getName().startsWith("dag-scheduler-event-loop") && FIRED.compareAndSet(false, true)) {
                try {
                    Thread.sleep(2_000);                            // the other jobs queue up behind this one
                    SparkContext sc = SparkContext.getOrCreate();
                    new Thread(sc::stop, "test-stops-spark").start();
                    Thread.sleep(60_000);                           // until stop() interrupts this thread
                } catch (InterruptedException e) {
                    // the scheduler is stopping
                }
            }
            out.defaultWriteObject();
        }
    }
}
