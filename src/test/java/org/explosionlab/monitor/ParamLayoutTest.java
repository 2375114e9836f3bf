package org.explosionlab.monitor;

import org.explosionlab.monitor.TinyLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@link ParamLayout} against the hand-written layout and against DL4J's own parameter views. */
class ParamLayoutTest {

    @Test
    void denseLayoutOfTwoTwoOneIsTheHandWrittenOne() {
        ParamLayout layout = ParamLayout.ofDenseLayers(List.of(2, 2, 1));
        assertEquals(TinyLayout.LAYOUT, layout);
        assertEquals(9, layout.length());           // 2·2 + 2 + 2·1 + 1
        assertEquals(2, layout.layers());
        assertEquals(List.of("0_W", "0_b", "1_W", "1_b"), layout.keys());
    }

    /**
     * Fills a real DL4J 3-4-2 network's flattened parameters with 0, 1, 2, … and reads them back
     * through DL4J's per-parameter views: W(i, j) must be element offset + i + j·nIn (column-major,
     * so column j — the weights into unit j — is contiguous), b(j) element offset + j.
     */
    @Test
    void matchesDl4jsFlattenedParameters() {
        List<Integer> sizes = List.of(3, 4, 2);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        ParamLayout layout = ParamLayout.ofDenseLayers(sizes);
        assertEquals(layout, ParamLayout.of(net), "read from DL4J's paramTable()");
        assertEquals(layout.length(), net.numParams());
        net.setParams(Nd4j.arange(0, net.numParams()).castTo(DataType.FLOAT).reshape(1, net.numParams()));
        for (ParamLayout.Param p : layout.params()) {
            INDArray view = net.getParam(p.key());
            assertEquals(p.length(), view.length(), p.key());
            boolean bias = p.key().endsWith("_b");
            int rows = bias ? 1 : p.unitLength();
            int cols = bias ? p.length() : p.units();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double dl4j = bias ? view.reshape(p.length()).getDouble(j) : view.getDouble(i, j);
                    assertEquals(p.offset() + i + j * rows, dl4j, 0.0, p.key() + "(" + i + ", " + j + ")");
                }
            }
        }
    }
}
