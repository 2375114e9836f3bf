package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Hand-built DL4J networks (not made by this project's {@code NetworkFactory}) and minibatches of the
 * embedded MNIST, shared by the monitor's integration tests.
 */
final class MonitorTestNets {
    private MonitorTestNets() {
    }

    private static final class Mnist {
        static final MnistLikeDataset DATA = DatasetResolver.resolve("mnist-embedded");
    }

    static MnistLikeDataset mnist() {
        return Mnist.DATA;
    }

    /** The first {@code n} shuffled minibatches of size {@code k}, each copied (the iterator's batches are views of a reused buffer). */
    static List<DataSet> mnistBatches(int k, long seed, int n) {
        DataSetIterator it = mnist().trainIterator(k, seed, n);
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            DataSet d = it.next();
            out.add(new DataSet(d.getFeatures().dup(), d.getLabels().dup()));
        }
        if (out.size() != n) throw new IllegalStateException("expected " + n + " batches, got " + out.size());
        return out;
    }

    /** LeNet-style: conv 5×5 (6 channels) → max pool 2×2 → dense 32 → softmax 10, on flat 28×28 inputs. */
    static MultiLayerNetwork lenet(long seed, IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).stride(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        return init(conf);
    }

    /** Two convolutions, so that a kernel has nIn > 1: conv 5×5 (1→4) → max pool → conv 3×3 (4→6) → dense 16 → softmax 10. */
    static MultiLayerNetwork twoConv(long seed, IUpdater updater) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
        return init(conf);
    }

    /**
     * Dense with BatchNormalization and dropout: dense 784→64 (dropOut(0.9) on its input: DL4J's argument
     * is the <em>retain</em> probability) → BatchNorm → ReLU → DropoutLayer(0.7) → dense 32 → softmax 10.
     * Layers 0, 1, 4 and 5 hold parameters.
     */
    static MultiLayerNetwork denseBnDropout(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(64).activation(Activation.IDENTITY).dropOut(0.9).build())
                .layer(new BatchNormalization.Builder().nOut(64).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new DropoutLayer.Builder(0.7).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        return init(conf);
    }

    /** Dense 784→32→16→10 with DL4J's {@code GradientNormalization} on every layer. */
    static MultiLayerNetwork denseWithNormalization(long seed, GradientNormalization mode, double threshold) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .gradientNormalization(mode).gradientNormalizationThreshold(threshold).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(32).nOut(16).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(16).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        return init(conf);
    }

    /** A plain dense 784→32→10 with Adam. */
    static MultiLayerNetwork dense(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(784).nOut(32).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(32).nOut(10).activation(Activation.SOFTMAX).build())
                .build();
        return init(conf);
    }

    /** LSTM(3→8) → RnnOutputLayer(8→2, softmax), for sequences [k, 3, T]. */
    static MultiLayerNetwork lstm(long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER).list()
                .layer(new LSTM.Builder().nIn(3).nOut(8).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(8).nOut(2).activation(Activation.SOFTMAX).build())
                .build();
        return init(conf);
    }

    /**
     * Synthetic sequences for {@link #lstm}: features [k, 3, T] uniform in [-1, 1] from {@code java.util.Random},
     * label at step t = whether the running sum of feature 0 up to t is positive (one-hot [k, 2, T]).
     */
    static DataSet sequences(int k, int steps, long seed) {
        Random r = new Random(seed);
        float[][][] x = new float[k][3][steps];
        float[][][] y = new float[k][2][steps];
        for (int i = 0; i < k; i++) {
            double sum = 0;
            for (int t = 0; t < steps; t++) {
                for (int f = 0; f < 3; f++) x[i][f][t] = (float) (2 * r.nextDouble() - 1);
                sum += x[i][0][t];
                y[i][sum > 0 ? 1 : 0][t] = 1f;
            }
        }
        return new DataSet(Nd4j.create(x), Nd4j.create(y));
    }

    private static MultiLayerNetwork init(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** A deep copy of every array of {@code table}, in the same order. */
    static Map<String, INDArray> dupAll(Map<String, INDArray> table) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        table.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /** ‖a‖₂ computed in double. */
    static double l2(INDArray a) {
        return a.castTo(DataType.DOUBLE).norm2Number().doubleValue();
    }

    /** ‖a − b‖₂ computed in double. */
    static double l2Diff(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
    }
}
