package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code explosion-lab} command the README shows ({@code ./explosion-lab ...} and {@code mvn -q compile exec:exec
 * -Dcli.args="..."} lines in its bash blocks; not {@code --main}, which runs a walkthrough) runs as written, in the README's order, with two
 * changes that keep the test short and the checkout clean: training commands get {@code --max-batches 2}
 * and {@code --epochs 1}, and paths under {@code runs/} are moved into a temporary directory. Files the
 * commands name (a spec file, a run's summary.json) must therefore exist in the repository or be
 * written by an earlier command.
 */
class ReadmeCommandsTest {
    private static final Pattern MVN_EXEC = Pattern.compile("^mvn -q compile exec:exec(?:\\s+-Dcli\\.args=\"([^\"]*)\")?\\s*(?:#.*)?$");
    /** The checkout's launcher script, {@code ./explosion-lab ARGS}; its arguments carry no quotes in the README. */
    private static final Pattern LAUNCHER = Pattern.compile("^\\./explosion-lab\\s+(?!--main)([^#]*?)\\s*(?:#.*)?$");
    /** A README command whose comment says {@code # exits N} must end with that exit code (e.g. diagnose's 3). */
    private static final Pattern EXITS = Pattern.compile("#.*\\bexits (\\d+)\\b");
    private static final List<String> TRAINING = List.of("train", "sweep", "demo");

    /** The CLI argument lists of the README's {@code exec:exec} lines, in order. */
    /** The exit code each command of {@link #readmeCommands} must end with, by position (0 unless its comment says otherwise). */
    static final java.util.Map<Integer, Integer> EXPECTED_EXIT = new java.util.HashMap<>();

    static List<List<String>> readmeCommands(Path readme) throws IOException {
        EXPECTED_EXIT.clear();
        List<List<String>> commands = new ArrayList<>();
        boolean inBash = false;
        for (String line : Files.readAllLines(readme)) {
            String t = line.trim();
            if (t.startsWith("```")) {
                inBash = !inBash && t.equals("```bash");
                continue;
            }
            if (!inBash) continue;
            Matcher m = MVN_EXEC.matcher(t);
            if (!m.matches()) m = LAUNCHER.matcher(t);
            if (m.matches()) commands.add(Arrays.stream((m.group(1) == null ? "demo" : m.group(1)).trim().split("\\s+"))
                    .map(a -> a.replaceAll("^'(.*)'$", "$1"))          // the shell's quotes, as in --spark-master 'local[2]'
                    .toList());
            if (m.matches()) {
                Matcher e = EXITS.matcher(t);
                EXPECTED_EXIT.put(commands.size() - 1, e.find() ? Integer.parseInt(e.group(1)) : 0);
            }
        }
        return commands;
    }

    @Test
    void everyReadmeCommandRunsAsWritten(@TempDir Path tmp) throws IOException {
        List<List<String>> commands = readmeCommands(Path.of("README.md"));
        assertTrue(commands.size() >= 6, "expected the README's quick start and CLI commands, found " + commands);
        int auto = 0;
        for (int index = 0; index < commands.size(); index++) {
            List<String> written = commands.get(index);
            List<String> args = new ArrayList<>();
            for (String a : written) args.add(a.startsWith("runs/") ? tmp.resolve(a).toString() : a);
            if (TRAINING.contains(args.get(0))) {
                if (!args.contains("--out")) args.addAll(List.of("--out", tmp.resolve("auto-" + auto++).toString()));
                if (!args.contains("--max-batches")) args.addAll(List.of("--max-batches", "2"));
                if (!args.contains("--epochs")) args.addAll(List.of("--epochs", "1"));
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = ExplosionLab.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
            assertEquals(EXPECTED_EXIT.get(index), code, "README command " + String.join(" ", written) + " (run as " + args + "): " + err);
        }
        assertTrue(Arrays.stream(tmp.toFile().list()).findAny().isPresent(), "the commands wrote their runs");
    }
}
