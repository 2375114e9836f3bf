package org.explosionlab.sweep.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A Spark sweep hands its executors the JVM options it is given, and leaves the user's own
 * {@code spark.executor.extraJavaOptions} (a {@code spark.*} system property, as spark-submit sets them) alone. Spark
 * itself puts its Java 17 module options in front of whichever options the setting holds.
 */
class SparkExecutorOptionsTest {
    @Test
    void executorsGetTheGivenOptions() {
        try (SparkSweep spark = SparkSweep.start("local[1]", null, PointTraining.likeLocalSweep(), "-XX:+UseSerialGC -XX:MetaspaceSize=256m")) {
            String options = spark.executorJvmOptions();
            assertTrue(options.endsWith(" -XX:+UseSerialGC -XX:MetaspaceSize=256m"), options);
        }
    }

    @Test
    void theUsersSettingWins() {
        System.setProperty(SparkSweep.EXECUTOR_JAVA_OPTIONS, "-Xss2m");
        try (SparkSweep spark = SparkSweep.start("local[1]", null, PointTraining.likeLocalSweep(), "-XX:+UseSerialGC")) {
            String options = spark.executorJvmOptions();
            assertTrue(options.endsWith(" -Xss2m"), options);
            assertFalse(options.contains("UseSerialGC"), options);
        } finally {
            System.clearProperty(SparkSweep.EXECUTOR_JAVA_OPTIONS);
        }
    }

    @Test
    void noOptionsSetsNothing() {
        try (SparkSweep spark = SparkSweep.start("local[1]", null, PointTraining.likeLocalSweep())) {
            String options = spark.executorJvmOptions();
            assertFalse(options.contains("UseSerialGC"), options);
        }
    }
}
