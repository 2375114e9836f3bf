package org.explosionlab.sweep.spark;

import java.util.List;
import org.explosionlab.sweep.SweepResult;

/**
 * What a Spark sweep hands back: the finished points as a local sweep would ({@link SweepResult}, in
 * plan order) and the points that did not finish, each with the one-line reason.
 */
public record SparkSweepOutcome(SweepResult finished, List<Failure> failures) {
    public SparkSweepOutcome {
        failures = List.copyOf(failures);
    }

    /** A point that did not finish: its training threw, or Spark gave up on its task (e.g. its executor died). */
    public record Failure(String label, String reason) {
    }
}
