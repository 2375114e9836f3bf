package org.explosionlab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.diagnosis.Diagnosis;
import org.explosionlab.data.SparseLabels;
import org.explosionlab.network.KerasImport;
import org.explosionlab.network.MemoryBudget;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code diagnose}: the checks of {@link Diagnosis} on a spec's DL4J configuration, a few minibatches of its data and one
 * step on a copy of the network, before any training. Exit code 0 when nothing is severe, {@link #EXIT_SEVERE} when a
 * finding is (so CI can gate on it), 2 on bad input.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = "Check a spec's network and data before training (exit 0: nothing severe, 3: a severe finding, 2: bad input).")
final class DiagnoseCommand implements Callable<Integer> {
    /** Exit code when the diagnosis has a severe finding. */
    static final int EXIT_SEVERE = 3;

    @Mixin
    SpecOptions specOptions;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the diagnosis as JSON to FILE (replaced atomically)")
    Path json;

    @Option(names = "--batches", paramLabel = "N", description = "minibatches to sample from the training data (default 4)")
    int batches = Diagnosis.DEFAULT_SAMPLE_BATCHES;

    @Option(names = "--no-first-step", description = "skip the one training step taken on a copy of the network")
    boolean noFirstStep;

    @Option(names = "--keras", paramLabel = "FILE.h5", description = "diagnose a Keras Sequential model (Keras 2 HDF5) imported by DL4J instead of the spec's network")
    Path keras;

    @Override
    public Integer call() {
        if (batches < 1) throw new BadInputException("--batches must be >= 1, got " + batches);
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new BadInputException("--json " + json + ": directory " + parent + " does not exist; create it or choose another file");
            }
            if (Files.isDirectory(json)) throw new BadInputException("--json " + json + " is a directory; give a file name, e.g. " + json.resolve("diagnosis.json"));
        }
        ExperimentSpec spec = specOptions.resolve("seed-baseline");
        ExplosionLab.tuneRuntime();
        MemoryBudget.requireFits(spec);
        MnistLikeDataset data = DatasetResolver.resolve(spec.training().dataset());
        var iterator = data.trainIterator(spec.training().batchSize(), spec.training().seed(), batches);
        Diagnosis.Builder builder = Diagnosis.builder().sampleBatches(batches).firstStep(!noFirstStep).clippedBy(clippingOf(spec));
        Diagnosis d;
        if (keras != null) {
            KerasImport.Imported imported;
            try {
                imported = KerasImport.sequential(keras);
            } catch (KerasImport.KerasImportException e) {
                throw new BadInputException(e.getMessage());
            }
            if (org.explosionlab.training.Trainer.sparseLoss(imported.network())) {
                iterator.setPreProcessor(new SparseLabels());          // the digits as class indices, as train --keras feeds them
            }
            d = builder.run(imported.network(), iterator);
            System.out.printf(Locale.ROOT, "Keras model %s (Keras %s, imported by DL4J) on %s%n", keras, imported.kerasVersion(), data.provenance().name());
            for (String note : imported.notes()) System.out.println("  import: " + note);
        } else {
            d = builder.run(NetworkFactory.configuration(spec), iterator);
            System.out.printf(Locale.ROOT, "spec %s on %s%n", spec.name(), data.provenance().name());
        }
        System.out.print(d.toText());
        if (json != null) {
            AtomicFiles.writeString(json, d.toJson());
            System.out.println("json: " + json);
        }
        return d.hasSevere() ? EXIT_SEVERE : 0;
    }

    /** The spec's whole-network clipping rule (a monitor remedy, outside DL4J's configuration), in words, or null. */
    static String clippingOf(ExperimentSpec s) {
        return switch (s.clip().clipping()) {
            case NONE -> null;
            case GLOBAL_L2 -> "explosion-lab global_l2 clipping at " + s.clip().clipThreshold();
            case AGC -> "explosion-lab AGC, lambda " + s.clip().agcLambda();
            case AUTOCLIP -> "explosion-lab AutoClip at the " + s.clip().autoClipPercentile() + "th percentile";
            case ZCLIP -> "explosion-lab ZClip, z " + s.clip().zClipZThreshold();
        };
    }
}
