package org.explosionlab.sweep.spark;

/** Spark cannot run the sweep as set up (Spark missing, JVM flags missing, a bad master URL): the user can fix it. */
public final class SparkSetupException extends RuntimeException {
    public SparkSetupException(String message) {
        super(message);
    }

    public SparkSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
