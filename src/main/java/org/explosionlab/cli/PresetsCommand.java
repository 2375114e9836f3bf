package org.explosionlab.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import picocli.CommandLine.Command;

/** {@code presets}: every shipped experiment with its one-line description. */
@Command(name = "presets", mixinStandardHelpOptions = true, description = "List the presets with one-line descriptions.")
final class PresetsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Map<String, ExperimentSpec> all = Presets.all();
        int width = all.keySet().stream().mapToInt(String::length).max().orElse(10);
        all.forEach((name, spec) -> System.out.printf("%-" + width + "s  %s%n", name, firstSentence(spec.description())));
        return 0;
    }

    static String firstSentence(String text) {
        int dot = text.indexOf(". ");
        return dot < 0 ? text : text.substring(0, dot + 1);
    }
}
