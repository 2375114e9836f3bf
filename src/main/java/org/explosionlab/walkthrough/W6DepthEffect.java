package org.explosionlab.walkthrough;

import org.explosionlab.data.TestSetAccuracy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.detection.DetectorConfig;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.sweep.LayerGradientProfile;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Step 6, "depth" (the tutorial's first cause, weights compounding layer after layer): the tutorial's
 * MLP with 16 hidden tanh layers of 64 units and N(0, 0.3) weights — σ_w = 0.3·√64 = 2.4, past tanh's
 * order-to-chaos edge at σ_w ≈ 1 — written as a DL4J builder loop, trained with plain SGD at 0.01, and
 * the median raw gradient norm of every layer over the first 20 steps, read from the monitor's
 * per-layer figures. Backpropagation multiplies the error signal by Wᵀ·diag(tanh') once per layer on its
 * way to the input, so a factor a little above 1 per layer becomes an order of magnitude at layer 0
 * (Glorot &amp; Bengio 2010). The configuration is the {@code deep} preset's (checked by the test).
 *
 * <p>By default 20 minibatches; it prints
 * <pre>
 *   ! Gradient explosion at iteration 0 (epoch 0): global L2 norm 113, above the ceiling 100. Try ...
 * deep MLP, 16 hidden tanh layers of 64, N(0, 0.3) weights, SGD 0.01, 1 epoch of at most 20 minibatches:
 * median raw gradient L2 per layer over the first 20 iterations (bars: log scale)
 *   layer  0   784->64         32.4  ########################################
 *   layer  1    64->64         23.1  ####################################
 *   ...
 *   layer 15    64->64         1.50  ###
 *   layer 16    64->10         1.31  #
 *   layer 0 / last hidden = 21.6  (x1.23 per layer toward the input)
 * verdict explosion from iteration 0, test accuracy 0.1003 after 20 steps
 * </pre>
 * The monitor flags the very first step: its global norm, 113, is above the presets' ceiling of 100.
 */
public final class W6DepthEffect {
    /** Hidden layers of the deep model. */
    public static final int HIDDEN_LAYERS = 16;
    /** Units per hidden layer. */
    public static final int WIDTH = 64;
    /** Iterations the per-layer medians are taken over (and the default --max-batches). */
    public static final int PROFILE_ITERATIONS = 20;

    private W6DepthEffect() {
    }

    /**
     * @param conf    the deep configuration
     * @param profile per-layer median raw gradient norms over the first iterations
     * @param verdict the monitor's verdict
     * @param testAccuracy test accuracy after the short run
     */
    public record Result(MultiLayerConfiguration conf, LayerGradientProfile profile, Verdict verdict, double testAccuracy) {
    }

    /** The {@code deep} preset as a builder loop: W1's Keras defaults, SGD 0.01, N(0, 0.3), 16 tanh layers. */
    public static MultiLayerConfiguration configuration() {
        NeuralNetConfiguration.ListBuilder layers = W1ModelDefinition.kerasDefaults()
                .updater(new Sgd(0.01))                         // plain SGD, lr 0.01: small steps, so depth alone drives the norms
                .weightInit(new NormalDistribution(0, 0.3))     // sigma_w = 0.3 * sqrt(64) = 2.4: each layer amplifies the signal
                .list();
        int nIn = W1ModelDefinition.INPUTS;
        for (int l = 0; l < HIDDEN_LAYERS; l++) {
            layers.layer(l, new DenseLayer.Builder().nIn(nIn).nOut(WIDTH).activation(Activation.TANH).build());  // Dense(64, activation='tanh')
            nIn = WIDTH;
        }
        layers.layer(HIDDEN_LAYERS, new OutputLayer.Builder(LossFunction.MCXENT)   // as in W1
                .nIn(WIDTH).nOut(W1ModelDefinition.CLASSES).activation(Activation.SOFTMAX).build());
        return layers.build();
    }

    /** Layer sizes, input first: 784, 64 × 16, 10. */
    public static List<Integer> layerSizes() {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(W1ModelDefinition.INPUTS);
        for (int l = 0; l < HIDDEN_LAYERS; l++) sizes.add(WIDTH);
        sizes.add(W1ModelDefinition.CLASSES);
        return sizes;
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, PROFILE_ITERATIONS, 1);
        RuntimeTuning.applyDefaults();        // one OpenMP thread: on layers this small, per-op overhead beats parallelism
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        MultiLayerConfiguration conf = configuration();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ExplosionMonitor monitor = ExplosionMonitor.builder()
                .detector(DetectorConfig.defaults().withAbsoluteCeiling(W4ExplosionReproduced.EXPLOSION_CEILING)) // the presets' ceiling
                .onEvent(e -> System.out.println("  ! " + e.message()))                                        // print each event as it happens
                .logEvents(false)                                                                              // ... instead of SLF4J's WARN line
                .keepMetrics(true)                                                                             // every step, for the profile
                .attach(net);                                   // gradL2Layer(): one raw norm per layer, every step
        // in-memory minibatches of 32 in the seed's order: views of the split, no copy, no prefetch thread
        DataSetIterator train = data.trainIterator(W2LoadMnist.BATCH_SIZE, W1ModelDefinition.SEED, a.maxBatches());
        train.reset();                      // epoch 1 on the first reshuffle, as the CLI trains (fit resets only a used-up iterator)
        net.fit(train, a.epochs());         // DL4J's epoch loop: a new shuffle every epoch, epoch listeners fire
        LayerGradientProfile profile = LayerGradientProfile.of(monitor.metrics(), PROFILE_ITERATIONS);
        double accuracy = TestSetAccuracy.of(net, data);
        Result r = new Result(conf, profile, monitor.verdict(accuracy), accuracy);
        System.out.println("deep MLP, " + HIDDEN_LAYERS + " hidden tanh layers of " + WIDTH + ", N(0, 0.3) weights, SGD 0.01, "
                + a.describe() + ":");
        System.out.print(profile.bars(layerSizes()));
        System.out.printf(Locale.ROOT, "verdict %s%s, test accuracy %.4f after %d steps%n", r.verdict().kind(),
                r.verdict().firstIteration() == null ? "" : " from iteration " + r.verdict().firstIteration(), accuracy,
                net.getIterationCount());
        System.out.println(profile.factorPerLayer() > 1
                ? "Notice: each layer closer to the input gets a larger gradient than the one above it; the factor compounds with depth."
                : "Notice: each layer closer to the input gets a smaller gradient than the one above it; the signal vanishes with depth.");
        return r;
    }
}
