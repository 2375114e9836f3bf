package org.explosionlab.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small configurations and in-memory data for the diagnosis tests, built the way the DL4J threads build them. */
final class Nets {
    static final long SEED = 12345;

    private Nets() {
    }

    /** A dense classifier nIn-hidden-nOut, relu hidden, softmax + MCXENT output, the given updater and init. */
    static MultiLayerConfiguration classifier(int nIn, int hidden, int nOut, IUpdater updater, WeightInit init) {
        return new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT).updater(updater).weightInit(init).list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(hidden).nOut(nOut).activation(Activation.SOFTMAX).build())
                .build();
    }

    static MultiLayerConfiguration classifier(IUpdater updater) {
        return classifier(20, 16, 3, updater, WeightInit.XAVIER);
    }

    /** n rows of nIn features in [0, 1) and one-hot labels of nOut classes (seeded). */
    static List<DataSet> classes(int n, int nIn, int nOut) {
        Random r = new Random(SEED);
        float[][] x = new float[n][nIn];
        float[][] y = new float[n][nOut];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < nIn; j++) x[i][j] = r.nextFloat();
            y[i][r.nextInt(nOut)] = 1;
        }
        return List.of(new DataSet(Nd4j.createFromArray(x), Nd4j.createFromArray(y)));
    }

    /** The rows of {@code data} in minibatches of {@code batch}. */
    static DataSetIterator iterator(List<DataSet> data, int batch) {
        List<DataSet> rows = new ArrayList<>();
        for (DataSet d : data) rows.addAll(d.asList());
        return new ListDataSetIterator<>(rows, batch);
    }

    static DataSetIterator iterator(INDArray features, INDArray labels, int batch) {
        return iterator(List.of(new DataSet(features, labels)), batch);
    }

    static IUpdater adam() {
        return new Adam(1e-3);
    }
}
