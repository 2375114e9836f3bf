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

    /**
     * The text up to the first full stop that ends a sentence: ". " followed by a capital letter, so
     * "i.e. clipping", "et al. 2021" or "lr 0.1" do not end it.
     */
    static String firstSentence(String text) {
        for (int dot = text.indexOf(". "); dot >= 0; dot = text.indexOf(". ", dot + 1)) {
            int next = dot + 2;
            if (next < text.length() && Character.isUpperCase(text.charAt(next))) return text.substring(0, dot + 1);
        }
        return text;
    }
}
