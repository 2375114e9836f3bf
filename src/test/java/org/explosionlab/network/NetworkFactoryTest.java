package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.MinMaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.constraint.UnitNormConstraint;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitConstant;
import org.deeplearning4j.nn.weights.WeightInitLecunUniform;
import org.deeplearning4j.nn.weights.WeightInitNormal;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitReluUniform;
import org.deeplearning4j.nn.weights.WeightInitSigmoidUniform;
import org.deeplearning4j.nn.weights.WeightInitUniform;
import org.deeplearning4j.nn.weights.WeightInitVarScalingNormalFanAvg;
import org.deeplearning4j.nn.weights.WeightInitVarScalingNormalFanIn;
import org.deeplearning4j.nn.weights.WeightInitVarScalingNormalFanOut;
import org.deeplearning4j.nn.weights.WeightInitVarScalingUniformFanAvg;
import org.deeplearning4j.nn.weights.WeightInitVarScalingUniformFanIn;
import org.deeplearning4j.nn.weights.WeightInitVarScalingUniformFanOut;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.deeplearning4j.nn.weights.WeightInitXavierLegacy;
import org.deeplearning4j.nn.weights.WeightInitXavierUniform;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.impl.LossHinge;
import org.nd4j.linalg.lossfunctions.impl.LossKLD;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

/**
 * Every spec toggle reaches the {@code MultiLayerConfiguration} {@link NetworkFactory} builds, checked
 * layer by layer on DL4J's own configuration objects: sizes, activations, loss, weight init, bias init,
 * gradient normalization, L1/L2 and constraints. Expected values are written out here (from the spec
 * and from DL4J's documented mapping), and initialised parameters are checked against the init
 * formulas (Glorot & Bengio 2010, He et al. 2015).
 */
class NetworkFactoryTest {
    private static final ExperimentSpec SEED = Presets.load("seed-baseline");

    @Test
    void seedBaselineIsDenseDenseOutputWith784To128To64To10() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(SEED);
        List<BaseLayer> layers = TestSpecs.layers(conf);
        assertEquals(3, layers.size());
        assertInstanceOf(DenseLayer.class, layers.get(0));
        assertInstanceOf(DenseLayer.class, layers.get(1));
        OutputLayer out = assertInstanceOf(OutputLayer.class, layers.get(2));
        long[][] inOut = {{784, 128}, {128, 64}, {64, 10}};
        for (int i = 0; i < 3; i++) {
            var ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layers.get(i);
            assertEquals(inOut[i][0], ff.getNIn(), "nIn of layer " + i);
            assertEquals(inOut[i][1], ff.getNOut(), "nOut of layer " + i);
        }
        assertInstanceOf(ActivationReLU.class, layers.get(0).getActivationFn());
        assertInstanceOf(ActivationReLU.class, layers.get(1).getActivationFn());
        assertInstanceOf(ActivationSoftmax.class, out.getActivationFn());
        assertInstanceOf(LossMCXENT.class, out.getLossFn());
        assertEquals(DataType.FLOAT, conf.getDataType());
        for (int i = 0; i < 3; i++) assertEquals(42L, conf.getConf(i).getSeed(), "seed of layer " + i);
        for (BaseLayer l : layers) {
            assertEquals(new WeightInitXavierUniform(), l.getWeightInitFn());
            assertEquals(0.0, l.getBiasInit());
            assertEquals(GradientNormalization.None, l.getGradientNormalization());
            assertTrue(l.getRegularization().isEmpty(), "no L1/L2 at 0");
            assertTrue(l.getRegularizationBias().isEmpty());
            assertTrue(l.getConstraints() == null || l.getConstraints().isEmpty());
        }
    }

    @Test
    void parameterCountOfTheSeedModelMatchesHandCount() {
        MultiLayerNetwork net = NetworkFactory.build(SEED);
        // (784·128 + 128) + (128·64 + 64) + (64·10 + 10) = 100480 + 8256 + 650
        assertEquals(109_386, net.numParams());
    }

    @Test
    void eachLayerGetsItsOwnActivation() {
        ExperimentSpec s = TestSpecs.seedWith("{'layerSizes': [784, 40, 30, 20, 16, 12, 10],"
                + " 'activations': ['TANH', 'SIGMOID', 'LEAKYRELU', 'ELU', 'IDENTITY', 'SOFTMAX']}");
        List<BaseLayer> layers = TestSpecs.layers(s);
        List<Class<?>> expected = List.of(ActivationTanH.class, ActivationSigmoid.class, ActivationLReLU.class,
                ActivationELU.class, ActivationIdentity.class, ActivationSoftmax.class);
        assertEquals(6, layers.size());
        int[] sizes = {784, 40, 30, 20, 16, 12, 10};
        for (int i = 0; i < 6; i++) {
            assertEquals(expected.get(i), layers.get(i).getActivationFn().getClass(), "layer " + i);
            var ff = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layers.get(i);
            assertEquals(sizes[i], ff.getNIn());
            assertEquals(sizes[i + 1], ff.getNOut());
        }
    }

    static Stream<Object[]> losses() {
        return Stream.of(
                new Object[] {"MCXENT", "SOFTMAX", LossMCXENT.class},
                new Object[] {"NEGATIVELOGLIKELIHOOD", "SOFTMAX", LossNegativeLogLikelihood.class},
                new Object[] {"MSE", "SIGMOID", LossMSE.class},
                new Object[] {"KL_DIVERGENCE", "SOFTMAX", LossKLD.class},
                new Object[] {"HINGE", "IDENTITY", LossHinge.class});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void outputLayerGetsTheLossFunction(String loss, String outAct, Class<?> lossClass) {
        ExperimentSpec s = TestSpecs.seedWith("{'lossFunction': '" + loss + "', 'activations': ['RELU', 'RELU', '" + outAct + "']}");
        OutputLayer out = (OutputLayer) TestSpecs.layers(s).get(2);
        assertEquals(lossClass, out.getLossFn().getClass());
    }

    /** DL4J's {@code WeightInit} → {@code IWeightInit} mapping, written out from its documentation. */
    private static final Map<WeightInit, IWeightInit> EXPECTED_INIT = new EnumMap<>(Map.ofEntries(
            Map.entry(WeightInit.ZERO, new WeightInitConstant(0.0)),
            Map.entry(WeightInit.ONES, new WeightInitConstant(1.0)),
            Map.entry(WeightInit.SIGMOID_UNIFORM, new WeightInitSigmoidUniform()),
            Map.entry(WeightInit.NORMAL, new WeightInitNormal()),
            Map.entry(WeightInit.LECUN_NORMAL, new WeightInitNormal()),
            Map.entry(WeightInit.XAVIER_FAN_IN, new WeightInitNormal()),
            Map.entry(WeightInit.UNIFORM, new WeightInitUniform()),
            Map.entry(WeightInit.XAVIER, new WeightInitXavier()),
            Map.entry(WeightInit.XAVIER_UNIFORM, new WeightInitXavierUniform()),
            Map.entry(WeightInit.XAVIER_LEGACY, new WeightInitXavierLegacy()),
            Map.entry(WeightInit.RELU, new WeightInitRelu()),
            Map.entry(WeightInit.RELU_UNIFORM, new WeightInitReluUniform()),
            Map.entry(WeightInit.LECUN_UNIFORM, new WeightInitLecunUniform()),
            Map.entry(WeightInit.VAR_SCALING_NORMAL_FAN_IN, new WeightInitVarScalingNormalFanIn()),
            Map.entry(WeightInit.VAR_SCALING_NORMAL_FAN_OUT, new WeightInitVarScalingNormalFanOut()),
            Map.entry(WeightInit.VAR_SCALING_NORMAL_FAN_AVG, new WeightInitVarScalingNormalFanAvg()),
            Map.entry(WeightInit.VAR_SCALING_UNIFORM_FAN_IN, new WeightInitVarScalingUniformFanIn()),
            Map.entry(WeightInit.VAR_SCALING_UNIFORM_FAN_OUT, new WeightInitVarScalingUniformFanOut()),
            Map.entry(WeightInit.VAR_SCALING_UNIFORM_FAN_AVG, new WeightInitVarScalingUniformFanAvg())));

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = WeightInit.class, mode = EnumSource.Mode.EXCLUDE, names = {"DISTRIBUTION", "IDENTITY"})
    void everyWeightInitReachesEveryLayerAndInitialisesFinite(WeightInit init) {
        ExperimentSpec s = TestSpecs.seedWith("{'weightInit': '" + init + "'}");
        for (BaseLayer l : TestSpecs.layers(s)) assertEquals(EXPECTED_INIT.get(init), l.getWeightInitFn(), init.name());
        MultiLayerNetwork net = NetworkFactory.build(s);
        double[] params = net.params().toDoubleVector();
        assertEquals(109_386, params.length);
        for (double p : params) assertTrue(Double.isFinite(p), init + " gave a non-finite parameter");
    }

    @Test
    void theWeightInitTableCoversEveryBuildableValue() {
        assertEquals(WeightInit.values().length - 2, EXPECTED_INIT.size(), "every WeightInit but DISTRIBUTION and IDENTITY");
    }

    @Test
    void zeroAndOnesInitialiseWeightsToThatConstantAndBiasesToBiasInit() {
        MultiLayerNetwork zero = NetworkFactory.build(TestSpecs.seedWith("{'weightInit': 'ZERO', 'biasInit': 0.25}"));
        MultiLayerNetwork ones = NetworkFactory.build(TestSpecs.seedWith("{'weightInit': 'ONES', 'biasInit': -0.5}"));
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, zero.getLayer(i).getParam("W").maxNumber().doubleValue());
            assertEquals(0.0, zero.getLayer(i).getParam("W").minNumber().doubleValue());
            assertEquals(1.0, ones.getLayer(i).getParam("W").minNumber().doubleValue());
            assertEquals(1.0, ones.getLayer(i).getParam("W").maxNumber().doubleValue());
            assertEquals(0.25, zero.getLayer(i).getParam("b").minNumber().doubleValue());
            assertEquals(0.25, zero.getLayer(i).getParam("b").maxNumber().doubleValue());
            assertEquals(-0.5, ones.getLayer(i).getParam("b").maxNumber().doubleValue());
        }
    }

    @Test
    void biasInitReachesEveryLayer() {
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'biasInit': 0.1}"))) assertEquals(0.1, l.getBiasInit());
    }

    @Test
    void xavierUniformDrawsWithinTheGlorotBound() {
        // Glorot & Bengio 2010: U(−a, a), a = √(6/(fanIn+fanOut)); first layer a = √(6/912) = 0.08111
        INDArray w = NetworkFactory.build(SEED).getLayer(0).getParam("W");
        double a = Math.sqrt(6.0 / (784 + 128));
        double maxAbs = Math.max(w.maxNumber().doubleValue(), -w.minNumber().doubleValue());
        assertTrue(maxAbs <= a * (1 + 1e-6), "max |w| " + maxAbs + " > " + a);
        assertTrue(maxAbs >= 0.99 * a, "100352 uniform draws should come within 1 % of the bound, max " + maxAbs);
        // the variance of U(−a, a) is a²/3 = 2/(fanIn+fanOut)
        assertEquals(2.0 / 912, w.varNumber().doubleValue(), 0.02 * 2.0 / 912);
    }

    @Test
    void reluInitHasHeStandardDeviation() {
        // He et al. 2015: N(0, 2/fanIn); first layer σ = √(2/784) = 0.05051
        INDArray w = NetworkFactory.build(TestSpecs.seedWith("{'weightInit': 'RELU'}")).getLayer(0).getParam("W");
        assertEquals(Math.sqrt(2.0 / 784), w.stdNumber().doubleValue(), 0.02 * Math.sqrt(2.0 / 784));
        assertEquals(0.0, w.meanNumber().doubleValue(), 0.001);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(GradientNormalization.class)
    void gradientNormalizationAndThresholdReachEveryLayer(GradientNormalization mode) {
        ExperimentSpec s = TestSpecs.seedWith("{'gradientNormalization': '" + mode + "', 'gradientNormalizationThreshold': 2.5}");
        List<BaseLayer> layers = TestSpecs.layers(s);
        assertEquals(3, layers.size());
        for (BaseLayer l : layers) {
            assertEquals(mode, l.getGradientNormalization());
            assertEquals(2.5, l.getGradientNormalizationThreshold());
        }
    }

    @Test
    void thereAreSixGradientNormalizationModes() {
        assertEquals(Set.of("None", "RenormalizeL2PerLayer", "RenormalizeL2PerParamType", "ClipElementWiseAbsoluteValue",
                "ClipL2PerLayer", "ClipL2PerParamType"), Set.of(Stream.of(GradientNormalization.values()).map(Enum::name).toArray()));
    }

    @Test
    void l1AndL2BecomeRegularizationObjectsOnWeightsOnly() {
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'l1': 0.0001, 'l2': 0.0005}"))) {
            List<Regularization> reg = l.getRegularization();
            assertEquals(2, reg.size(), reg.toString());
            L1Regularization l1 = (L1Regularization) reg.stream().filter(r -> r instanceof L1Regularization).findFirst().orElseThrow();
            L2Regularization l2 = (L2Regularization) reg.stream().filter(r -> r instanceof L2Regularization).findFirst().orElseThrow();
            assertEquals(1e-4, l1.getL1().valueAt(0, 0));
            assertEquals(5e-4, l2.getL2().valueAt(0, 0));
            assertEquals(5e-4, l2.getL2().valueAt(1000, 3), "constant coefficient");
            assertTrue(l.getRegularizationBias().isEmpty(), "biases are not regularised");
        }
    }

    @Test
    void onlyL2WhenL1IsZero() {
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'l2': 0.01}"))) {
            assertEquals(1, l.getRegularization().size());
            assertInstanceOf(L2Regularization.class, l.getRegularization().get(0));
        }
    }

    static Stream<Object[]> constraints() {
        return Stream.of(
                new Object[] {"{'type': 'max_norm', 'maxNorm': 2.0}", MaxNormConstraint.class, new int[] {0}},
                new Object[] {"{'type': 'max_norm', 'maxNorm': 2.0, 'dimension': 1}", MaxNormConstraint.class, new int[] {1}},
                new Object[] {"{'type': 'min_max_norm', 'min': 0.5, 'max': 2.0, 'rate': 0.5}", MinMaxNormConstraint.class, new int[] {0}},
                new Object[] {"{'type': 'unit_norm', 'dimension': 0}", UnitNormConstraint.class, new int[] {0}},
                new Object[] {"{'type': 'non_negative'}", NonNegativeConstraint.class, null});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constraints")
    void constraintAppliesToTheWeightsOfEveryLayer(String constraint, Class<?> type, int[] dims) {
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'constraint': " + constraint + "}"))) {
            List<LayerConstraint> cs = l.getConstraints();
            assertEquals(1, cs.size());
            LayerConstraint c = cs.get(0);
            assertInstanceOf(type, c);
            assertEquals(Set.of("W"), c.getParams(), "weights only");
            if (dims != null) assertArrayEquals(dims, ((BaseConstraint) c).getDimensions());
        }
    }

    @Test
    void constraintParametersReachTheLayers() {
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'constraint': {'type': 'max_norm', 'maxNorm': 2.5}}"))) {
            assertEquals(2.5, ((MaxNormConstraint) l.getConstraints().get(0)).getMaxNorm());
        }
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'constraint': {'type': 'min_max_norm', 'min': 0.5, 'max': 2.0, 'rate': 0.25}}"))) {
            MinMaxNormConstraint c = (MinMaxNormConstraint) l.getConstraints().get(0);
            assertEquals(0.5, c.getMin());
            assertEquals(2.0, c.getMax());
            assertEquals(0.25, c.getRate());
        }
    }

    @Test
    void biasesAreConstrainedWhenAsked() {
        for (BaseLayer l : TestSpecs.layers(TestSpecs.seedWith("{'constraint': {'type': 'max_norm', 'maxNorm': 2.0, 'biases': true}}"))) {
            List<LayerConstraint> cs = l.getConstraints();
            assertEquals(2, cs.size());
            List<Set<String>> params = new ArrayList<>();
            for (LayerConstraint c : cs) {
                params.add(c.getParams());
                assertEquals(2.0, ((MaxNormConstraint) c).getMaxNorm());
            }
            assertTrue(params.contains(Set.of("W")) && params.contains(Set.of("b")), params.toString());
        }
    }

    @Test
    void maxNormHoldsForEveryOutputUnitAfterATrainingStep() {
        ExperimentSpec s = TestSpecs.seedWith("{'constraint': {'type': 'max_norm', 'maxNorm': 0.5}, 'updater': 'SGD', 'learningRate': 1.0}");
        MultiLayerNetwork net = NetworkFactory.build(s);
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 784);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) y.putScalar(i, i % 10, 1.0);
        net.fit(new DataSet(x, y));
        for (int i = 0; i < 3; i++) {
            INDArray norms = net.getLayer(i).getParam("W").norm2(0);   // one norm per output unit j = ‖W[:, j]‖₂
            assertEquals(net.getLayer(i).getParam("W").size(1), norms.length());
            assertTrue(norms.maxNumber().doubleValue() <= 0.5 + 1e-5, "layer " + i + " max column norm " + norms.maxNumber());
        }
    }

    @Test
    void twentyHiddenLayersBuildAndInitialise() {
        List<Integer> sizes = new ArrayList<>();
        sizes.add(784);
        sizes.addAll(Collections.nCopies(20, 64));
        sizes.add(10);
        List<String> acts = new ArrayList<>(Collections.nCopies(20, "RELU"));
        acts.add("SOFTMAX");
        ExperimentSpec deep = SpecOverrides.with(SpecOverrides.apply(SEED, List.of(
                "layerSizes=" + String.join(",", sizes.stream().map(String::valueOf).toList()),
                "activations=" + String.join(",", acts))), "name", "deep-20");
        assertEquals(20, deep.hiddenLayers());
        List<BaseLayer> layers = TestSpecs.layers(deep);
        assertEquals(21, layers.size());
        for (int i = 0; i < 20; i++) assertInstanceOf(DenseLayer.class, layers.get(i));
        assertInstanceOf(OutputLayer.class, layers.get(20));
        MultiLayerNetwork net = NetworkFactory.build(deep);
        // (784·64 + 64) + 19·(64·64 + 64) + (64·10 + 10) = 50240 + 79040 + 650
        assertEquals(129_930, net.numParams());
        INDArray p = net.output(Nd4j.ones(DataType.FLOAT, 2, 784).muli(0.5));
        assertArrayEquals(new long[] {2, 10}, p.shape());
        assertEquals(1.0, p.getRow(0).sumNumber().doubleValue(), 1e-5, "softmax output sums to 1");
    }
}
