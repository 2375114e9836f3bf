package org.explosionlab.cli;

import org.explosionlab.run.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.report.SweepReport;
import org.explosionlab.sweep.Sweep;
import org.explosionlab.run.RunLock;
import org.explosionlab.sweep.SweepManifest;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.sweep.spark.PointTraining;
import org.explosionlab.sweep.spark.SparkClasspath;
import org.explosionlab.sweep.spark.SparkSetupException;
import org.explosionlab.sweep.spark.SparkSweep;
import org.explosionlab.sweep.spark.SparkSweepOutcome;

/**
 * {@code sweep --spark-master URL}: the checked plan handed to {@link SparkSweep}. Spark is checked and
 * its driver started before the sweep directory is created, so a missing Spark or a bad master URL
 * is one line (exit 2) and nothing on disk. Points that do not finish (an executor that died, a
 * training that threw) are listed in one line (exit 1); the finished ones are written all the same.
 */
final class SparkSweepLauncher {
    private SparkSweepLauncher() {
    }

    static int run(String master, List<SweepPoint> points, Map<String, MnistLikeDataset> data, Path dir, boolean overwrite,
                   int maxBatches, String command) {
        checkClasspath();
        SparkSweepOutcome outcome;
        try (SparkSweep spark = start(master); RunLock lock = RunDirectory.open(dir, overwrite)) {   // one sweep per directory
            if (overwrite) Sweep.clearEarlierSweep(dir);                    // its runs are not this sweep's
            System.out.println("sweep of " + points.size() + " runs on Spark " + spark.describe() + " -> " + dir);
            outcome = spark.run(new SweepManifest(command, maxBatches, points), data, dir, false);
        }
        return report(outcome, points.size(), dir);
    }

    /**
     * {@code sweep --resume DIR --spark-master URL}: the points of {@code plan} (DIR's checked sweep.json) that did not
     * finish, on Spark; the finished ones are kept.
     */
    static int resume(String master, SweepManifest plan, Map<String, MnistLikeDataset> data, Path dir) {
        checkClasspath();
        SparkSweepOutcome outcome;
        try (SparkSweep spark = start(master); RunLock lock = RunLock.acquire(dir)) {   // one sweep per directory
            long open = plan.points().stream().filter(p -> Sweep.finishedSummary(dir.resolve(p.dirName())) == null).count();
            System.out.println("resuming sweep " + dir + " on Spark " + spark.describe() + ": " + open + " of " + plan.points().size()
                    + " runs to finish");
            outcome = spark.run(plan, data, dir, true);
        }
        return report(outcome, plan.points().size(), dir);
    }

    private static void checkClasspath() {
        try {
            SparkClasspath.check();
        } catch (SparkSetupException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private static int report(SparkSweepOutcome outcome, int points, Path dir) {
        System.out.println();
        System.out.print(outcome.finished().table().console());
        System.out.println("\nruns and " + Sweep.MARKDOWN + " / " + Sweep.CSV + " / " + SweepReport.HTML_FILE + " in " + dir);
        if (outcome.failures().isEmpty()) return 0;
        SparkSweepOutcome.Failure first = outcome.failures().get(0);
        System.err.println(ExplosionLab.PREFIX + outcome.failures().size() + " of " + points + " points did not finish on Spark: "
                + outcome.failures().stream().map(SparkSweepOutcome.Failure::label).collect(Collectors.joining(", "))
                + " (" + first.label() + ": " + first.reason() + "); the " + (points - outcome.failures().size())
                + " finished runs are in " + dir + "; finish them with: explosion-lab sweep --resume " + dir + " --spark-master URL");
        return ExplosionLab.EXIT_FAULT;
    }

    private static SparkSweep start(String master) {
        try {
            return SparkSweep.start(master, System.out, PointTraining.likeLocalSweep(), LauncherSettings.jvmFlags());
        } catch (SparkSetupException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
