package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import java.nio.file.Files;
import java.nio.file.Path;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.network.KerasH5Writer;
import org.explosionlab.network.KerasImport;
import org.nd4j.linalg.dataset.DataSet;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Step 1 of the tutorial, "define the model": the Keras model
 * <pre>
 * model = Sequential([Dense(128, activation='relu', input_shape=(784,)),
 *                     Dense(64, activation='relu'),
 *                     Dense(10, activation='softmax')])
 * model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
 * </pre>
 * written as a DL4J {@code NeuralNetConfiguration.Builder} chain, one comment per call naming the Keras
 * default it mirrors (Keras leaves them unwritten; DL4J's own defaults differ in places, e.g. Adam's ε).
 * It is exactly the configuration the {@code seed-baseline} preset builds
 * ({@code NetworkFactory.configuration(Presets.load("seed-baseline"))}, checked by its test), so
 * everything the CLI reports about that preset holds for this code.
 *
 * <p>It then prints DL4J's {@code net.summary()}, its counterpart of Keras' {@code model.summary()}. A dense layer with n_in inputs
 * and n_out units holds n_in·n_out weights and n_out biases, (n_in + 1)·n_out in all:
 * (784+1)·128 = 100,480, (128+1)·64 = 8,256, (64+1)·10 = 650, in total 109,386.
 *
 * <p>Finally it lets DL4J check that claim itself: {@link KerasH5Writer} saves this network as the Keras 2 HDF5 file
 * {@code model.save('model.h5')} would write (the tutorial's Sequential, {@code sparse_categorical_crossentropy},
 * Adam 1e-3, these initial weights), DL4J's {@code KerasModelImport.importKerasSequentialModelAndWeights} reads it back
 * ({@link KerasImport}), and the walkthrough compares the two layer by layer and after one training step on the same
 * MNIST minibatch. The one difference is DL4J's: the import maps the last {@code Dense(10, softmax)} to a
 * {@code DenseLayer} followed by a {@code LossLayer} with {@code LossSparseMCXENT}, which takes digit indices where
 * this builder's {@code OutputLayer(MCXENT)} takes one-hot labels; same loss, same gradient.
 *
 * <p>W4–W6 start from {@link #kerasDefaults()} and override only the calls their scenario changes.
 */
public final class W1ModelDefinition {
    /** The {@code seed-baseline} preset's seed: the initial weights here, and the shuffling in W2–W6, are drawn from it. */
    public static final long SEED = 42;
    /** 28×28 pixels, flattened. */
    public static final int INPUTS = 784;
    /** The tutorial's two hidden widths. */
    public static final int HIDDEN_1 = 128;
    public static final int HIDDEN_2 = 64;
    /** Ten digits. */
    public static final int CLASSES = 10;

    private W1ModelDefinition() {
    }

    /** One row of the summary. */
    public record LayerRow(int index, String type, long nIn, long nOut, String activation, long params) {
    }

    /**
     * @param conf        the configuration this walkthrough wrote
     * @param layers      one summary row per layer
     * @param totalParams parameters of the initialised network
     * @param summary     DL4J's {@code net.summary()}, the table this walkthrough prints
     */
    public record Result(MultiLayerConfiguration conf, List<LayerRow> layers, long totalParams, String summary, KerasCheck keras) {
    }

    /**
     * This network against the same model saved as Keras HDF5 and imported by DL4J.
     *
     * @param importedLayers  the imported network's layer types, in order
     * @param sameWeights     every parameter of the import equals this network's, bit for bit
     * @param maxStepDiff     after one Adam step on the same minibatch, the largest |difference| of a parameter
     * @param maxStep         the largest |change| of a parameter in that step (the scale maxStepDiff is compared with)
     */
    public record KerasCheck(List<String> importedLayers, boolean sameWeights, double maxStepDiff, double maxStep) {
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs.parse(args, 0, 1);   // nothing is trained here; the options are accepted for uniformity
        RuntimeTuning.applyDefaults();       // one OpenMP thread: on a network this small, per-op overhead beats parallelism (2-3x faster)
        MultiLayerConfiguration conf = configuration();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();                          // draws the weights from SEED: the same every run
        List<LayerRow> rows = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            FeedForwardLayer layer = (FeedForwardLayer) conf.getConf(i).getLayer();
            rows.add(new LayerRow(i, layer.getClass().getSimpleName(), layer.getNIn(), layer.getNOut(),
                    layer.getActivationFn().toString(), net.getLayer(i).numParams()));
        }
        Result result = new Result(conf, rows, net.numParams(), net.summary(), kerasCheck(net));   // DL4J's model.summary()
        print(result);
        return result;
    }

    /** The tutorial's model: {@link #kerasDefaults()} with the tutorial's three layers. */
    public static MultiLayerConfiguration configuration() {
        return tutorialLayers(kerasDefaults());
    }

    /**
     * The settings every layer inherits, each the Keras default the tutorial uses without writing it.
     * A later call of the same setter replaces the value, which is how W4–W6 change one thing.
     */
    public static NeuralNetConfiguration.Builder kerasDefaults() {
        return new NeuralNetConfiguration.Builder()
                .seed(SEED)                                        // fixed seed: the same initial weights every run
                .dataType(DataType.FLOAT)                          // float32, Keras' floatx()
                .updater(Adam.builder()                            // optimizer='adam', with Keras' defaults:
                        .learningRate(1e-3)                        //   learning_rate=0.001
                        .beta1(0.9)                                //   beta_1=0.9
                        .beta2(0.999)                              //   beta_2=0.999
                        .epsilon(1e-7)                             //   epsilon=1e-7 (DL4J's own default is 1e-8)
                        .build())
                .weightInit(WeightInit.XAVIER_UNIFORM)             // kernel_initializer='glorot_uniform': U(±√(6/(n_in+n_out)))
                .biasInit(0.0)                                     // bias_initializer='zeros'
                .gradientNormalization(GradientNormalization.None) // no clipnorm / clipvalue on the optimizer
                .gradientNormalizationThreshold(1.0)               // read only by the Clip* modes (W5 uses them)
                .l1(0.0)                                           // no kernel_regularizer ...
                .l2(0.0)                                           // ... of either kind
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)      // reuse workspace memory across steps instead of allocating per step
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);    // the same for output() and evaluate()
    }

    /** The tutorial's three layers on top of the given inherited settings. */
    public static MultiLayerConfiguration tutorialLayers(NeuralNetConfiguration.Builder inherited) {
        return inherited.list()
                .layer(0, new DenseLayer.Builder()                 // Dense(128, activation='relu', input_shape=(784,))
                        .nIn(INPUTS).nOut(HIDDEN_1).activation(Activation.RELU).build())
                .layer(1, new DenseLayer.Builder()                 // Dense(64, activation='relu')
                        .nIn(HIDDEN_1).nOut(HIDDEN_2).activation(Activation.RELU).build())
                .layer(2, new OutputLayer.Builder(LossFunction.MCXENT) // cross-entropy on one-hot labels = sparse_categorical_crossentropy on digits
                        .nIn(HIDDEN_2).nOut(CLASSES).activation(Activation.SOFTMAX).build()) // Dense(10, activation='softmax')
                .build();
    }

    /** Saves {@code net} as Keras HDF5, imports it with DL4J, and compares the two (see the class comment). */
    static KerasCheck kerasCheck(MultiLayerNetwork net) {
        Path h5 = null;
        try {
            h5 = Files.createTempFile("w1-seed-model", ".h5");
            KerasH5Writer.write(net, h5, KerasH5Writer.Options.tutorial());               // model.save('model.h5'), without TensorFlow
            MultiLayerNetwork imported = KerasImport.sequential(h5).network();            // KerasModelImport.importKerasSequentialModelAndWeights
            List<String> types = new ArrayList<>();
            for (var l : imported.getLayers()) types.add(l.conf().getLayer().getClass().getSimpleName());
            boolean same = java.util.Arrays.equals(flat(net.params()), flat(imported.params()));
            DataSet batch = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET).trainIterator(32, SEED, 1).next();
            MultiLayerNetwork ours = net.clone();
            float[] before = flat(ours.params());
            ours.fit(batch.getFeatures(), batch.getLabels());                                              // one-hot digits
            imported.fit(batch.getFeatures(), batch.getLabels().argMax(1).reshape(32, 1).castTo(DataType.FLOAT)); // digit indices
            float[] a = flat(ours.params()), b = flat(imported.params());
            double diff = 0, step = 0;
            for (int i = 0; i < a.length; i++) {
                diff = Math.max(diff, Math.abs(a[i] - b[i]));
                step = Math.max(step, Math.abs(a[i] - before[i]));
            }
            return new KerasCheck(types, same, diff, step);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (h5 != null) h5.toFile().delete();
        }
    }

    private static float[] flat(org.nd4j.linalg.api.ndarray.INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    private static void print(Result r) {
        BaseLayer first = (BaseLayer) r.conf().getConf(0).getLayer();
        System.out.println("DL4J's net.summary(), its counterpart of Keras' model.summary() for the tutorial's Sequential model:");
        System.out.print(r.summary());
        OutputLayer out = (OutputLayer) r.conf().getConf(r.layers().size() - 1).getLayer();
        System.out.println("  updater " + first.getIUpdater());
        System.out.println("  weights " + first.getWeightInitFn().getClass().getSimpleName() + ", biases " + first.getBiasInit()
                + ", loss " + out.getLossFn() + ", data type " + r.conf().getDataType() + ", seed " + r.conf().getConf(0).getSeed());
        System.out.println("Notice: each layer holds (n_in + 1) x n_out parameters, and almost all of them sit in the first"
                + " layer (784 x 128 weights); this is the network the seed-baseline preset trains.");
        KerasCheck k = r.keras();
        System.out.println("The same model saved as Keras 2 HDF5 and imported by DL4J's KerasModelImport: " + String.join(" -> ", k.importedLayers()));
        System.out.printf(Locale.ROOT, "  weights as stored: %s; after one Adam step on the same MNIST minibatch: max |difference| %.2e"
                + " (the step itself moved weights by up to %.2e)%n", k.sameWeights() ? "identical" : "DIFFERENT", k.maxStepDiff(), k.maxStep());
        System.out.println("  (DL4J maps Keras' last Dense(10, softmax) + sparse_categorical_crossentropy to DenseLayer(softmax) +"
                + " LossLayer(LossSparseMCXENT): digit indices as labels instead of one-hot; the same loss and gradient)");
    }
}
