package org.explosionlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The JVM options this project starts trainings with: {@code pom.xml}'s {@code jvm.flags} property, which Maven
 * writes into {@code org/explosionlab/cli/launcher.properties} when it compiles (resource filtering). The same
 * file gives {@code ./explosion-lab} its options; here they go to a Spark cluster's executors, which train points
 * in JVMs of their own. Why these flags: README, "Running K trainings at once".
 */
final class LauncherSettings {
    static final String RESOURCE = "launcher.properties";

    private LauncherSettings() {
    }

    /** The {@code jvm.flags} of the build, space-separated; empty when the file is missing (a build without resource filtering). */
    static String jvmFlags() {
        try (InputStream in = LauncherSettings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "";
            Properties p = new Properties();
            p.load(in);
            String flags = p.getProperty("jvm.flags", "").trim();
            return flags.contains("${") ? "" : flags;       // an unfiltered copy (an IDE build) names the property instead
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
