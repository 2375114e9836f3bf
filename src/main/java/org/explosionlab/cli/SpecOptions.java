package org.explosionlab.cli;

import java.nio.file.Path;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.spec.SpecOverrides;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options that choose a spec: a preset or a file, then {@code --set} overrides and shortcuts. */
final class SpecOptions {
    static final class Source {
        @Option(names = "--preset", paramLabel = "NAME", description = "a preset (list them with: explosion-lab presets)")
        String preset;

        @Option(names = "--spec", paramLabel = "FILE", description = "a spec JSON file (or a run's summary.json, to repeat it)")
        Path specFile;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a spec field, e.g. --set learningRate=0.1 (repeatable)")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", description = "shortcut for --set epochs=N")
    Integer epochs;

    @Option(names = "--data", paramLabel = "NAME|DIR", description = "mnist-embedded (default), mnist, fashion-mnist, or a directory of IDX files")
    String data;

    /**
     * The resolved, validated spec: the preset or file, then the {@code --set} overrides, then the
     * {@code --epochs} and {@code --data} shortcuts; an error names the option the user typed.
     */
    ExperimentSpec resolve(String defaultPreset) {
        ExperimentSpec base;
        if (source != null && source.specFile != null) base = SpecJson.read(source.specFile);
        else base = Presets.load(source != null && source.preset != null ? source.preset : defaultPreset);
        ExperimentSpec spec = SpecOverrides.apply(base, overrides);
        if (epochs != null) spec = shortcut(spec, "--epochs", "epochs", epochs);
        if (data != null) spec = shortcut(spec, "--data", "dataset", data);
        return spec;
    }

    /** {@code spec} with one field replaced and validated again, errors reported as {@code option value: ...}. */
    private static ExperimentSpec shortcut(ExperimentSpec spec, String option, String field, Object value) {
        ObjectNode tree = SpecJson.toTree(spec);
        tree.set(field, SpecJson.mapper().valueToTree(value));
        return SpecJson.fromTree(tree, option + " " + value);
    }
}
