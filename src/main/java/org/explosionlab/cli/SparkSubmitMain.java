package org.explosionlab.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The main class for spark-submit: {@code spark-submit --master URL --class org.explosionlab.cli.SparkSubmitMain
 * explosion-lab-VERSION-spark.jar SWEEP_OPTIONS}. It is {@code explosion-lab sweep SWEEP_OPTIONS} on the
 * master spark-submit was given (the {@code spark.master} property it sets), unless the options name
 * one with {@code --spark-master}.
 */
public final class SparkSubmitMain {
    /** The property spark-submit sets to its --master. */
    static final String MASTER_PROPERTY = "spark.master";

    private SparkSubmitMain() {
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        System.exit(run(args));
    }

    /** Runs the sweep and returns the exit code. */
    static int run(String... args) {
        List<String> sweep = new ArrayList<>(List.of("sweep"));
        sweep.addAll(List.of(args));
        if (!sweep.contains("--spark-master")) {
            String master = System.getProperty(MASTER_PROPERTY);
            if (master == null || master.isBlank()) {
                System.err.println(ExplosionLab.PREFIX + "no Spark master; start this class with spark-submit --master URL,"
                        + " or add --spark-master URL (e.g. local[2])");
                return ExplosionLab.EXIT_BAD_INPUT;
            }
            sweep.add("--spark-master");
            sweep.add(master);
        }
        return ExplosionLab.execute(sweep.toArray(String[]::new));
    }
}
