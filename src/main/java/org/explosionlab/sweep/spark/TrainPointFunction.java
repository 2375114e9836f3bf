package org.explosionlab.sweep.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.Function;
import org.explosionlab.run.RunFiles;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.sweep.SweepPoint;

/**
 * The executor's side of a Spark sweep: one {@link PointTask} (JSON) in, the zipped run files
 * ({@link RunFiles}) out. The point is trained by {@link PointTraining} into a scratch directory on
 * the executor, which is removed once its files are packed. Each data set is loaded once per
 * executor JVM and shared by the tasks that name it, as the local sweep shares it between points.
 *
 * <p>A point whose training throws comes back as a failure archive with the one-line reason (it
 * would fail the same way on a retry); only a lost executor makes Spark retry the task. That holds for
 * an {@link Error} too (an OutOfMemoryError in one point): Spark treats an Error escaping a task as
 * fatal and exits the JVM (code 52), which on {@code local[N]} is the driver with every other point.
 */
final class TrainPointFunction implements Function<String, byte[]> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, MnistLikeDataset> LOADED = new ConcurrentHashMap<>();
    private final PointTraining training;

    TrainPointFunction(PointTraining training) {
        this.training = training;
    }

    @Override
    public byte[] call(String taskJson) {
        PointTask task = PointTask.fromJson(taskJson);
        Path scratch = null;
        try {
            SweepPoint point = task.point();
            MnistLikeDataset data = LOADED.computeIfAbsent(task.dataSource(), DatasetResolver::resolve);
            if (!data.provenance().sha256().equals(task.datasetSha256())) {
                return RunFiles.failure("the data set " + task.dataSource() + " on this executor has other files than on the driver"
                        + " (SHA-256 " + data.provenance().sha256() + " against " + task.datasetSha256() + "); give every executor the same files");
            }
            scratch = Files.createTempDirectory("explosion-lab-" + point.dirName() + "-");
            training.train(point, data, scratch, task.maxBatches(), task.command());
            return RunFiles.pack(scratch);
        } catch (Throwable e) {        // an Error too (OutOfMemoryError): were it to reach Spark, its handler would exit the JVM
            String m = e.getMessage();
            return RunFiles.failure(e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.strip().lines().findFirst().orElse("")));
        } finally {
            if (scratch != null) delete(scratch);
        }
    }

    /** Best effort: a scratch directory left behind in the executor's temp directory harms no result. */
    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // the run's files are already packed
        }
    }
}
