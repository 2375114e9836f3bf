package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.explosionlab.detection.Warning;
import org.explosionlab.detection.WarningRule;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The user trial's Adam 0.3 run (MLP 20-64-64 ReLU, batch 32) through real DL4J training: the preconditioned
 * sharpness is measured from iteration 0, but not judged before Adam's second moment has warmed up, and a
 * sharpness warning advises 38/λ_p, not SGD's 2/λ.
 */
class AdamSharpnessWarmupTrainingTest {

    @Test
    void noAdamSharpnessWarningBeforeTheWarmUpAndTheAdviceIsAdams() {
        List<DataSet> train = UserTrialVerdictTest.blobs(32 * 40, 32, 3);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(12).updater(new Adam(0.3))
                .weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(64).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(64).nOut(4).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        ExplosionMonitor monitor = ExplosionMonitor.builder().keepMetrics(true).instruments(true).sharpnessEvery(1)
                .logEvents(false).attach(net);
        net.fit(new ExistingDataSetIterator(train), 1);                 // 40 iterations

        List<IterationMetrics> rows = monitor.metrics();
        assertNotNull(rows.get(0).sharpness(), "measured at iteration 0");
        boolean earlyOverLimit = rows.stream().anyMatch(m -> m.iteration() < WarningRule.ADAM_SHARPNESS_WARMUP
                && m.sharpness() != null && m.sharpness() >= m.sharpnessLimit());
        assertTrue(earlyOverLimit, "the early preconditioned sharpness is over 38/η: the old rule warned here");
        List<Warning> sharp = monitor.warnings().stream().filter(w -> w.signal().equals(WarningRule.SHARPNESS)).toList();
        assertFalse(sharp.stream().anyMatch(w -> w.iteration() < WarningRule.ADAM_SHARPNESS_WARMUP), sharp.toString());
        assertFalse(sharp.isEmpty(), "this run (λ_p ≈ 8e5 at iteration 0) still crosses 38/η after the warm-up");
        for (Warning w : sharp) {
            assertTrue(w.advice().contains("below 38/λ_p = " + String.format(java.util.Locale.ROOT, "%.3g", 38 / w.value())),
                    w.advice());                                            // c = η × limit = 0.3 × 38/0.3
            assertFalse(w.advice().contains("2/λ ") || w.advice().contains("--set"), w.advice());
        }
    }
}
