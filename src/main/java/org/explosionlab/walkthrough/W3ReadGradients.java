package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.monitor.Remedies;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Step 3, "read the gradients" (the tutorial's {@code tape.gradient(loss, model.trainable_variables)}
 * and {@code tf.clip_by_global_norm}), on W1's model and one minibatch of 32, two ways:
 * <ol>
 *   <li>DL4J directly: {@code net.computeGradientAndScore()} runs forward and backward without
 *       updating, and {@code net.gradient().gradientForVariable()} holds one array per trainable
 *       variable ({@code 0_W}, {@code 0_b}, … — Keras' kernel and bias of each Dense). DL4J's
 *       gradient is the <em>sum</em> over the minibatch; its updater divides by the minibatch size k
 *       later, so the figures here are ÷k, the mean-loss scale Keras and PyTorch report.</li>
 *   <li>During a real training step, with clipping by global norm at τ = 1.0 installed
 *       ({@code Remedies.globalNorm(1.0)}; DL4J's own {@code GradientNormalization} has per-layer and
 *       per-element modes only) and an {@code ExplosionMonitor} attached: its
 *       {@code IterationMetrics} holds the raw per-layer norms and those the optimizer received.</li>
 * </ol>
 * Clipping by global norm scales every layer by the same factor (Pascanu, Mikolov &amp; Bengio 2013, alg. 1):
 * <pre>  g_l ← g_l · min(1, τ / ‖g‖₂),   ‖g‖₂ = √(Σ_l ‖g_l‖₂²)</pre>
 * so each clipped layer norm is its raw norm times τ/‖g‖ and the clipped global norm is τ when ‖g‖ &gt; τ.
 * On W2's first minibatch the loss is 2.4216 (≈ ln 10: an untrained softmax) and ‖g‖ = 1.803, so every
 * layer is scaled by 0.5546 and the step's direction is unchanged.
 *
 * <p>Reading the loss: DL4J's {@code loss} (its score) clips each softmax probability at 1e-10, so one
 * example adds at most −ln 1e-10 = 23.03 (Keras clips at 1e-7: 16.12). The monitor also records
 * {@code loss_exact}, the cross-entropy from the output layer's logits by log-softmax, and
 * {@code loss_saturated_fraction}, the share of the minibatch at the clip. On a healthy step they agree;
 * the walkthrough then repeats the step with every weight and bias × {@value #EXPLODE_SCALE} (exploded
 * logits), where DL4J's loss under-reads the exact one. On W2's first minibatch: healthy 2.4216 both;
 * exploded, DL4J reports 20.43 while the exact cross-entropy is 40.51, with 78 % of the minibatch at the clip.
 */
public final class W3ReadGradients {
    /** The tutorial's clip norm τ. */
    public static final double CLIP_NORM = 1.0;
    /** Every parameter times this for the exploded-logits step (a power of two: exact in float32). */
    public static final int EXPLODE_SCALE = 4;

    private W3ReadGradients() {
    }

    /** Raw and clipped gradient L2 norm of one layer (W and b together, mean-loss scale). */
    public record LayerNorms(int layer, double raw, double clipped) {
    }

    /**
     * One step's loss three ways, as the monitor recorded it.
     *
     * @param loss              DL4J's score (probabilities clipped at 1e-10)
     * @param lossExact         the exact cross-entropy (log-softmax of the logits)
     * @param saturatedFraction share of the minibatch whose true-class probability hit DL4J's clip
     */
    public record LossReading(double loss, double lossExact, double saturatedFraction) {
        static LossReading of(IterationMetrics m) {
            return new LossReading(m.loss(), m.lossExact(), m.lossSaturatedFraction());
        }
    }

    /**
     * @param variables     per trainable variable ("0_W", "0_b", ...): ‖g‖₂ from DL4J's own gradient, ÷ minibatch size
     * @param directLoss    the minibatch loss {@code computeGradientAndScore} reported
     * @param layers        per layer: the monitor's raw and clipped norms of the training step
     * @param globalRaw     the monitor's raw global norm
     * @param globalClipped the global norm of the gradient the optimizer received
     * @param loss          the step's minibatch loss as the monitor recorded it
     * @param healthyLoss   that step's loss, exact loss and saturated fraction
     * @param explodedLoss  the same for one step on the same minibatch with every parameter × {@value #EXPLODE_SCALE}
     */
    public record Result(Map<String, Double> variables, double directLoss, List<LayerNorms> layers, double globalRaw,
                         double globalClipped, double loss, LossReading healthyLoss, LossReading explodedLoss) {
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs.parse(args, 1, 1);    // one minibatch is the point of this step
        RuntimeTuning.applyDefaults();        // one OpenMP thread: on a network this small, per-op overhead beats parallelism
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        DataSet batch = data.trainIterator(W2LoadMnist.BATCH_SIZE, W1ModelDefinition.SEED, 1).next();  // W2's first minibatch
        MultiLayerNetwork net = new MultiLayerNetwork(W1ModelDefinition.configuration());
        net.init();

        // 1. tape.gradient: forward + backward on the minibatch, parameters untouched
        net.setInput(batch.getFeatures());
        net.setLabels(batch.getLabels());
        net.computeGradientAndScore();
        double k = batch.numExamples();
        Map<String, Double> variables = new LinkedHashMap<>();
        for (int l = 0; l < net.getnLayers(); l++) {
            for (String v : List.of("W", "b")) {
                INDArray g = net.gradient().getGradientFor(l + "_" + v);   // DL4J: the minibatch sum
                variables.put(l + "_" + v, g.norm2Number().doubleValue() / k);
            }
        }
        double directLoss = net.score();

        // 2. one training step with clipping by global norm, read by the monitor
        Remedies.globalNorm(CLIP_NORM).installOn(net);          // tf.clip_by_global_norm(grads, 1.0), before DL4J's updater
        ExplosionMonitor monitor = ExplosionMonitor.attach(net); // records raw and clipped norms of every step
        net.fit(batch);                                          // one Adam step on the clipped gradient
        IterationMetrics step = monitor.metrics().get(0);
        List<LayerNorms> layers = new ArrayList<>();
        for (int l = 0; l < step.gradL2Layer().length; l++) {
            layers.add(new LayerNorms(l, step.gradL2Layer()[l], step.gradL2LayerClipped()[l]));
        }

        // 3. the loss on exploded logits: the same minibatch, every weight and bias x4
        MultiLayerNetwork exploded = new MultiLayerNetwork(W1ModelDefinition.configuration());
        exploded.init();
        exploded.params().muli(EXPLODE_SCALE);                        // logits grow ~4^3: softmax saturates
        ExplosionMonitor explodedMonitor = ExplosionMonitor.attach(exploded);
        exploded.fit(batch);
        Result r = new Result(variables, directLoss, layers, step.gradL2Global(), step.gradL2GlobalClipped(), step.loss(),
                LossReading.of(step), LossReading.of(explodedMonitor.metrics().get(0)));
        print(r);
        return r;
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "tape.gradient on one minibatch of %d: loss %.4f%n", W2LoadMnist.BATCH_SIZE, r.directLoss());
        r.variables().forEach((v, norm) -> System.out.printf(Locale.ROOT, "  %-4s |g| %9.5f%n", v, norm));
        System.out.printf(Locale.ROOT, "one training step with clip_by_global_norm(grads, %.1f), as the monitor recorded it: loss %.4f%n",
                CLIP_NORM, r.loss());
        System.out.printf(Locale.ROOT, "%-6s %12s %12s %8s%n", "layer", "raw |g|", "clipped |g|", "ratio");
        for (LayerNorms l : r.layers()) {
            System.out.printf(Locale.ROOT, "%-6d %12.5f %12.5f %8.4f%n", l.layer(), l.raw(), l.clipped(), l.clipped() / l.raw());
        }
        System.out.printf(Locale.ROOT, "%-6s %12.5f %12.5f %8.4f%n", "global", r.globalRaw(), r.globalClipped(), r.globalClipped() / r.globalRaw());
        System.out.println("Notice: each layer's raw norm is sqrt(|g_W|^2 + |g_b|^2) of the variables above. "
                + (r.globalRaw() > CLIP_NORM
                ? "The global norm was above " + CLIP_NORM + ", so every layer was scaled by the same ratio and the clipped global norm is "
                        + CLIP_NORM + "; the direction of the step is unchanged."
                : "The global norm was below " + CLIP_NORM + ", so clipping left every layer unchanged (ratio 1)."));
        System.out.printf(Locale.ROOT, "%-30s %10s %10s %10s%n", "loss of one step", "loss", "loss_exact", "saturated");
        printLoss("healthy (the step above)", r.healthyLoss());
        printLoss("exploded (parameters x" + EXPLODE_SCALE + ")", r.explodedLoss());
        System.out.println("Notice: DL4J's loss clips each softmax probability at 1e-10, so no example adds more than 23.03."
                + " On healthy logits loss and loss_exact agree; on exploded logits the examples at the clip"
                + " (the saturated share) make DL4J's loss under-read the cross-entropy, which loss_exact reports exactly.");
    }

    private static void printLoss(String step, LossReading l) {
        System.out.printf(Locale.ROOT, "%-30s %10.4f %10.4f %9.1f%%%n", step, l.loss(), l.lossExact(), 100 * l.saturatedFraction());
    }
}
