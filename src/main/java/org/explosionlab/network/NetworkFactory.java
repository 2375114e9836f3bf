package org.explosionlab.network;

import java.util.List;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.explosionlab.spec.ExperimentSpec;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds the multilayer perceptron an {@link ExperimentSpec} describes: {@code DenseLayer}s for the
 * hidden sizes and an {@code OutputLayer} for the last, every toggle set on the global builder so that
 * each layer inherits it. For the seed spec this is the Keras model
 * {@code Sequential([Dense(128, relu), Dense(64, relu), Dense(10, softmax)])}.
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    /** The configuration, layer by layer (no parameters yet). */
    public static MultiLayerConfiguration configuration(ExperimentSpec s) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(s.training().seed())                       // weights drawn from the spec's seed: same spec, same start
                .dataType(DataType.FLOAT)              // float32, like Keras and the golden fixtures
                .updater(UpdaterFactory.create(s))
                .biasInit(s.init().biasInit())
                .gradientNormalization(s.regularization().gradientNormalization())
                .gradientNormalizationThreshold(s.regularization().gradientNormalizationThreshold())
                .l1(s.regularization().l1())
                .l2(s.regularization().l2())
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)     // DL4J reuses its working memory from step to step instead of allocating
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);   // the same for output() / evaluation
        if (s.init().weightInit() == WeightInit.DISTRIBUTION) b.weightInit(WeightInitFactory.weightInit(s.init().weightInitDistribution()));
        else b.weightInit(s.init().weightInit());
        if (s.regularization().constraint() != null) {
            LayerConstraint c = ConstraintFactory.create(s.regularization().constraint());
            b.constrainWeights(c);
            if (s.regularization().constraint().biases()) b.constrainBias(ConstraintFactory.create(s.regularization().constraint()));
        }
        var list = b.list();
        List<Integer> sizes = s.layers().layerSizes();
        List<Activation> acts = s.layers().activations();
        int last = sizes.size() - 2;
        for (int i = 0; i < last; i++) {
            list.layer(i, new DenseLayer.Builder().nIn(sizes.get(i)).nOut(sizes.get(i + 1)).activation(acts.get(i)).build());
        }
        list.layer(last, new OutputLayer.Builder(s.layers().lossFunction()).nIn(sizes.get(last)).nOut(sizes.get(last + 1))
                .activation(acts.get(last)).build());
        return list.build();
    }

    /** The initialised network: DL4J's own {@link MultiLayerNetwork}, parameters drawn from the spec's seed. */
    public static MultiLayerNetwork build(ExperimentSpec s) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(s));
        net.init();
        return net;
    }
}
