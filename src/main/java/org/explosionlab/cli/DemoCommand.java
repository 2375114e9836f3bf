package org.explosionlab.cli;

import org.explosionlab.run.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explosionlab.run.RunLock;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.sweep.ComparisonRow;
import org.explosionlab.sweep.ComparisonTable;
import org.explosionlab.run.AtomicFiles;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: the main job. Trains the healthy tutorial model, the exploding {@code bad-init}
 * configuration, and {@code bad-init} with clipping by global norm, then prints one comparison table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train seed-baseline, bad-init and bad-init with a remedy; print a comparison table.")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;                  // for the command line a run's provenance records

    static final List<String> PRESETS = List.of("seed-baseline", "bad-init", "bad-init-clip-global");

    @Option(names = "--out", paramLabel = "DIR", description = "directory for the three runs (default runs/demo-<timestamp>)")
    Path out;

    @Option(names = "--overwrite", description = "reuse an existing directory")
    boolean overwrite;

    @Option(names = "--max-batches", paramLabel = "N", description = "stop each epoch after N minibatches (smoke runs); 0 = all")
    int maxBatches;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs per run (default: each preset's own, 5)")
    Integer epochs;

    @Override
    public Integer call() {
        if (maxBatches < 0) throw new BadInputException("--max-batches must be >= 0, got " + maxBatches);
        if (epochs != null && epochs < 1) throw new BadInputException("--epochs must be >= 1, got " + epochs);
        Path dir = out != null ? out : RunDirectory.defaultFor("demo");
        RunDirectory.check(dir, overwrite);
        List<ExperimentSpec> specs = new ArrayList<>();
        for (String name : PRESETS) {
            ExperimentSpec s = Presets.load(name);
            specs.add(epochs == null ? s : org.explosionlab.spec.SpecOverrides.with(s, "epochs", epochs));
        }
        ExplosionLab.tuneRuntime();
        MnistLikeDataset data = DatasetResolver.resolve(specs.get(0).training().dataset());
        try (RunLock lock = RunDirectory.open(dir, overwrite)) {           // one writer per directory
            return run(dir, specs, data);
        }
    }

    private int run(Path dir, List<ExperimentSpec> specs, MnistLikeDataset data) {
        List<ComparisonRow> rows = new ArrayList<>();
        for (ExperimentSpec spec : specs) {
            System.out.println("== " + spec.name() + ": " + PresetsCommand.firstSentence(spec.description()));
            Path runDir = dir.resolve(spec.name());
            try (RunLock lock = RunDirectory.open(runDir, overwrite)) {
                RunResult r = new Trainer(ConsolePrinter.stdout()).run(spec, data, new RunOptions(runDir, maxBatches, 250, ExplosionLab.typed(command)));
                rows.add(ComparisonRow.of(spec.name(), r.summary()));
            }
        }
        ComparisonTable table = new ComparisonTable(rows);
        System.out.println();
        System.out.print(table.console());
        AtomicFiles.writeString(dir.resolve("comparison.md"), table.markdown());
        AtomicFiles.writeString(dir.resolve("comparison.csv"), table.csv());
        org.explosionlab.report.Reports.rebuild(dir);
        System.out.println("\nruns, comparison.md / comparison.csv, sweep.html and each run's report.html in " + dir);
        return 0;
    }
}
