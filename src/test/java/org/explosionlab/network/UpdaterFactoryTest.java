package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Each {@code UpdaterKind} becomes the matching DL4J {@link IUpdater} with the spec's hyper-parameters,
 * on every layer of the built configuration (and the biases use the same updater).
 */
class UpdaterFactoryTest {

    /** Asserts the updater of every layer, which DL4J clones per layer. */
    private static <T extends IUpdater> void everyLayer(ExperimentSpec s, Class<T> type, Consumer<T> check) {
        List<BaseLayer> layers = TestSpecs.layers(s);
        assertEquals(s.weightLayers(), layers.size());
        for (BaseLayer l : layers) {
            check.accept(assertInstanceOf(type, l.getIUpdater()));
            assertNull(l.getBiasUpdater(), "biases use the layer's updater");
        }
    }

    /** The project's Adam is DL4J's {@link Adam}, with Keras' hyper-parameters. */
    @Test
    void seedBaselineIsAdamWithKerasEpsilon() {
        everyLayer(Presets.load("seed-baseline"), Adam.class, a -> {
            assertEquals(1e-3, a.getLearningRate());
            assertNull(a.getLearningRateSchedule());
            assertEquals(0.9, a.getBeta1());
            assertEquals(0.999, a.getBeta2());
            assertEquals(1e-7, a.getEpsilon(), "Keras epsilon");
            assertNotEquals(1e-8, a.getEpsilon(), "not DL4J's default epsilon");
        });
    }

    @Test
    void adamTakesEveryHyperParameter() {
        ExperimentSpec s = TestSpecs.seedWith("{'learningRate': 0.002, 'beta1': 0.8, 'beta2': 0.99, 'epsilon': 1e-6}");
        everyLayer(s, Adam.class, a -> {
            assertEquals(0.002, a.getLearningRate());
            assertEquals(0.8, a.getBeta1());
            assertEquals(0.99, a.getBeta2());
            assertEquals(1e-6, a.getEpsilon());
        });
    }

    @Test
    void sgd() {
        everyLayer(TestSpecs.seedWith("{'updater': 'SGD', 'learningRate': 0.1}"), Sgd.class, u -> {
            assertEquals(0.1, u.getLearningRate());
            assertNull(u.getLearningRateSchedule());
        });
    }

    @Test
    void nesterovsTakesMomentum() {
        everyLayer(TestSpecs.seedWith("{'updater': 'NESTEROVS', 'learningRate': 0.05, 'momentum': 0.8}"), Nesterovs.class, u -> {
            assertEquals(0.05, u.getLearningRate());
            assertEquals(0.8, u.getMomentum());
            assertEquals(0.8, u.currentMomentum(100, 2), "constant momentum");
        });
    }

    @Test
    void rmsPropTakesDecayAndEpsilon() {
        everyLayer(TestSpecs.seedWith("{'updater': 'RMSPROP', 'learningRate': 0.01, 'rmsDecay': 0.95, 'epsilon': 1e-6}"), RmsProp.class, u -> {
            assertEquals(0.01, u.getLearningRate());
            assertEquals(0.95, u.getRmsDecay());
            assertEquals(1e-6, u.getEpsilon());
        });
    }

    @Test
    void adaGradTakesEpsilon() {
        everyLayer(TestSpecs.seedWith("{'updater': 'ADAGRAD', 'learningRate': 0.1, 'epsilon': 1e-5}"), AdaGrad.class, u -> {
            assertEquals(0.1, u.getLearningRate());
            assertEquals(1e-5, u.getEpsilon());
        });
    }

    @Test
    void adaDeltaTakesEpsilonAndKeepsDl4jRho() {
        everyLayer(TestSpecs.seedWith("{'updater': 'ADADELTA', 'epsilon': 1e-6}"), AdaDelta.class, u -> {
            assertEquals(1e-6, u.getEpsilon());
            assertEquals(0.95, u.getRho(), "DL4J's (and Keras') default ρ; the spec has no field for it");
        });
    }

    @Test
    void adaMaxTakesBetasAndEpsilon() {
        everyLayer(TestSpecs.seedWith("{'updater': 'ADAMAX', 'learningRate': 0.002, 'beta1': 0.85, 'beta2': 0.995, 'epsilon': 1e-7}"), AdaMax.class, u -> {
            assertEquals(0.002, u.getLearningRate());
            assertEquals(0.85, u.getBeta1());
            assertEquals(0.995, u.getBeta2());
            assertEquals(1e-7, u.getEpsilon());
        });
    }

    @Test
    void nadamTakesBetasAndEpsilon() {
        everyLayer(TestSpecs.seedWith("{'updater': 'NADAM', 'learningRate': 0.002, 'beta1': 0.85, 'beta2': 0.995, 'epsilon': 1e-7}"), Nadam.class, u -> {
            assertEquals(0.002, u.getLearningRate());
            assertEquals(0.85, u.getBeta1());
            assertEquals(0.995, u.getBeta2());
            assertEquals(1e-7, u.getEpsilon());
        });
    }

    @Test
    void amsGradTakesBetasAndEpsilon() {
        everyLayer(TestSpecs.seedWith("{'updater': 'AMSGRAD', 'learningRate': 0.002, 'beta1': 0.85, 'beta2': 0.995, 'epsilon': 1e-7}"), AMSGrad.class, u -> {
            assertEquals(0.002, u.getLearningRate());
            assertEquals(0.85, u.getBeta1());
            assertEquals(0.995, u.getBeta2());
            assertEquals(1e-7, u.getEpsilon());
        });
    }

    @Test
    void everyUpdaterWithALearningRateFollowsTheSchedule() {
        // lr(i) = 0.01 · 0.5^⌊i/100⌋: 0.01 at 99, 0.005 at 100, 0.0025 at 250
        for (String kind : List.of("SGD", "ADAM", "NESTEROVS", "RMSPROP", "ADAGRAD", "ADAMAX", "NADAM", "AMSGRAD")) {
            ExperimentSpec s = TestSpecs.seedWith("{'updater': '" + kind + "', 'learningRate': 0.01,"
                    + " 'lrSchedule': {'type': 'step', 'decayRate': 0.5, 'step': 100}}");
            MultiLayerConfiguration conf = NetworkFactory.configuration(s);
            MultiLayerNetwork net = NetworkFactory.build(s);
            List<IUpdater> updaters = new ArrayList<>();
            for (BaseLayer l : TestSpecs.layers(conf)) updaters.add(l.getIUpdater());
            for (BaseLayer l : TestSpecs.layers(conf.clone())) updaters.add(l.getIUpdater());      // DL4J clones configurations
            for (int i = 0; i < 3; i++) updaters.add(((BaseLayer) net.getLayer(i).conf().getLayer()).getIUpdater());
            for (IUpdater u : updaters) {
                assertEquals(0.01, u.getLearningRate(99, 0), 1e-15, kind);
                assertEquals(0.005, u.getLearningRate(100, 0), 1e-15, kind);
                assertEquals(0.0025, u.getLearningRate(250, 1), 1e-15, kind);
            }
        }
    }

    @Test
    void adaGradKeepsItsScheduleThroughDl4jClones() {
        // DL4J's AdaGrad.clone() drops the schedule; the configuration builder clones the updater into each layer
        ExperimentSpec s = TestSpecs.seedWith("{'updater': 'ADAGRAD', 'learningRate': 0.1, 'lrSchedule': {'type': 'exponential', 'gamma': 0.5}}");
        IUpdater u = TestSpecs.layers(s).get(0).getIUpdater().clone().clone();
        assertInstanceOf(AdaGrad.class, u);
        assertEquals(0.1 * 0.125, u.getLearningRate(3, 0), 1e-15);
    }
}
