package org.explosionlab.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.explosionlab.data.DataException;
import org.explosionlab.spec.SpecException;
import org.explosionlab.run.Checkpoint;
import org.explosionlab.run.RunLock;
import org.explosionlab.training.RuntimeTuning;
import org.explosionlab.run.RunDirectory;
import org.explosionlab.run.SafePaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code explosion-lab}: the command-line entry point. Bad input of any kind — an unknown command or
 * option, a value of the wrong type, a spec or data problem, an unusable output directory — prints one
 * line on stderr saying what is wrong and what to do, and exits with {@link #EXIT_BAD_INPUT}; no usage
 * text, no stack trace, and nothing created on disk before the input has been checked. A file that
 * cannot be written during a run is a fault, not bad input: one line too, exit code {@link #EXIT_FAULT}.
 */
@Command(name = "explosion-lab", mixinStandardHelpOptions = true, version = "explosion-lab 0.1.0 (DL4J 1.0.0-M2.1)",
        description = "Exploding gradients in Deeplearning4j: train, measure, detect, remedy.",
        subcommands = {TrainCommand.class, PresetsCommand.class, DemoCommand.class, SweepCommand.class, ReportCommand.class, DiagnoseCommand.class})
public final class ExplosionLab {
    /** Exit code for bad input: the user can fix it. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run that could not write its files (disk full, directory removed, ...). */
    public static final int EXIT_FAULT = 1;
    /** Every stderr line starts with this. */
    static final String PREFIX = "explosion-lab: ";

    private ExplosionLab() {
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        System.exit(execute(args));
    }

    /** Runs the CLI on the standard streams and returns its exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with picocli's output (help, version) on {@code out} and its one-line errors on {@code err}. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(ExplosionLab.class);
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(PREFIX + SafePaths.printable(parameterMessage(ex)));
            err.flush();
            return EXIT_BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof SpecException || ex instanceof DataException || ex instanceof BadInputException
                    || ex instanceof RunLock.HeldException || ex instanceof Checkpoint.CheckpointException
                    || ex instanceof SafePaths.UnsafePathException || ex instanceof RunDirectory.Refused) {
                err.println(PREFIX + oneLine(ex.getMessage()));
                err.flush();
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof TrainCommand.OutOfMemory) {
                err.println(PREFIX + oneLine(ex.getMessage()));
                err.flush();
                return EXIT_FAULT;
            }
            if (ex instanceof UncheckedIOException) {
                err.println(PREFIX + oneLine(ex.getMessage()) + "; check free disk space and that the run directory is still writable");
                err.flush();
                return EXIT_FAULT;
            }
            throw ex;           // a bug: picocli prints the stack trace, exit code 1
        });
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /**
     * One line for a command-line parsing error: what is wrong, picocli's "did you mean" suggestions when it
     * has any, and which {@code --help} to read. Never the usage text.
     */
    static String parameterMessage(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        String what = oneLine(ex.getMessage()).replaceFirst("^Error: ", "");
        String hint = "";
        if (what.startsWith("Missing required subcommand")) {
            what = "no command given; commands: " + String.join(", ", cmd.getSubcommands().keySet());
        } else if (ex.getCause() instanceof TypeConversionException && ex.getArgSpec() instanceof OptionSpec option) {
            what = option.longestName() + " needs " + describe(option.type()) + ", got '" + ex.getValue() + "'";
        } else if (ex instanceof UnmatchedArgumentException u) {
            String arg = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            if (!u.isUnknownOption() && cmd.getParent() == null) {
                what = "unknown command '" + arg + "'; commands: " + String.join(", ", cmd.getSubcommands().keySet());
            } else if (!u.isUnknownOption()) {
                what = "unexpected argument '" + arg + "'; " + name + " takes options only";
            } else {
                what = "unknown option '" + arg + "'";
            }
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) hint = " (did you mean " + String.join(" or ", suggestions) + "?)";
        }
        return what + hint + "; see: " + name + " --help";
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "a whole number";
        if (type == double.class || type == Double.class) return "a number";
        if (type == java.nio.file.Path.class) return "a file or directory path";
        return "a " + type.getSimpleName();
    }

    /**
     * The command line that was run, for a run's provenance: the program's name and the arguments as given, each
     * quoted for a POSIX shell where it needs it ({@code 'description=my run'}), so that it can be pasted back.
     *
     * @param command the running (sub)command's spec; its root holds the parsed arguments
     */
    static String typed(CommandSpec command) {
        CommandLine root = command.root().commandLine();
        List<String> args = root.getParseResult() == null ? List.of() : root.getParseResult().originalArgs();
        StringBuilder line = new StringBuilder(command.root().name());
        for (String a : args) {
            line.append(' ').append(a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** Applies the ND4J thread defaults just before a command touches ND4J (not at start-up: bad input fails fast). */
    static void tuneRuntime() {
        try {
            RuntimeTuning.applyDefaults();
        } catch (NumberFormatException e) {
            throw new BadInputException("thread count " + RuntimeTuning.THREADS_PROPERTY + " / OMP_NUM_THREADS must be a"
                    + " whole number (" + e.getMessage() + "); unset it or set e.g. OMP_NUM_THREADS=1");
        }
    }

    /**
     * The message with its line breaks folded into spaces, so that stderr gets exactly one line, and any other
     * control character escaped ({@link SafePaths#printable}): a message quotes spec and summary files.
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) return "unknown error";
        return SafePaths.printable(message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
    }
}
