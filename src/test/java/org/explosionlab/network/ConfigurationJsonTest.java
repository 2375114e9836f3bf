package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Checkpoints ({@code ModelSerializer}) store the configuration as DL4J JSON, so every configuration a
 * spec can produce must read back from its own JSON: same JSON again, same learning rate at every
 * iteration checked.
 */
class ConfigurationJsonTest {

    static Stream<String> fragments() {
        return Stream.of(
                "{}",
                "{'lrSchedule': {'type': 'fixed'}}",
                "{'lrSchedule': {'type': 'exponential', 'gamma': 0.99}}",
                "{'lrSchedule': {'type': 'step', 'decayRate': 0.5, 'step': 100}}",
                "{'lrSchedule': {'type': 'inverse', 'gamma': 0.01, 'power': 0.75}}",
                "{'lrSchedule': {'type': 'poly', 'power': 2, 'maxIter': 1000}}",
                "{'lrSchedule': {'type': 'sigmoid', 'gamma': 0.05, 'stepSize': 300}}",
                "{'lrSchedule': {'type': 'map', 'values': {'100': 0.0005}}}",
                "{'lrSchedule': {'type': 'cycle', 'maxLearningRate': 0.01, 'cycleLength': 1000, 'annealingLength': 100, 'annealingDecay': 0.9}}",
                "{'lrSchedule': {'type': 'ramp', 'rampIterations': 100}}",
                "{'lrSchedule': {'type': 'ramp', 'rampIterations': 100, 'base': {'type': 'exponential', 'gamma': 0.99}}}",
                "{'lrSchedule': {'type': 'tf_exponential_decay', 'decaySteps': 100, 'decayRate': 0.96, 'staircase': true}}",
                "{'updater': 'SGD', 'learningRate': 0.1}",
                "{'updater': 'NESTEROVS', 'momentum': 0.8}",
                "{'updater': 'RMSPROP', 'rmsDecay': 0.95}",
                "{'updater': 'ADAGRAD', 'lrSchedule': {'type': 'exponential', 'gamma': 0.99}}",
                "{'updater': 'ADADELTA'}",
                "{'updater': 'ADAMAX'}",
                "{'updater': 'NADAM'}",
                "{'updater': 'AMSGRAD'}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'normal', 'mean': 0, 'std': 1}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'uniform', 'lower': -1, 'upper': 1}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'truncated_normal', 'mean': 0, 'std': 1}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'log_normal', 'mean': 0, 'std': 1}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'orthogonal', 'gain': 1}}",
                "{'weightInit': 'DISTRIBUTION', 'weightInitDistribution': {'type': 'constant', 'value': 0.1}}",
                "{'weightInit': 'VAR_SCALING_UNIFORM_FAN_AVG', 'biasInit': 0.1}",
                "{'gradientNormalization': 'ClipL2PerParamType', 'gradientNormalizationThreshold': 0.5, 'l1': 0.001, 'l2': 0.0001}",
                "{'constraint': {'type': 'max_norm', 'maxNorm': 2, 'biases': true}}",
                "{'constraint': {'type': 'min_max_norm', 'min': 0.5, 'max': 2, 'rate': 0.5}}",
                "{'constraint': {'type': 'unit_norm', 'dimension': 1}}",
                "{'constraint': {'type': 'non_negative', 'biases': true}}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fragments")
    void configurationReadsBackFromItsJson(String fragment) {
        MultiLayerConfiguration conf = NetworkFactory.configuration(TestSpecs.seedWith(fragment));
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        for (int l = 0; l < conf.getConfs().size(); l++) {
            IUpdater before = ((BaseLayer) conf.getConf(l).getLayer()).getIUpdater();
            IUpdater after = ((BaseLayer) back.getConf(l).getLayer()).getIUpdater();
            assertEquals(before.getClass(), after.getClass());
            for (int i : new int[] {0, 1, 50, 99, 100, 450, 999, 5000}) {
                assertEquals(before.getLearningRate(i, 2), after.getLearningRate(i, 2), 0.0, "lr at " + i);
            }
        }
    }
}
