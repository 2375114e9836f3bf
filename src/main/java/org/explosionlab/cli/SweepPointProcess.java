package org.explosionlab.cli;

import java.nio.file.Path;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.sweep.ChildJvmExecutor;
import org.explosionlab.sweep.PointRunner;
import org.explosionlab.sweep.SweepPoint;
import org.explosionlab.training.RuntimeTuning;

/**
 * The child JVM of {@code sweep --child-jvms} ({@link ChildJvmExecutor}): trains the point whose
 * {@code spec.json} the parent wrote into {@code runDir}. Arguments: {@code runDir maxBatches resume
 * command}. Exit 0 when the run finished (exploded or not), 1 with one line on stderr when it failed.
 */
public final class SweepPointProcess {
    private SweepPointProcess() {
    }

    public static void main(String... args) {
        ConsoleLogging.apply();                       // the application's slf4j-simple settings, before any logger exists
        try {
            RuntimeTuning.applyDefaults();            // before ND4J loads, as train does
            Path runDir = Path.of(args[0]);
            int maxBatches = Integer.parseInt(args[1]);
            boolean resume = Boolean.parseBoolean(args[2]);
            ExperimentSpec spec = SpecJson.read(runDir.resolve("spec.json"));
            SweepPoint point = new SweepPoint(spec.name(), spec);
            var data = DatasetResolver.resolve(spec.training().dataset());
            if (resume) PointRunner.finish(point, data, runDir, maxBatches, args[3]);
            else PointRunner.train(point, data, runDir, maxBatches, args[3]);
            System.exit(0);
        } catch (Throwable t) {
            System.err.println(ExplosionLab.PREFIX + ExplosionLab.oneLine(t.getClass().getSimpleName() + ": " + t.getMessage()));
            System.exit(1);
        }
    }
}
