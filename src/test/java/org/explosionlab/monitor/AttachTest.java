package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** What a user of the library meets first: attaching to an uninitialised network, and a run directory that does not exist yet. */
class AttachTest {
    private static MultiLayerNetwork tiny() {
        return new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(3).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
    }

    @Test
    void anUninitialisedNetworkGetsOneClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExplosionMonitor.attach(tiny()));
        assertEquals("the network is not initialised: call net.init() before ExplosionMonitor.attach(net)", e.getMessage());
    }

    /** Issue 28 #21: a remedy on an uninitialised network was a bare NullPointerException. */
    @Test
    void aRemedyOnAnUninitialisedNetworkGetsOneClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Remedies.globalNorm(1).installOn(tiny()));
        assertEquals("call net.init() before installing on the network", e.getMessage());
        IllegalStateException g = assertThrows(IllegalStateException.class, () -> ExplosionMonitor.attach(
                new org.deeplearning4j.nn.graph.ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                        .addLayer("out", new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX).build(), "in")
                        .setOutputs("out").build())));
        assertEquals("the network is not initialised: call net.init() before ExplosionMonitor.attach(net)", g.getMessage());
    }

    @Test
    void aRunDirectoryThatDoesNotExistIsCreated(@TempDir Path tmp) throws Exception {
        MultiLayerNetwork net = tiny();
        net.init();
        Path dir = tmp.resolve("runs/mine");
        try (ExplosionMonitor m = ExplosionMonitor.builder().runDirectory(dir).attach(net)) {
            Nd4j.getRandom().setSeed(7);
            net.fit(new DataSet(Nd4j.rand(8, 4), Nd4j.create(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}, {1, 0}, {0, 1}})));
            assertEquals(1, m.metrics().size());
        }
        assertEquals(1, Files.readAllLines(dir.resolve("metrics.jsonl")).size());
        assertTrue(Files.readAllLines(dir.resolve("metrics.csv")).get(0).startsWith("iteration,"));
    }
}
