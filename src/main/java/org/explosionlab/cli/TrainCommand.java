package org.explosionlab.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.MemoryBudget;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunLock;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import org.explosionlab.detection.Verdict;
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

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "also checkpoint every N iterations (default 0: at the end of each epoch only)")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "continue a killed run from its last checkpoint (same final parameters as an uninterrupted run)")
    Path resume;

    @Override
    public Integer call() {
        if (maxBatches < 0) throw new BadInputException("--max-batches must be >= 0, got " + maxBatches);
        if (consoleEvery < 0) throw new BadInputException("--console-every must be >= 0, got " + consoleEvery);
        if (checkpointEvery < 0) throw new BadInputException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        if (resume != null) return resume();
        ExperimentSpec spec = specOptions.resolve("seed-baseline");
        Path dir = out != null ? out : RunDirectory.defaultFor(spec.name());
        RunDirectory.check(dir, overwrite);
        ExplosionLab.tuneRuntime();
        MemoryBudget.requireFits(spec);                                  // before anything is allocated or written
        MnistLikeDataset data = DatasetResolver.resolve(spec.dataset());
        try (RunLock lock = RunDirectory.open(dir, overwrite)) {           // one writer per run directory
            System.out.printf(Locale.ROOT, "training %s on %s (%d train / %d test) -> %s%n", spec.name(), data.provenance().name(),
                    data.provenance().trainCount(), data.provenance().testCount(), dir);
            RunResult r = new Trainer(System.out).run(spec, data,
                    new RunOptions(dir, maxBatches, consoleEvery, checkpointEvery, "train " + spec.name()));
            return report(r, dir);
        }
    }

    private int resume() {
        if (specOptions.source != null || !specOptions.overrides.isEmpty() || specOptions.epochs != null || out != null || maxBatches != 0) {
            throw new BadInputException("--resume continues a run exactly as it was started; drop --preset/--spec/--set/--epochs/--out/--max-batches");
        }
        if (!java.nio.file.Files.isDirectory(resume)) {
            throw new BadInputException("--resume " + resume + ": no such run directory");
        }
        String holder = RunLock.holderOf(resume);
        if (holder != null) throw new RunLock.HeldException(resume, holder);
        Trainer.resumableSpec(resume);                                 // every check first: a refused resume touches nothing
        try (RunLock lock = RunLock.acquire(resume)) {                    // one writer: a second resume exits 2
            ExperimentSpec spec = Trainer.resumableSpec(resume);         // again, now that nobody else can change it
            ExplosionLab.tuneRuntime();
            MnistLikeDataset data = DatasetResolver.resolve(spec.dataset());
            System.out.println("resuming " + spec.name() + " in " + resume);
            RunResult r = new Trainer(System.out).resume(resume, data, consoleEvery, checkpointEvery);
            return report(r, resume);
        }
    }

    private static int report(RunResult r, Path dir) {
        var res = r.summary().results();
        var v = r.summary().verdict();
        System.out.printf(Locale.ROOT, "test accuracy %.4f   %d iterations in %.1f s (%.0f examples/s)   verdict: %s%n",
                res.testAccuracy(), res.iterations(), res.trainSeconds(), res.examplesPerSecond(), v.kind());
        if (!v.healthy()) System.out.println("advice: " + v.advice());   // every kind but healthy, recovered included
        org.explosionlab.report.Reports.writeRunReport(dir);
        System.out.println("files: " + dir.resolve("summary.json") + ", metrics.jsonl, metrics.csv, model.zip");
        System.out.println("report: " + dir.resolve("report.html") + " (+ loss.png, " + (java.nio.file.Files.exists(dir.resolve("early_warning.png")) ? "early_warning.png, " : "")
                + "grad_norm.png, layer_grad_norm.png, update_ratio.png, lr.png)");
        return 0;
    }
}
