package org.explosionlab.cli;

import org.explosionlab.run.RunDirectory;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.detection.TextLines;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.network.KerasImport;
import org.explosionlab.network.MemoryBudget;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.training.RunOptions;
import org.explosionlab.run.RunLock;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;
import org.explosionlab.detection.Verdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train}: one run of one spec, with metrics.jsonl, metrics.csv and summary.json in its directory. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train one spec and record its gradient health.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    SpecOptions specOptions;

    @Spec
    CommandSpec command;                  // for the command line a run's provenance records

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

    @Option(names = "--keras", paramLabel = "FILE.h5",
            description = "train a Keras Sequential model (Keras 2 HDF5) imported by DL4J's KerasModelImport, with the spec's training settings")
    Path keras;

    /** Marker file of a run that trained an imported Keras model (such a run cannot be resumed from its spec). */
    static final String KERAS_MARKER = "keras-source.txt";

    @Override
    public Integer call() {
        if (maxBatches < 0) throw new BadInputException("--max-batches must be >= 0, got " + maxBatches);
        if (consoleEvery < 0) throw new BadInputException("--console-every must be >= 0, got " + consoleEvery);
        if (checkpointEvery < 0) throw new BadInputException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        if (resume != null && keras != null) throw new BadInputException("--resume continues a run as it was started; drop --keras");
        if (resume != null) return resume();
        if (keras != null) return trainKeras();
        ExperimentSpec spec = specOptions.resolve("seed-baseline");
        Path dir = out != null ? out : RunDirectory.defaultFor(spec.name());
        RunDirectory.requireNotSweep(dir);                               // first: --overwrite would not help here
        RunDirectory.check(dir, overwrite);
        ExplosionLab.tuneRuntime();
        MemoryBudget.requireFits(spec);                                  // before anything is allocated or written
        MnistLikeDataset data = DatasetResolver.resolve(spec.training().dataset());
        boolean fresh = !java.nio.file.Files.exists(dir);
        try (RunLock lock = RunDirectory.open(dir, overwrite)) {           // one writer per run directory
            System.out.printf(Locale.ROOT, "training %s on %s (%d train / %d test) -> %s%n", spec.name(), data.provenance().name(),
                    data.provenance().trainCount(), data.provenance().testCount(), dir);
            RunResult r;
            try {
                r = new Trainer(ConsolePrinter.stdout()).run(spec, data,
                        new RunOptions(dir, maxBatches, consoleEvery, checkpointEvery, ExplosionLab.typed(command)));
            } catch (OutOfMemoryError e) {
                throw OutOfMemory.clearing(dir, spec.name(), e);
            }
            return report(r, dir);
        } catch (OutOfMemory e) {
            if (fresh) RunDirectory.removeEmpty(dir);                    // the lock is released: nothing of the run is left
            throw e;
        }
    }

    /**
     * Training ran out of memory (heap or ND4J's off-heap limit) although the spec passed the memory budget, which is
     * a lower bound: one line (exit code 1), and the run's files are removed, as a sweep point's failure is recorded
     * instead of a stack trace.
     */
    static final class OutOfMemory extends RuntimeException {
        private OutOfMemory(String message) {
            super(message);
        }

        static OutOfMemory clearing(Path dir, String spec, OutOfMemoryError e) {
            String kept = "its files were removed";
            try {
                org.explosionlab.run.RunFiles.clear(dir);
            } catch (RuntimeException failed) {
                kept = "its files could not all be removed (" + failed.getMessage() + ")";
            }
            return new OutOfMemory("training " + spec + " ran out of memory (" + e.getMessage() + "); " + kept + " from " + dir
                    + ": use smaller layerSizes or batchSize, or give the JVM more memory (-Xmx, -Dorg.bytedeco.javacpp.maxbytes)");
        }
    }

    /**
     * {@code --keras FILE.h5}: the model imported by DL4J ({@link KerasImport}), trained with the monitor and the spec's
     * training settings (data, batch size, epochs, seed, remedies); the spec's layer fields do not apply and the run's
     * spec.json is renamed {@code keras-<file>} to say so.
     */
    private int trainKeras() {
        String kind = org.explosionlab.run.SafePaths.kindOf(keras);
        if (kind != null) {
            throw new BadInputException("--keras " + keras + " is " + kind + ", not a Keras model file; give a Keras HDF5 model"
                    + " saved with model.save('model.h5')");
        }
        ExperimentSpec base = specOptions.resolve("seed-baseline");
        String stem = keras.getFileName().toString().replaceAll("\\.(h5|hdf5|keras)$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        var tree = org.explosionlab.spec.SpecJson.toTree(base);
        tree.put("name", "keras-" + (stem.isEmpty() ? "model" : stem));
        tree.put("description", "The Keras model " + keras.getFileName() + " imported by DL4J's KerasModelImport, trained with the"
                + " training settings of " + base.name() + "; the layer fields are " + base.name() + "'s, not the model's.");
        ExperimentSpec spec = org.explosionlab.spec.SpecJson.fromTree(tree, "--keras " + keras);
        Path dir = out != null ? out : RunDirectory.defaultFor(spec.name());
        RunDirectory.requireNotSweep(dir);                               // first: --overwrite would not help here
        RunDirectory.check(dir, overwrite);
        ExplosionLab.tuneRuntime();
        KerasImport.Imported imported;
        try {
            imported = KerasImport.sequential(keras);
        } catch (KerasImport.KerasImportException e) {
            throw new BadInputException(e.getMessage());
        }
        MultiLayerNetwork net = imported.network();
        requireMnistShape(net);
        MnistLikeDataset data = DatasetResolver.resolve(spec.training().dataset());
        try (RunLock lock = RunDirectory.open(dir, overwrite)) {
            org.explosionlab.run.AtomicFiles.writeString(dir.resolve(KERAS_MARKER), keras.toAbsolutePath() + "\n");
            System.out.printf(Locale.ROOT, "training %s (Keras %s, imported by DL4J: %d layers, %d parameters) on %s -> %s%n",
                    keras, imported.kerasVersion(), net.getnLayers(), net.numParams(), data.provenance().name(), dir);
            for (String note : imported.notes()) System.out.println("  import: " + note);
            RunResult r = new Trainer(ConsolePrinter.stdout()).run(spec, net, data,
                    new RunOptions(dir, maxBatches, consoleEvery, checkpointEvery, ExplosionLab.typed(command)));
            return report(r, dir);
        }
    }

    /**
     * The imported model must map a flat 28x28 image to 10 class scores, as explosion-lab's datasets need: checked with
     * one DL4J forward pass of a blank image (before anything is written).
     */
    private void requireMnistShape(MultiLayerNetwork net) {
        org.nd4j.linalg.api.ndarray.INDArray out;
        try {
            out = net.output(org.nd4j.linalg.factory.Nd4j.zeros(net.getLayerWiseConfigurations().getDataType(), 1, ExperimentSpec.MNIST_INPUTS));
        } catch (RuntimeException e) {
            throw new BadInputException("--keras " + keras + ": the model does not take " + ExperimentSpec.MNIST_INPUTS + " flat inputs"
                    + " (28x28 pixels), as explosion-lab's datasets have; give a model built with input_shape=(784,)");
        }
        if (out.length() != ExperimentSpec.MNIST_CLASSES) {
            throw new BadInputException("--keras " + keras + ": the model has " + out.length() + " outputs, but explosion-lab's datasets have "
                    + ExperimentSpec.MNIST_CLASSES + " classes; give a model ending in Dense(10, activation='softmax')");
        }
    }

    private int resume() {
        if (specOptions.source != null || !specOptions.overrides.isEmpty() || specOptions.epochs != null || out != null || maxBatches != 0) {
            throw new BadInputException("--resume continues a run exactly as it was started; drop --preset/--spec/--set/--epochs/--out/--max-batches");
        }
        if (!java.nio.file.Files.isDirectory(resume)) {
            throw new BadInputException("--resume " + resume + ": no such run directory");
        }
        if (java.nio.file.Files.exists(resume.resolve(KERAS_MARKER))) {
            throw new BadInputException("--resume " + resume + ": this run trained a --keras model, which cannot be rebuilt from its"
                    + " spec; start it again with train --keras");
        }
        String holder = RunLock.holderOf(resume);
        if (holder != null) throw new RunLock.HeldException(resume, holder);
        ExperimentSpec checked = Trainer.resumableSpec(resume);        // every check first: a refused resume touches nothing
        ExplosionLab.tuneRuntime();
        MnistLikeDataset data = DatasetResolver.resolve(checked.training().dataset());
        Trainer.checkResumable(resume, data);                           // checkpoint fields and metrics rows, before the lock
        try (RunLock lock = RunLock.acquire(resume)) {                    // one writer: a second resume exits 2
            ExperimentSpec spec = Trainer.resumableSpec(resume);         // again (in resume), now that nobody else can change it
            if (!spec.training().dataset().equals(checked.training().dataset())) data = DatasetResolver.resolve(spec.training().dataset());
            System.out.println("resuming " + spec.name() + " in " + resume);
            RunResult r = new Trainer(ConsolePrinter.stdout()).resume(resume, data, consoleEvery, checkpointEvery);
            return report(r, resume);
        }
    }

    private static int report(RunResult r, Path dir) {
        var res = r.summary().results();
        var v = r.summary().verdict();
        System.out.printf(Locale.ROOT, "test accuracy %.4f   %d iterations in %.1f s (%.0f examples/s)   verdict: %s%n",
                res.testAccuracy(), res.iterations(), res.trainSeconds(), res.examplesPerSecond(), v.kind());
        if (!v.healthy()) System.out.println(TextLines.wrap("advice: " + v.advice(), "  "));   // every kind but healthy, recovered included
        org.explosionlab.report.Reports.writeRunReport(dir);
        System.out.println("files: " + dir.resolve("summary.json") + ", metrics.jsonl, metrics.csv, model.zip");
        System.out.println("report: " + dir.resolve("report.html") + " (+ loss.png, " + (java.nio.file.Files.exists(dir.resolve("early_warning.png")) ? "early_warning.png, " : "")
                + "grad_norm.png, layer_grad_norm.png, update_ratio.png, lr.png)");
        return 0;
    }
}
