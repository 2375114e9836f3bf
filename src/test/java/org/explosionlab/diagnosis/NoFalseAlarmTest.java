package org.explosionlab.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The checks on well-configured networks in deeplearning4j-examples' style (LeNet on 4-d images, an LSTM on
 * variable-length masked sequences): no severe finding and no warning, so a finding means something. And the
 * 3-d label path: a NaN at a masked time step is still caught.
 */
class NoFalseAlarmTest {

    /** dl4j-examples' LeNetMNIST: conv 5x5 20 identity, max pool, conv 5x5 50 identity, max pool, dense 500 relu, softmax. */
    private static MultiLayerConfiguration lenet() {
        return new NeuralNetConfiguration.Builder().seed(123).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(20).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1)).build();
    }

    @Test
    void lenetOnImagesInZeroOne() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) y.putScalar(i, i % 10, 1);
        Diagnosis d = Diagnosis.of(lenet(), Nets.iterator(x, y, 16));
        assertEquals(List.of(), d.findings().stream().filter(f -> f.severity() != Severity.INFO).toList(), d::toText);
        assertEquals(13, d.checksRun().size());
    }

    /** dl4j-examples' sequence classification: LSTM tanh, clipped element-wise, RnnOutputLayer softmax, masked time steps. */
    private static MultiLayerConfiguration lstm() {
        return new NeuralNetConfiguration.Builder().seed(123).updater(new Adam(5e-3)).weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(0.5).list()
                .layer(new LSTM.Builder().activation(Activation.TANH).nIn(3).nOut(10).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(10).nOut(4).build()).build();
    }

    /** 8 sequences of length 6, the last 2 steps of every other one padded: features 0, labels all-zero, mask 0. */
    private static DataSet sequences(boolean nanAtAMaskedStep) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 6).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4, 6);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 8, 6);
        for (int i = 0; i < 8; i++) {
            for (int t = 0; t < 6; t++) {
                boolean padded = i % 2 == 1 && t >= 4;
                if (padded) {
                    mask.putScalar(i, t, 0);
                    x.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.point(t)).assign(0);
                } else {
                    y.putScalar(new int[] {i, (i + t) % 4, t}, 1);
                }
            }
        }
        if (nanAtAMaskedStep) y.putScalar(new int[] {1, 2, 5}, Double.NaN);
        return new DataSet(x, y, mask, mask);
    }

    @Test
    void maskedSequencesWithAllZeroPaddedLabels() {
        Diagnosis d = Diagnosis.of(lstm(), new ExistingDataSetIterator(List.of(sequences(false))));
        assertEquals(List.of(), d.findings().stream().filter(f -> f.severity() != Severity.INFO).toList(), d::toText);
    }

    @Test
    void aNaNLabelAtAMaskedTimeStepIsSevere() {
        Diagnosis d = Diagnosis.of(lstm(), new ExistingDataSetIterator(List.of(sequences(true))));
        Finding f = d.findings(Check.LABELS_INVALID).get(0);
        assertEquals(Severity.SEVERE, f.severity());
        assertEquals(1.0, f.numbers().get("nonFiniteUnderMask"), 0);
        assertTrue(f.saw().contains("all of them under the label mask"), f.saw());
    }

    @Test
    void numbersAreWrittenPlainly() {
        assertEquals("1e-4", Numbers.fmt(1e-4));
        assertEquals("0.03", Numbers.fmt(0.03));
        assertEquals("19.8", Numbers.fmt(19.799));
        assertEquals("1.267e5", Numbers.fmt(126_700));
    }
}
