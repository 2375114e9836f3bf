package org.explosionlab.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A Spark sweep hands its executors the JVM options it is given, and leaves the user's own
 * {@code spark.executor.extraJavaOptions} (a {@code spark.*} system property, as spark-submit sets them) alone.
 */
class SparkExecutorOptionsTest {
    @Test
    void executorsGetTheGivenOptions() {
        try (SparkSweep spark = SparkSweep.start("local[1]", null, PointTraining.likeLocalSweep(), "-XX:+UseSerialGC -XX:MetaspaceSize=256m")) {
            assertEquals("-XX:+UseSerialGC -XX:MetaspaceSize=256m", spark.executorJvmOptions());
        }
    }

    @Test
    void theUsersSettingWins() {
        System.setProperty(SparkSweep.EXECUTOR_JAVA_OPTIONS, "-Xss2m");
        try (SparkSweep spark = SparkSweep.start("local[1]", null, PointTraining.likeLocalSweep(), "-XX:+UseSerialGC")) {
            assertEquals("-Xss2m", spark.executorJvmOptions());
        } finally {
            System.clearProperty(SparkSweep.EXECUTOR_JAVA_OPTIONS);
        }
    }

    @Test
    void noOptionsSetsNothing() {
        try (SparkSweep spark = SparkSweep.start("local[1]", null, PointTraining.likeLocalSweep())) {
            assertEquals("", spark.executorJvmOptions());
        }
    }
}
