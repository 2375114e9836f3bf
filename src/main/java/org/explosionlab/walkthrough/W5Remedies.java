package org.explosionlab.walkthrough;

import org.explosionlab.data.TestSetAccuracy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.InvocationType;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.optimize.listeners.EvaluativeListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.evaluation.classification.Evaluation;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.monitor.Remedies;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Step 5, "remedies" (the tutorial's clipping by global norm, clipping by value, weight initialization
 * and learning-rate decay, plus three more): each remedy applied to W4's exploding {@code bad-init}
 * model, trained the same way, compared by verdict and test accuracy. Each is one DL4J builder call or
 * one installed remedy:
 * <ul>
 *   <li>clip the global norm to 1.0: {@code Remedies.globalNorm(1.0).installOn(net)} — DL4J's
 *       {@code GradientNormalization} has no whole-network mode;</li>
 *   <li>clip each layer's norm to 1.0: {@code .gradientNormalization(ClipL2PerLayer)}, DL4J's own;</li>
 *   <li>clip every element to ±0.03 (the tutorial's "weight shearing"):
 *       {@code .gradientNormalization(ClipElementWiseAbsoluteValue)};</li>
 *   <li>adaptive gradient clipping and AutoClip: {@code Remedies.agc(...)}, {@code Remedies.autoClip(10)};</li>
 *   <li>He initialization: {@code .weightInit(WeightInit.RELU)} — the only one that removes the cause;</li>
 *   <li>TensorFlow's {@code exponential_decay(0.1, step, 10, 0.5)} = 0.1·0.5^(step/10):
 *       {@code new Sgd(new ExponentialSchedule(ITERATION, 0.1, 0.5^(1/10)))} (DL4J's lr₀·γ^i with
 *       γ = rate^(1/decay_steps), the project's {@code tf_exponential_decay} mapping);</li>
 *   <li>a Keras-style {@code max_norm(2)} weight constraint: {@code .constrainWeights(new MaxNormConstraint(2.0, 0))}.</li>
 * </ul>
 * Every configuration is that of the preset of the same name ({@code bad-init-<remedy>}, checked by the
 * test), the remedies installed on the network are those the CLI installs from the preset, and the
 * minibatches come in the CLI's order, so a row equals {@code explosion-lab train --preset NAME --epochs 1}.
 * Each network also has DL4J's own {@code ScoreIterationListener}, {@code EvaluativeListener(EPOCH_END)} and
 * {@code CheckpointListener} in the same {@code setListeners} call as the monitor: {@code net.fit(iterator, epochs)}
 * fires their epoch events, and the monitor is one listener among them.
 *
 * <p>The monitor judges the <em>raw</em> gradient, before any clipping: a remedy that keeps what the optimizer uses
 * small while the raw gradient stays at ~300 has contained an explosion whose cause (the init) is still there. Output
 * of {@code W5Remedies --epochs 1}:
 * <pre>
 * run                    verdict       event    max raw   max used clipped  test acc
 * bad-init               explosion    iter 0      424.5      424.5      0%    0.1402
 * bad-init-clip-global   explosion    iter 0      312.2      1.000    100%    0.5040
 * bad-init-clip-layer    contained    iter 0      312.2      1.732    100%    0.6143
 * bad-init-clip-value    contained    iter 0      312.2      6.789    100%    0.7335
 * bad-init-agc           contained    iter 0      312.2      3.289    100%    0.6916
 * bad-init-autoclip      explosion    iter 0      424.5      323.4     79%    0.1632
 * bad-init-zclip         explosion    iter 0      424.5      424.5      0%    0.1402
 * bad-init-spike-skip    explosion    iter 0      424.5      424.5      0%    0.1402
 * bad-init-he-init       healthy           -      3.731      3.731      0%    0.8253
 * bad-init-lr-decay      explosion    iter 0      424.5      424.5      0%    0.2176
 * bad-init-max-norm      recovered    iter 0      312.2      312.2      0%    0.8603
 * </pre>
 * The clipping remedies see the same raw first gradient (312) and pass at most 1 (global), √3 (per layer: 1 for each
 * of 3 layers) or a few units on; the per-layer, per-value and adaptive clips are judged contained (the raw norm stays
 * ten times and more above what they let through on every step), the global clip an explosion it did not recover from
 * within the epoch (minibatch accuracy still below 0.55). He init makes the raw gradient itself small: the only healthy
 * run. AutoClip's percentile starts from the huge first norm and the decayed learning rate starts at 0.1, so both let
 * the first step through, as do ZClip (its 25 warm-up steps are the explosion) and spike skipping (it acts from its
 * 20th step on); max-norm also lets it through but pulls each unit's weights back to norm 2 right after, is judged
 * recovered, and ends with the best accuracy of the epoch.
 */
public final class W5Remedies {
    /** The scenario whose remedies are compared. */
    public static final String SCENARIO = "bad-init";

    private W5Remedies() {
    }

    /**
     * One remedy for {@code bad-init}.
     *
     * @param name      the preset this run equals
     * @param what      one line: what it does
     * @param configure the builder calls it changes on {@link W4ExplosionReproduced#badInitSettings()}
     * @param install   what it installs on the initialised network (remedies DL4J lacks)
     */
    public record Treatment(String name, String what, UnaryOperator<NeuralNetConfiguration.Builder> configure,
                            Consumer<MultiLayerNetwork> install) {

        /** The configuration of this run. */
        public MultiLayerConfiguration configuration() {
            return W1ModelDefinition.tutorialLayers(configure.apply(W4ExplosionReproduced.badInitSettings()));
        }
    }

    /** {@code bad-init} untreated, then each remedy, in the presets index's order. */
    public static List<Treatment> treatments() {
        UnaryOperator<NeuralNetConfiguration.Builder> unchanged = b -> b;
        Consumer<MultiLayerNetwork> nothing = net -> { };
        return List.of(
                new Treatment(SCENARIO, "untreated: N(0, 1) weights, SGD 0.1", unchanged, nothing),
                new Treatment("bad-init-clip-global", "clip the global norm to 1.0 (tf.clip_by_global_norm)", unchanged,
                        net -> Remedies.globalNorm(1.0).installOn(net)),                 // whole network, before DL4J's updater
                new Treatment("bad-init-clip-layer", "clip each layer's norm to 1.0 (DL4J ClipL2PerLayer)",
                        b -> b.gradientNormalization(GradientNormalization.ClipL2PerLayer)   // DL4J's own, per layer
                                .gradientNormalizationThreshold(1.0), nothing),              // on the mean-loss scale
                new Treatment("bad-init-clip-value", "clip each element to +-0.03 (DL4J ClipElementWiseAbsoluteValue)",
                        b -> b.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue) // torch clip_grad_value_
                                .gradientNormalizationThreshold(0.03), nothing),             // no element can be huge
                new Treatment("bad-init-agc", "adaptive gradient clipping, 1 % of each unit's weight norm", unchanged,
                        net -> Remedies.agc(0.01, 1e-3, false).installOn(net)),          // output layer clipped too: its ~300 would pass
                new Treatment("bad-init-autoclip", "AutoClip: the 10th percentile of the norms so far", unchanged,
                        net -> Remedies.autoClip(10).installOn(net)),                    // its history starts at the huge first norm
                new Treatment("bad-init-zclip", "ZClip: clip norms 2.5 EMA standard deviations above the EMA mean", unchanged,
                        net -> Remedies.zClip().installOn(net)),                         // its 25 warm-up steps are the explosion
                new Treatment("bad-init-spike-skip", "skip a step whose loss or norm is 6 sigma above the last 128", unchanged,
                        net -> Remedies.spikeSkip().installOn(net)),                     // acts from step 20 on, after the explosion
                new Treatment("bad-init-he-init", "He initialization instead of N(0, 1)",
                        b -> b.weightInit(WeightInit.RELU), nothing),                    // N(0, 2/fan_in): ReLU layers keep their scale
                new Treatment("bad-init-lr-decay", "lr 0.1 x 0.5^(step/10) (tf exponential_decay)",
                        b -> b.updater(new Sgd(new ExponentialSchedule(ScheduleType.ITERATION, 0.1,
                                Math.pow(0.5, 1.0 / 10)))), nothing),                    // gamma = decay_rate^(1/decay_steps)
                new Treatment("bad-init-max-norm", "max_norm(2) on each unit's incoming weights, after every update",
                        b -> b.constrainWeights(new MaxNormConstraint(2.0, 0)), nothing)); // dimension 0: one norm per output unit
    }

    /**
     * One row of the comparison.
     *
     * @param run            the treatment's name
     * @param verdict        the monitor's verdict
     * @param maxRawNorm     largest raw global gradient norm (NaN once non-finite)
     * @param maxAppliedNorm largest global norm of the gradient the optimizer received
     * @param clipRate       fraction of steps in which clipping or normalization changed the gradient
     * @param testAccuracy   test accuracy after training
     */
    public record Row(String run, Verdict verdict, double maxRawNorm, double maxAppliedNorm, double clipRate, double testAccuracy,
                      List<Double> epochEndAccuracy, int checkpoints) {
        public String kind() {
            return verdict.kind().label();
        }
    }

    /** The rows, the untreated scenario first. */
    public record Result(List<Row> rows) {
        public Row row(String run) {
            return rows.stream().filter(r -> r.run().equals(run)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row for " + run));
        }
    }

    /** ScoreIterationListener's interval: DL4J's examples log every 10 iterations. */
    private static final int SCORE_EVERY = 10;
    /** Test minibatch of the EvaluativeListener. */
    private static final int EVAL_BATCH = 500;

    private static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, 0, 1);
        RuntimeTuning.applyDefaults();        // one OpenMP thread: on a network this small, per-op overhead beats parallelism (2-3x faster)
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        List<Treatment> treatments = treatments();
        System.out.println("training " + treatments.size() + " runs for " + a.describe() + " each ...");
        List<Row> rows = new ArrayList<>();
        for (Treatment t : treatments) {
            MultiLayerNetwork net = new MultiLayerNetwork(t.configuration());
            net.init();
            t.install().accept(net);                           // remedies act on the raw gradient, before DL4J's updater
            ExplosionMonitor monitor = ExplosionMonitor.builder()
                    .detector(DetectorConfig.defaults().withAbsoluteCeiling(W4ExplosionReproduced.EXPLOSION_CEILING)) // the presets' ceiling
                    .logEvents(false)                                  // the table below reports the events
                    .keepMetrics(true)                                 // every step, for the table's maxima and clip rate
                    .build();
            List<Double> epochEnd = new ArrayList<>();
            EvaluativeListener evaluate = new EvaluativeListener(data.testIterator(EVAL_BATCH), 1, InvocationType.EPOCH_END);
            evaluate.setCallback((listener, model, invocations, evaluations) -> epochEnd.add(((Evaluation) evaluations[0]).accuracy()));
            Path checkpoints = temporaryDirectory("w5-" + t.name());
            // the monitor is one listener among DL4J's own, in one setListeners call (setListeners replaces all: list it here)
            net.setListeners(
                    new ScoreIterationListener(SCORE_EVERY),      // DL4J's score line (SLF4J INFO; this app's console shows WARN and up)
                    evaluate,                                      // test-set accuracy at the end of every epoch
                    new CheckpointListener.Builder(checkpoints.toFile()).saveEveryEpoch().keepLast(1).build(), // DL4J's model file every epoch
                    monitor);                                      // records and judges every step
            // in-memory minibatches of 32 in the seed's order: views of the split, no copy, no prefetch thread
            DataSetIterator train = data.trainIterator(W2LoadMnist.BATCH_SIZE, W1ModelDefinition.SEED, a.maxBatches());
            train.reset();                  // epoch 1 on the first reshuffle, as the CLI trains (fit resets only a used-up iterator)
            net.fit(train, a.epochs());     // DL4J's epoch loop: a new shuffle every epoch, epoch listeners fire
            int saved = CheckpointListener.availableCheckpoints(checkpoints.toFile()).size();
            deleteRecursively(checkpoints);
            double accuracy = TestSetAccuracy.of(net, data);
            List<IterationMetrics> steps = monitor.metrics();
            double maxApplied = steps.stream().mapToDouble(IterationMetrics::gradL2GlobalClipped).max().orElse(Double.NaN);
            double clipRate = steps.stream().filter(IterationMetrics::clipped).count() / (double) Math.max(1, steps.size());
            rows.add(new Row(t.name(), monitor.verdict(accuracy), W4ExplosionReproduced.maxGlobalNorm(steps), maxApplied, clipRate, accuracy,
                    List.copyOf(epochEnd), saved));
        }
        Result r = new Result(rows);
        print(r, treatments);
        return r;
    }

    private static void print(Result r, List<Treatment> treatments) {
        Row listened = r.rows().get(0);
        System.out.printf(Locale.ROOT, "(each run also had DL4J's ScoreIterationListener, EvaluativeListener(EPOCH_END) and"
                + " CheckpointListener: %s: %d epoch-end evaluations, %d checkpoint kept)%n", listened.run(),
                listened.epochEndAccuracy().size(), listened.checkpoints());
        System.out.printf(Locale.ROOT, "%-22s %-10s %8s %10s %10s %7s %9s%n", "run", "verdict", "event", "max raw", "max used",
                "clipped", "test acc");
        for (Row row : r.rows()) {
            Long first = row.verdict().firstIteration();
            System.out.printf(Locale.ROOT, "%-22s %-10s %8s %10.4g %10.4g %6.0f%% %9.4f%n", row.run(), row.kind(),
                    first == null ? "-" : "iter " + first, row.maxRawNorm(), row.maxAppliedNorm(), 100 * row.clipRate(), row.testAccuracy());
        }
        for (Treatment t : treatments) System.out.printf(Locale.ROOT, "  %-22s %s%n", t.name(), t.what());
        Row untreated = r.rows().get(0);
        List<String> failed = r.rows().stream().skip(1).filter(row -> row.verdict().exploded() && row.verdict().failed())
                .map(Row::run).toList();
        List<String> recovered = r.rows().stream().skip(1).filter(row -> row.verdict().kind() == Verdict.Kind.RECOVERED)
                .map(Row::run).toList();
        Row best = r.rows().stream().max(java.util.Comparator.comparingDouble(Row::testAccuracy)).orElseThrow();
        String start = untreated.verdict().firstIteration() == null ? "the untreated run raised no event in this short run"
                : "the untreated run fails by " + untreated.kind() + " at iteration " + untreated.verdict().firstIteration();
        List<String> contained = r.rows().stream().skip(1).filter(row -> row.verdict().kind() == Verdict.Kind.CONTAINED)
                .map(Row::run).toList();
        List<String> healthy = r.rows().stream().skip(1).filter(row -> row.verdict().healthy()).map(Row::run).toList();
        System.out.println("Notice: " + start + "."
                + (contained.isEmpty() ? "" : " Contained (the clip keeps the used gradient small on every step while the raw one"
                        + " stays huge: the cause is still there): " + String.join(", ", contained) + ".")
                + (recovered.isEmpty() ? "" : " Flagged at the first step but recovered: " + String.join(", ", recovered) + ".")
                + (failed.isEmpty() ? "" : " Exploded and not recovered: " + String.join(", ", failed) + ".")
                + " Healthy: " + (healthy.isEmpty() ? "none" : String.join(", ", healthy)) + "."
                + " Only He init removes the cause; the others limit each step or the weights a step leaves behind.");
        System.out.printf(Locale.ROOT, "  The verdict judges the steps, the accuracy where the weights ended up: best here %s (%.4f)%s.%n",
                best.run(), best.testAccuracy(), best.verdict().exploded() ? ", " + best.kind() + " from its first step" : "");
    }
}
