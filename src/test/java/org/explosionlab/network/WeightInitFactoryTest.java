package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.distribution.LogNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.explosionlab.spec.DistributionSpec;
import org.explosionlab.spec.ExperimentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code weightInit = DISTRIBUTION}: each {@link DistributionSpec} becomes a
 * {@link WeightInitDistribution} of the matching DL4J distribution (orthogonal: {@link OrthogonalWeightInit})
 * on every layer, and the initialised weights of the first layer (784×128 = 100,352 draws) have that
 * distribution's moments, bounds or structure.
 */
class WeightInitFactoryTest {

    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("{'type': 'normal', 'mean': 0.1, 'std': 0.5}", new WeightInitDistribution(new NormalDistribution(0.1, 0.5))),
                Arguments.of("{'type': 'uniform', 'lower': -0.2, 'upper': 0.3}", new WeightInitDistribution(new UniformDistribution(-0.2, 0.3))),
                Arguments.of("{'type': 'truncated_normal', 'mean': 0, 'std': 0.05}", new WeightInitDistribution(new TruncatedNormalDistribution(0, 0.05))),
                Arguments.of("{'type': 'log_normal', 'mean': -3, 'std': 0.5}", new WeightInitDistribution(new LogNormalDistribution(-3, 0.5))),
                Arguments.of("{'type': 'orthogonal', 'gain': 2}", new OrthogonalWeightInit(2)),
                Arguments.of("{'type': 'constant', 'value': 0.01}", new WeightInitDistribution(new ConstantDistribution(0.01))));
    }

    private static ExperimentSpec withDistribution(String json) {
        return TestSpecs.seedWith("{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': " + json + "}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void everyLayerDrawsFromTheMatchingInitialiser(String json, IWeightInit expected) {
        for (BaseLayer l : TestSpecs.layers(withDistribution(json))) assertEquals(expected, l.getWeightInitFn());
    }

    private static INDArray firstLayerWeights(String json) {
        return NetworkFactory.build(withDistribution(json)).getLayer(0).getParam("W").castTo(DataType.DOUBLE);
    }

    @Test
    void normalHasItsMeanAndStd() {
        INDArray w = firstLayerWeights("{'type': 'normal', 'mean': 0.1, 'std': 0.5}");
        assertEquals(0.1, w.meanNumber().doubleValue(), 0.01);         // standard error 0.5/√100352 = 0.0016
        assertEquals(0.5, w.stdNumber().doubleValue(), 0.01);
    }

    @Test
    void badInitPresetDrawsStandardNormalWeights() {
        INDArray w = NetworkFactory.build(org.explosionlab.spec.Presets.load("bad-init")).getLayer(0).getParam("W");
        assertEquals(1.0, w.stdNumber().doubleValue(), 0.02);
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.02);
    }

    @Test
    void uniformStaysInsideItsBoundsAndFillsThem() {
        INDArray w = firstLayerWeights("{'type': 'uniform', 'lower': -0.2, 'upper': 0.3}");
        assertTrue(w.minNumber().doubleValue() >= -0.2 - 1e-7 && w.minNumber().doubleValue() < -0.199, "min " + w.minNumber());
        assertTrue(w.maxNumber().doubleValue() <= 0.3 + 1e-7 && w.maxNumber().doubleValue() > 0.299, "max " + w.maxNumber());
        assertEquals(0.05, w.meanNumber().doubleValue(), 0.003);
        assertEquals(0.5 / Math.sqrt(12), w.stdNumber().doubleValue(), 0.003);   // (upper − lower)/√12
    }

    @Test
    void truncatedNormalStaysWithinTwoStandardDeviations() {
        INDArray w = firstLayerWeights("{'type': 'truncated_normal', 'mean': 0, 'std': 0.05}");
        double maxAbs = Math.max(w.maxNumber().doubleValue(), -w.minNumber().doubleValue());
        assertTrue(maxAbs <= 0.1 + 1e-6, "max |w| " + maxAbs + " beyond 2σ = 0.1");
        assertTrue(maxAbs > 0.09, "max |w| " + maxAbs);
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.001);
    }

    @Test
    void logNormalHasPositiveWeightsWhoseLogsHaveTheMeanAndStd() {
        INDArray w = firstLayerWeights("{'type': 'log_normal', 'mean': -3, 'std': 0.5}");
        assertTrue(w.minNumber().doubleValue() > 0);
        INDArray logs = Transforms.log(w, true);
        assertEquals(-3.0, logs.meanNumber().doubleValue(), 0.01);
        assertEquals(0.5, logs.stdNumber().doubleValue(), 0.01);
    }

    @Test
    void orthogonalHasOrthogonalColumnsScaledByTheGainInEveryLayer() {
        // W is [nIn, nOut] with nIn > nOut in every layer: its nOut columns are orthonormal times the gain, WᵀW = gain²·I
        MultiLayerNetwork net = NetworkFactory.build(withDistribution("{'type': 'orthogonal', 'gain': 2}"));
        for (int i = 0; i < 3; i++) {
            INDArray w = net.getLayer(i).getParam("W").castTo(DataType.DOUBLE);
            INDArray gram = w.transpose().mmul(w);
            INDArray expected = Nd4j.eye(w.columns()).castTo(DataType.DOUBLE).muli(4.0);
            double maxDiff = Transforms.abs(gram.sub(expected)).maxNumber().doubleValue();
            assertTrue(maxDiff < 1e-5, "layer " + i + ": WᵀW differs from 4·I by " + maxDiff);
        }
    }

    @Test
    void orthogonalOfAWideMatrixHasOrthonormalRows() {
        INDArray view = Nd4j.create(DataType.FLOAT, 1, 3 * 7);
        INDArray w = new OrthogonalWeightInit(1.5).init(3, 7, new long[] {3, 7}, 'f', view).castTo(DataType.DOUBLE);
        INDArray gram = w.mmul(w.transpose());
        double maxDiff = Transforms.abs(gram.sub(Nd4j.eye(3).castTo(DataType.DOUBLE).muli(2.25))).maxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "WWᵀ differs from 2.25·I by " + maxDiff);
    }

    @Test
    void orthogonalIsReproducibleFromTheSeed() {
        String json = "{'type': 'orthogonal', 'gain': 1}";
        INDArray a = NetworkFactory.build(withDistribution(json)).params();
        INDArray b = NetworkFactory.build(withDistribution(json)).params();
        INDArray c = NetworkFactory.build(TestSpecs.seedWith("{'seed': 7, 'weightInit': 'DISTRIBUTION', 'weightInitDistribution': "
                + json + "}")).params();
        assertEquals(a, b, "same seed, same weights");
        assertNotEquals(a, c, "another seed, other weights");
    }

    @Test
    void orthogonalConfigurationSurvivesDl4jJson() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(withDistribution("{'type': 'orthogonal', 'gain': 3}"));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        for (BaseLayer l : TestSpecs.layers(back)) assertEquals(new OrthogonalWeightInit(3), l.getWeightInitFn());
    }

    @Test
    void constantSetsEveryWeight() {
        INDArray w = firstLayerWeights("{'type': 'constant', 'value': 0.01}");
        assertEquals(0.01, w.minNumber().doubleValue(), 1e-9);
        assertEquals(0.01, w.maxNumber().doubleValue(), 1e-9);
    }

    @Test
    void factoryMapsParametersOneToOne() {
        assertEquals(new NormalDistribution(-1, 3), WeightInitFactory.distribution(new DistributionSpec.Normal(-1, 3)));
        assertEquals(new UniformDistribution(-1, 3), WeightInitFactory.distribution(new DistributionSpec.Uniform(-1, 3)));
        assertEquals(new TruncatedNormalDistribution(-1, 3), WeightInitFactory.distribution(new DistributionSpec.TruncatedNormal(-1, 3)));
        assertEquals(new LogNormalDistribution(-1, 3), WeightInitFactory.distribution(new DistributionSpec.LogNormal(-1, 3)));
        assertEquals(new ConstantDistribution(3), WeightInitFactory.distribution(new DistributionSpec.Constant(3)));
        assertEquals(new OrthogonalWeightInit(3), WeightInitFactory.weightInit(new DistributionSpec.Orthogonal(3)));
        assertEquals(new WeightInitDistribution(new NormalDistribution(-1, 3)), WeightInitFactory.weightInit(new DistributionSpec.Normal(-1, 3)));
        assertThrows(IllegalArgumentException.class, () -> WeightInitFactory.distribution(new DistributionSpec.Orthogonal(3)),
                "DL4J's OrthogonalDistribution must not be used");
    }
}
