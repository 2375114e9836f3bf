package org.explosionlab.cli;

import java.io.PrintWriter;
import org.explosionlab.data.DataException;
import org.explosionlab.spec.SpecException;
import org.explosionlab.training.RuntimeTuning;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code explosion-lab}: the command-line entry point. Bad input of any kind — an unknown option, a
 * value of the wrong type, a spec or data problem — prints one line on stderr saying what is wrong and
 * what to do, and exits with {@link #EXIT_BAD_INPUT}; nothing is created on disk before the input has
 * been checked.
 */
@Command(name = "explosion-lab", mixinStandardHelpOptions = true, version = "explosion-lab 0.1.0 (DL4J 1.0.0-M2.1)",
        description = "Exploding gradients in Deeplearning4j: train, measure, detect, remedy.",
        subcommands = {TrainCommand.class, PresetsCommand.class, DemoCommand.class, SweepCommand.class})
public final class ExplosionLab {
    /** Exit code for bad input: the user can fix it. */
    public static final int EXIT_BAD_INPUT = 2;

    private ExplosionLab() {
    }

    public static void main(String... args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int execute(String... args) {
        RuntimeTuning.applyDefaults();
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(ExplosionLab.class);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("explosion-lab: " + firstLine(ex.getMessage()) + " (see: explosion-lab "
                    + ex.getCommandLine().getCommandName().replace("explosion-lab", "").trim() + " --help)");
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof SpecException || ex instanceof DataException || ex instanceof BadInputException) {
                commandLine.getErr().println("explosion-lab: " + firstLine(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    static String firstLine(String message) {
        if (message == null) return "unknown error";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
