package org.explosionlab.walkthrough;

import java.util.Locale;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.sweep.LayerGradientProfile;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;

/**
 * Step 6, "depth": the {@code deep} preset (the tutorial's MLP with many hidden layers) and the median
 * raw gradient norm of every layer over the first iterations. Backpropagation multiplies the error
 * signal by one weight matrix and one activation derivative per layer, so a factor a little above 1
 * per layer becomes orders of magnitude at the input (Glorot &amp; Bengio 2010).
 */
public final class W6DepthEffect {
    /** Iterations the per-layer medians are taken over (and the default --max-batches). */
    public static final int PROFILE_ITERATIONS = 20;

    private W6DepthEffect() {
    }

    public record Result(ExperimentSpec spec, LayerGradientProfile profile) {
    }

    public static void main(String... args) {
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, PROFILE_ITERATIONS, 1);
        ExperimentSpec spec = SpecOverrides.with(Presets.load("deep"), "epochs", a.epochs());
        RunResult run = new Trainer(null).run(spec, DatasetResolver.resolve(spec.dataset()), RunOptions.inMemory(a.maxBatches()));
        LayerGradientProfile profile = LayerGradientProfile.of(run.metrics(), PROFILE_ITERATIONS);
        System.out.println(spec.name() + " (" + spec.hiddenLayers() + " hidden layers): " + spec.description());
        System.out.print(profile.bars(spec.layerSizes()));
        System.out.printf(Locale.ROOT, "verdict %s, test accuracy %.4f after %s%n", run.summary().verdict().kind(),
                run.summary().results().testAccuracy(), a.describe());
        System.out.println(profile.factorPerLayer() > 1
                ? "Notice: each layer closer to the input gets a larger gradient than the one above it; the factor compounds with depth."
                : "Notice: each layer closer to the input gets a smaller gradient than the one above it; the signal vanishes with depth.");
        return new Result(spec, profile);
    }
}
