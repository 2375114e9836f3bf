package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code loss_exact} and {@code loss_saturated_fraction} against numpy on the golden fixture
 * {@code golden/healthy} with every parameter multiplied by 4 and by 8 (deep saturation: most of the
 * minibatch past DL4J's clip). Powers of two are exact in float32, so the scaled parameters are exactly
 * the ones the reference used. The fixtures as they are (loss, {@code loss_dl4j}, {@code loss_exact},
 * saturated fraction, gradients) are checked by {@link GoldenGradientTest}, for every fixture directory.
 *
 * <p>Expected values for the scaled cases: numpy 2.4.6 in float64 from the fixture's float32 .npy files
 * (P = every {@code l_W}, {@code l_b} times s; h = x; h = relu(h·W + b) twice; z = h·W₂ + b₂;
 * ℓ_i = logsumexp(z_i) − z_i,true with the max subtracted; loss_exact = mean ℓ_i). Saturated: ℓ_i ≥
 * −ln float32(1e-10) = 23.025850916589025 (the closest example to that line is 0.28 away, so float32
 * rounding cannot move it across). DL4J's clipped loss: mean of min(ℓ_i, 23.025850916589025).
 */
class LossExactGoldenTest {
    private static final double REL = 1e-4;

    @ParameterizedTest(name = "parameters x{0}")
    @CsvSource({
            // scale, numpy exact loss, saturated of 32, DL4J's clipped loss (x1: GoldenGradientTest, fixture healthy)
            "4, 36.85996182261131, 21, 19.121907464292264",     // exploded logits: DL4J reads about half
            "8, 294.3540211530455, 31, 22.306293075445616"})    // 31 of 32 examples at DL4J's 23.03 ceiling
    void lossExactMatchesTheReferenceCrossEntropy(int scale, double exact, int saturated, double clipped) throws Exception {
        IterationMetrics m = step(scale);
        assertEquals(exact, m.lossExact(), REL * exact, "loss_exact vs the float64 reference");
        assertEquals(saturated / 32.0, m.lossSaturatedFraction(), 0.0, "examples with p_true <= 1e-10");
        assertEquals(clipped, m.loss(), REL * clipped, "DL4J's score is the clipped cross-entropy");
    }

    /** One real DL4J step (SGD 0.1, no regularisation) on the fixture's minibatch with every parameter times {@code scale}. */
    private static IterationMetrics step(int scale) throws URISyntaxException {
        Path dir = Paths.get(LossExactGoldenTest.class.getResource("/golden/healthy").toURI());
        ExperimentSpec spec = SpecOverrides.apply(Presets.load("seed-baseline"),
                List.of("updater=SGD", "learningRate=0.1", "batchSize=32"));
        MultiLayerNetwork net = NetworkFactory.build(spec);
        ExplosionMonitor monitor = ExplosionMonitor.attach(net);
        for (String key : net.paramTable().keySet()) {
            INDArray p = Nd4j.createFromNpyFile(dir.resolve(key + ".npy").toFile()).castTo(net.getParam(key).dataType());
            net.setParam(key, p.mul(scale));
        }
        net.fit(new DataSet(Nd4j.createFromNpyFile(dir.resolve("x.npy").toFile()),
                Nd4j.createFromNpyFile(dir.resolve("y.npy").toFile())));
        assertEquals(1, monitor.metrics().size());
        return monitor.metrics().get(0);
    }
}
