package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.junit.jupiter.api.Test;

class W3ReadGradientsTest {

    @Test
    void globalClippingScalesEveryLayerByTauOverTheGlobalNorm() {
        W3ReadGradients.Result r = W3ReadGradients.run("--max-batches", "1");
        assertEquals(3, r.layers().size());
        double sumSq = 0;
        for (W3ReadGradients.LayerNorms l : r.layers()) sumSq += l.raw() * l.raw();
        assertEquals(Math.sqrt(sumSq), r.globalRaw(), 1e-5 * r.globalRaw(), "‖g‖ = sqrt(sum of squared layer norms)");
        assertTrue(r.globalRaw() > W3ReadGradients.CLIP_NORM, "the first glorot step is above 1 (1.80), so clipping acts");
        // tf.clip_by_global_norm: every layer times min(1, tau / ‖g‖), so the clipped global norm is tau
        double scale = Math.min(1, W3ReadGradients.CLIP_NORM / r.globalRaw());
        for (W3ReadGradients.LayerNorms l : r.layers()) assertEquals(l.raw() * scale, l.clipped(), 1e-5 * l.raw());
        assertEquals(W3ReadGradients.CLIP_NORM, r.globalClipped(), 1e-5);
        assertEquals(Math.log(10), r.loss(), 0.3, "an untrained 10-class softmax starts near ln 10");
    }

    @Test
    void theMonitorReadsWhatDl4jsGradientHolds() {
        W3ReadGradients.Result r = W3ReadGradients.run();
        assertEquals(List.of("0_W", "0_b", "1_W", "1_b", "2_W", "2_b"), List.copyOf(r.variables().keySet()));
        for (int l = 0; l < 3; l++) {
            double w = r.variables().get(l + "_W");
            double b = r.variables().get(l + "_b");
            assertEquals(Math.sqrt(w * w + b * b), r.layers().get(l).raw(), 1e-5 * r.layers().get(l).raw(), "layer " + l);
        }
        assertEquals(r.directLoss(), r.loss(), 1e-6, "same batch, same starting weights, same loss");
    }

    /**
     * Healthy: nothing at DL4J's 1e-10 clip, loss_exact = DL4J's loss. Exploded (every parameter x4): some
     * examples at the clip, DL4J's loss capped by 23.03 per example while the exact loss is larger.
     */
    @Test
    void dl4jsLossUnderReadsExplodedLogitsAndLossExactDoesNot() {
        W3ReadGradients.Result r = W3ReadGradients.run();
        W3ReadGradients.LossReading healthy = r.healthyLoss();
        assertEquals(0.0, healthy.saturatedFraction(), 0.0);
        assertEquals(healthy.loss(), healthy.lossExact(), 1e-5 * healthy.loss());
        W3ReadGradients.LossReading exploded = r.explodedLoss();
        assertTrue(exploded.saturatedFraction() > 0, "exploded logits put examples at the clip");
        assertTrue(exploded.loss() <= -Math.log(1e-10) + 1e-4, "DL4J's loss never exceeds 23.03");
        assertTrue(exploded.lossExact() > exploded.loss() + 1, "the exact loss is what the clip hid: " + exploded);
    }

    /**
     * The output layer's gradient by hand, from the forward pass alone: for softmax + cross-entropy
     * ∂L/∂z = p − y per example, so on the mean-loss scale g_b = Σ_rows (p − y) / k and g_W = hᵀ(p − y) / k,
     * h = the last hidden layer's activations.
     */
    @Test
    void outputLayerGradientEqualsSoftmaxMinusOneHot() {
        W3ReadGradients.Result r = W3ReadGradients.run();
        DataSet batch = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET)
                .trainIterator(W2LoadMnist.BATCH_SIZE, W1ModelDefinition.SEED, 1).next();
        MultiLayerNetwork net = new MultiLayerNetwork(W1ModelDefinition.configuration());
        net.init();
        List<INDArray> acts = net.feedForward(batch.getFeatures(), false);   // input, layer 0, layer 1, softmax output
        INDArray delta = acts.get(3).sub(batch.getLabels());
        double k = batch.numExamples();
        double gb = delta.sum(0).norm2Number().doubleValue() / k;
        double gw = acts.get(2).transpose().mmul(delta).norm2Number().doubleValue() / k;
        assertEquals(gb, r.variables().get("2_b"), 1e-4 * gb);
        assertEquals(gw, r.variables().get("2_W"), 1e-4 * gw);
    }
}
