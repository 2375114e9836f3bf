package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.Verdict;
import org.explosionlab.detection.Warning;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Step 7, "the warning comes first": the {@code high-lr} scenario (the tutorial's model, plain SGD at learning
 * rate 1.0) with the monitor's directional sharpness on ({@code sharpnessEvery(2)}), printed as training goes: the
 * curvature of the loss along the gradient, gᵀHg/‖g‖², climbing to the edge of stability 2/η (Cohen et al. 2021:
 * gradient descent cannot follow a direction whose curvature is above 2/η, each step overshoots and the overshoot
 * grows), the monitor's {@link Warning} when it crosses, then the loss spike — the onset, the first iteration whose
 * loss exceeds 3× the median of the previous 20 — and the detector's event. At the end: how many iterations the
 * first warning of the 50 before the onset came ahead of it.
 *
 * <p>Seed 43 (weights and shuffling), as {@code train --preset high-lr --set seed=43 --set earlyWarning=true --set sharpnessEvery=2}. It
 * prints each measurement up to the onset (then every 100th iteration), each warning ({@code ?}), each event
 * ({@code !}) and the onset ({@code ×}). It printed here (2 epochs; the warnings' advice shortened):
 * <pre>
 *   iteration    0  loss  2.423  sharpness   0.56  (2/η = 2)
 *   iteration    2  loss  2.211  sharpness   7.04  (2/η = 2)
 *   ? warning at iteration 2: sharpness = 7.04 (threshold 2). ... lower the learning rate below 0.284 (limit/λ × η, for SGD 2/λ) ...
 *   iteration    4  loss  2.174  sharpness  12.91  (2/η = 2)
 *   iteration    6  loss  3.588  sharpness   4.00  (2/η = 2)
 *   iteration   10  loss  1.940  sharpness  22.43  (2/η = 2)
 *   iteration   12  loss 11.319  sharpness  20.56  (2/η = 2)
 *   × onset at iteration 12: loss 11.319 > 3 × trailing median 2.313
 *   ...
 *   ! Gradient explosion at iteration 425 (epoch 1): raw global L2 norm 7.92 (before any clipping), 10.3x its reference 0.771 ...
 * high-lr (SGD 1.0), seed 43, 2 epochs: 8 warnings, verdict explosion from iteration 425
 * Notice: the first warning came 10 iterations before the loss showed the onset at iteration 12.
 * </pre>
 * After the onset the sharpness keeps hovering around 2/η — the edge of stability Cohen et al. describe — so
 * the later warnings mark a state the run lives in rather than an imminent spike ({@code bench/lead-time.md}).
 */
public final class W7EarlyWarning {
    /** The weights' and the shuffle's seed. */
    public static final long SEED = 43;
    /** Learning rate of the high-lr scenario. */
    public static final double LEARNING_RATE = 1.0;
    /** The sharpness is measured every this many iterations. */
    public static final int SHARPNESS_EVERY = 2;
    /** Iterations before the onset in which a warning counts as predicting it (as in bench/lead-time.md). */
    public static final int HORIZON = 50;

    private W7EarlyWarning() {
    }

    /**
     * @param warnings     the monitor's warnings, in order
     * @param onset        the first iteration whose loss exceeded 3× its trailing median (or was non-finite), -1 if none
     * @param lead         onset minus the first warning in the {@value #HORIZON} iterations before it, -1 if none
     * @param verdict      the monitor's verdict
     * @param rows         every recorded iteration
     */
    public record Result(List<Warning> warnings, long onset, long lead, Verdict verdict, List<IterationMetrics> rows) {
    }

    /** The tutorial's model with plain SGD at 1.0: W1's Keras defaults, one updater call changed, seed 43. */
    public static MultiLayerConfiguration configuration() {
        return W1ModelDefinition.tutorialLayers(W1ModelDefinition.kerasDefaults()
                .seed(SEED)                                      // the high-lr preset with --set seed=43
                .updater(new Sgd(LEARNING_RATE)));               // optimizer=SGD(learning_rate=1.0): steps too long
    }

    public static void main(String... args) {
        ConsoleLogging.apply();
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, 0, 2);
        RuntimeTuning.applyDefaults();
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        MultiLayerNetwork net = new MultiLayerNetwork(configuration());
        net.init();
        Onset onset = new Onset();
        List<Warning> warnings = new ArrayList<>();
        ExplosionMonitor monitor = ExplosionMonitor.builder()
                .detector(DetectorConfig.defaults().withAbsoluteCeiling(W4ExplosionReproduced.EXPLOSION_CEILING))
                .instruments(true)                              // update RMS (Adam only), cosine, spike score
                .sharpnessEvery(SHARPNESS_EVERY)                // gᵀHg/‖g‖² on a probe minibatch every 2 steps
                .sink(m -> {                                     // each recorded step, as it happens
                    boolean approach = onset.at < 0 ? m.iteration() < 200 : m.iteration() <= onset.at + 4;   // up to the onset
                    if (m.sharpness() != null && (approach || m.iteration() % 100 == 0)) {
                        System.out.printf(Locale.ROOT, "  iteration %4d  loss %6.3f  sharpness %6.2f  (2/η = %.0f)%n",
                                m.iteration(), m.loss(), m.sharpness(), m.sharpnessLimit());
                    }
                    if (onset.observe(m)) {
                        System.out.printf(Locale.ROOT, "  × onset at iteration %d: loss %.3f > 3 × trailing median %.3f%n",
                                m.iteration(), m.loss(), onset.median);
                    }
                })
                .onWarning(w -> {
                    warnings.add(w);
                    System.out.println("  ? " + w.message());
                })
                .onEvent(e -> System.out.println("  ! " + e.message()))
                .logEvents(false)                                // printed above instead of SLF4J's WARN lines
                .keepMetrics(true)
                .attach(net);
        DataSetIterator train = data.trainIterator(W2LoadMnist.BATCH_SIZE, SEED, a.maxBatches());
        train.reset();
        net.fit(train, a.epochs());
        long lead = -1;
        if (onset.at >= 0) {
            for (Warning w : warnings) {
                if (w.iteration() < onset.at && w.iteration() >= onset.at - HORIZON) {
                    lead = onset.at - w.iteration();
                    break;
                }
            }
        }
        Result r = new Result(List.copyOf(warnings), onset.at, lead, monitor.verdict(), List.copyOf(monitor.metrics()));
        System.out.println("high-lr (SGD 1.0), seed " + SEED + ", " + a.describe() + ": " + warnings.size() + " warnings, verdict "
                + r.verdict().kind() + (r.verdict().firstIteration() == null ? "" : " from iteration " + r.verdict().firstIteration()));
        System.out.println(onset.at < 0 ? "Notice: no onset (the loss never jumped 3x its trailing median)."
                : lead > 0 ? "Notice: the first warning came " + lead + " iterations before the loss showed the onset at iteration " + onset.at + "."
                : "Notice: no warning in the " + HORIZON + " iterations before the onset at iteration " + onset.at + ".");
        return r;
    }

    /** The benchmark's onset: loss above 3× the median of the previous 20 recorded losses (at least 10), or non-finite. */
    static final class Onset {
        private final List<Double> losses = new ArrayList<>();
        long at = -1;
        double median = Double.NaN;

        /** @return whether this row is the onset (only the first one is) */
        boolean observe(IterationMetrics m) {
            if (at >= 0) return false;
            double loss = m.loss();
            if (!Double.isFinite(loss)) {
                at = m.iteration();
                return true;
            }
            if (losses.size() >= 10) {
                List<Double> w = new ArrayList<>(losses.subList(Math.max(0, losses.size() - 20), losses.size()));
                w.sort(null);
                int n = w.size();
                median = n % 2 == 1 ? w.get(n / 2) : (w.get(n / 2 - 1) + w.get(n / 2)) / 2;
                if (loss > 3 * median) {
                    at = m.iteration();
                    return true;
                }
            }
            losses.add(loss);
            return false;
        }
    }
}
