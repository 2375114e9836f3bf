package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.RunResult;
import org.explosionlab.training.Trainer;

/**
 * Step 3, "read the gradients" (the tutorial's {@code tape.gradient} + {@code tf.clip_by_global_norm}
 * section): one training step of {@code seed-baseline} on one minibatch of 32, with clipping by global
 * norm at τ = 1.0. Clipping by global norm scales every layer by the same factor,
 * g_l ← g_l · min(1, τ / ‖g‖₂) with ‖g‖₂ = √(Σ_l ‖g_l‖₂²) (Pascanu, Mikolov &amp; Bengio 2013, alg. 1),
 * so each clipped layer norm is its raw norm times τ/‖g‖ and the clipped global norm is τ when ‖g‖ > τ.
 */
public final class W3ReadGradients {
    /** The tutorial's clip norm. */
    public static final double CLIP_NORM = 1.0;

    private W3ReadGradients() {
    }

    /** Raw and clipped gradient L2 norm of one layer (W and b together, mean-loss scale). */
    public record LayerNorms(int layer, double raw, double clipped) {
    }

    /** One step's gradient norms, per layer and whole-network. */
    public record Result(List<LayerNorms> layers, double globalRaw, double globalClipped, double loss) {
    }

    public static void main(String... args) {
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs.parse(args, 1, 1); // one minibatch is the point of this step
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"),
                List.of("clipping=global_l2", "clipThreshold=" + CLIP_NORM, "epochs=1"));
        RunResult run = new Trainer(null).run(spec, DatasetResolver.resolve(spec.dataset()), RunOptions.inMemory(1));
        IterationMetrics first = run.metrics().get(0);
        List<LayerNorms> layers = new ArrayList<>();
        for (int l = 0; l < first.gradL2Layer().length; l++) {
            layers.add(new LayerNorms(l, first.gradL2Layer()[l], first.gradL2LayerClipped()[l]));
        }
        Result r = new Result(layers, first.gradL2Global(), first.gradL2GlobalClipped(), first.loss());
        print(r);
        return r;
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "one minibatch of seed-baseline: loss %.4f, clip_by_global_norm(grads, %.1f)%n", r.loss(), CLIP_NORM);
        System.out.printf(Locale.ROOT, "%-6s %12s %12s %8s%n", "layer", "raw |g|", "clipped |g|", "ratio");
        for (LayerNorms l : r.layers()) {
            System.out.printf(Locale.ROOT, "%-6d %12.5f %12.5f %8.4f%n", l.layer(), l.raw(), l.clipped(), l.clipped() / l.raw());
        }
        System.out.printf(Locale.ROOT, "%-6s %12.5f %12.5f %8.4f%n", "global", r.globalRaw(), r.globalClipped(), r.globalClipped() / r.globalRaw());
        System.out.println(r.globalRaw() > CLIP_NORM
                ? "Notice: the global norm was above " + CLIP_NORM + ", so every layer was scaled by the same ratio and the clipped global norm is " + CLIP_NORM + "; the direction of the step is unchanged."
                : "Notice: the global norm was below " + CLIP_NORM + ", so clipping left every layer unchanged (ratio 1).");
    }
}
