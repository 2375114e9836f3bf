package org.explosionlab.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The driver's reading of Spark's messages. The end-to-end runs (local[2] against the local sweep, the
 * one-line errors) are in cli.SparkSweepLauncherTest.
 */
class SparkSweepTest {
    /** Spark 3.5.6's message when a standalone executor was killed (kill -9) under spark.task.maxFailures=1, as printed. */
    private static final String EXECUTOR_KILLED = "Job aborted due to stage failure: Task 0 in stage 2.0 failed 1 times, most recent"
            + " failure: Lost task 0.0 in stage 2.0 (TID 2) (127.0.0.1 executor 0): ExecutorLostFailure (executor 0 exited caused by"
            + " one of the running tasks) Reason: Command exited with code 137";

    @Test
    void aLostExecutorIsSaidShortly() {
        assertEquals("Spark gave up after 1 attempt (127.0.0.1 executor 0: ExecutorLostFailure (executor 0 exited caused by one of"
                + " the running tasks) Reason: Command exited with code 137)", SparkSweep.givenUp(EXECUTOR_KILLED));
        assertEquals("Spark gave up after 4 attempts (10.0.0.7 executor 3: ExecutorLostFailure (executor 3 exited))",
                SparkSweep.givenUp("Job aborted due to stage failure: Task 0 in stage 5.0 failed 4 times, most recent failure: Lost task"
                        + " 0.3 in stage 5.0 (TID 9) (10.0.0.7 executor 3): ExecutorLostFailure (executor 3 exited)"));
        assertEquals("Spark gave up on its task: Job 3 cancelled because SparkContext was shut down",
                SparkSweep.givenUp("Job 3 cancelled because SparkContext was shut down"));
    }

    @Test
    void onlyClusterMastersNeedTheJar() {
        assertTrue(SparkSweep.isCluster("spark://host:7077"));
        assertTrue(SparkSweep.isCluster("yarn"));
        assertTrue(SparkSweep.isCluster("k8s://https://host:6443"));
        assertFalse(SparkSweep.isCluster("local[2]"));
        assertFalse(SparkSweep.isCluster("local-cluster[2,1,1024]"));
    }

    @Test
    void theFirstLineOfTheFirstMessage() {
        assertEquals("outer", SparkSweep.firstLine(new RuntimeException("outer\n\tDriver stacktrace:", new RuntimeException("inner"))));
        assertEquals("inner", SparkSweep.firstLine(new RuntimeException(null, new IllegalStateException("inner"))));
    }
}
