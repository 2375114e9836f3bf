package org.explosionlab.sweep.spark;

import java.util.List;

/**
 * Checks, without touching any Spark class, that this JVM can run a Spark driver: Spark on the
 * classpath (it is a {@code provided} dependency, so a plain run does not have it) and the
 * {@code --add-opens} flags Spark 3.5 needs on Java 17 (the list is Spark's own,
 * {@code org.apache.spark.launcher.JavaModuleOptions}; spark-submit adds them itself).
 */
public final class SparkClasspath {
    /** A class every Spark driver loads. */
    static final String SPARK_CONTEXT = "org.apache.spark.SparkContext";
    /** Packages of java.base that Spark reflects into (JavaModuleOptions of Spark 3.5). */
    public static final List<String> OPENED_PACKAGES = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
            "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    private SparkClasspath() {
    }

    /** Throws a one-line {@link SparkSetupException} saying what is missing and how to get it. */
    public static void check() {
        try {
            Class.forName(SPARK_CONTEXT, false, SparkClasspath.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SparkSetupException("--spark-master needs Apache Spark on the classpath and it is not there;"
                    + " run through spark-submit, or add Spark's jars (SPARK_HOME=DIR target/explosion-lab ...,"
                    + " or mvn exec:exec -Dexec.classpathScope=compile; see README, Spark)");
        }
        Module unnamed = SparkClasspath.class.getModule();
        List<String> closed = OPENED_PACKAGES.stream().filter(p -> !Object.class.getModule().isOpen(p, unnamed)).toList();
        if (!closed.isEmpty()) {
            throw new SparkSetupException("Spark on Java 17 needs java " + addOpensFlag(closed.get(0)) + " (and the other "
                    + (OPENED_PACKAGES.size() - 1) + " --add-opens in the README, Spark section); " + closed.size()
                    + " of them are missing in this JVM");
        }
    }

    /** {@code --add-opens=java.base/PKG=ALL-UNNAMED}. */
    public static String addOpensFlag(String pkg) {
        return "--add-opens=java.base/" + pkg + "=ALL-UNNAMED";
    }
}
