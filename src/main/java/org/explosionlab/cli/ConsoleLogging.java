package org.explosionlab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The application's console logging: slf4j-simple at {@code warn} (ND4J's backend banner and DL4J's INFO lines
 * stay off the console, which is for the run's own lines) and Spark's per-failure noise off. Every main of this
 * project calls {@link #apply()} first thing, before any logger exists; library code never does.
 *
 * <p>Why not a {@code simplelogger.properties} at the root of the jar: a library must not choose its user's
 * logging. slf4j-simple is an {@code optional} dependency (the application's class path has it, a depending
 * project's does not), and the settings live in {@code org/explosionlab/cli/simplelogger.properties}, where
 * slf4j-simple does not look by itself; this class copies each line into a system property, which slf4j-simple
 * reads when it creates its first logger. A property already set ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info})
 * wins, and a {@code simplelogger.properties} at the class path root (the tests', or one of your own) is left alone.
 */
public final class ConsoleLogging {
    /** The file slf4j-simple reads from the class path root. */
    static final String SIMPLELOGGER_FILE = "simplelogger.properties";

    private ConsoleLogging() {
    }

    /** Sets the application's slf4j-simple defaults as system properties, unless set already; call before the first logger. */
    public static void apply() {
        ClassLoader loader = ConsoleLogging.class.getClassLoader();
        if (loader != null && loader.getResource(SIMPLELOGGER_FILE) != null) return;   // a configuration on the class path root wins
        Properties settings = new Properties();
        try (InputStream in = ConsoleLogging.class.getResourceAsStream(SIMPLELOGGER_FILE)) {
            if (in == null) throw new IllegalStateException("org/explosionlab/cli/" + SIMPLELOGGER_FILE + " missing from the class path");
            settings.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : settings.stringPropertyNames()) {
            if (System.getProperty(key) == null) System.setProperty(key, settings.getProperty(key));
        }
    }
}
