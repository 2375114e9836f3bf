package org.explosionlab.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: one run of one spec, with metrics.jsonl, metrics.csv and summary.json in its directory. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train one spec and record its gradient health.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    SpecOptions specOptions;

    @Option(names = "--max-batches", paramLabel = "N", description = "stop each epoch after N minibatches (smoke runs); 0 = all")
    int maxBatches;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default runs/<name>-<timestamp>)")
    Path out;

    @Option(names = "--overwrite", description = "reuse an existing run directory")
    boolean overwrite;

    @Option(names = "--console-every", paramLabel = "N", description = "print a line every N iterations (default 50; 0 = quiet)")
    int consoleEvery = 50;

    @Override
    public Integer call() {
        if (maxBatches < 0) throw new BadInputException("--max-batches must be >= 0, got " + maxBatches);
        if (consoleEvery < 0) throw new BadInputException("--console-every must be >= 0, got " + consoleEvery);
        ExperimentSpec spec = specOptions.resolve("seed-baseline");
        Path dir = out != null ? out : RunDirectory.defaultFor(spec.name());
        RunDirectory.check(dir, overwrite);
        ExplosionLab.tuneRuntime();
        MnistLikeDataset data = DatasetResolver.resolve(spec.dataset());
        RunDirectory.create(dir, overwrite);
        System.out.printf(Locale.ROOT, "training %s on %s (%d train / %d test) -> %s%n", spec.name(), data.provenance().name(),
                data.provenance().trainCount(), data.provenance().testCount(), dir);
        RunResult r = new Trainer(System.out).run(spec, data, new RunOptions(dir, maxBatches, consoleEvery, "train " + spec.name()));
        var res = r.summary().results();
        var v = r.summary().verdict();
        System.out.printf(Locale.ROOT, "test accuracy %.4f   %d iterations in %.1f s (%.0f examples/s)   verdict: %s%n",
                res.testAccuracy(), res.iterations(), res.trainSeconds(), res.examplesPerSecond(), v.kind());
        if (v.exploded()) System.out.println("advice: " + v.advice());
        System.out.println("files: " + dir.resolve("summary.json") + ", metrics.jsonl, metrics.csv");
        return 0;
    }
}
