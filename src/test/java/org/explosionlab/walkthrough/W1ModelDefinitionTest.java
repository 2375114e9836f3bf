package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;

class W1ModelDefinitionTest {

    @Test
    void theInlineBuilderChainIsTheSeedBaselinePresetsConfiguration() {
        W1ModelDefinition.Result r = W1ModelDefinition.run("--max-batches", "1");
        ExperimentSpec spec = Presets.load("seed-baseline");
        // DL4J's JSON holds every setting of every layer: seed, data type, updater, inits, normalization, l1/l2, workspaces
        assertEquals(NetworkFactory.configuration(spec).toJson(), W1ModelDefinition.configuration().toJson());
        // init() records each layer's variables in its configuration; the initialised ones agree too
        assertEquals(NetworkFactory.build(spec).getLayerWiseConfigurations().toJson(), r.conf().toJson());
        assertEquals(spec.training().seed(), W1ModelDefinition.SEED);
        assertEquals(spec.layers().layerSizes(), List.of(W1ModelDefinition.INPUTS, W1ModelDefinition.HIDDEN_1, W1ModelDefinition.HIDDEN_2,
                W1ModelDefinition.CLASSES));
        // same configuration, same seed: the same initial weights as the CLI's network
        MultiLayerNetwork mine = new MultiLayerNetwork(r.conf());
        mine.init();
        assertEquals(NetworkFactory.build(spec).params(), mine.params());
    }

    @Test
    void parameterCountsAreKerasSummaryNumbers() {
        W1ModelDefinition.Result r = W1ModelDefinition.run();
        // (n_in + 1) * n_out per dense layer, as Keras model.summary() prints for the tutorial model
        assertEquals(List.of(785L * 128, 129L * 64, 65L * 10), r.layers().stream().map(W1ModelDefinition.LayerRow::params).toList());
        assertEquals(109_386L, r.totalParams());
        assertEquals(List.of(784L, 128L, 64L), r.layers().stream().map(W1ModelDefinition.LayerRow::nIn).toList());
        assertEquals(List.of("DenseLayer", "DenseLayer", "OutputLayer"), r.layers().stream().map(W1ModelDefinition.LayerRow::type).toList());
        assertEquals(List.of("relu", "relu", "softmax"), r.layers().stream().map(W1ModelDefinition.LayerRow::activation).toList());
        // what it prints is DL4J's own net.summary(), with the same counts (DL4J groups digits in the JVM's locale)
        List<String> summary = r.summary().lines().map(String::strip).toList();
        String[] rows = {"layer0 \\(DenseLayer\\)\\s+784,128\\s+100.?480\\s+W:\\{784,128}, b:\\{128}",
            "layer1 \\(DenseLayer\\)\\s+128,64\\s+8.?256\\s+W:\\{128,64}, b:\\{64}",
            "layer2 \\(OutputLayer\\)\\s+64,10\\s+650\\s+W:\\{64,10}, b:\\{10}", "Total Parameters:\\s+109.?386"};
        for (String row : rows) assertTrue(summary.stream().anyMatch(l -> l.matches(row)), () -> row + " in\n" + r.summary());
        // the same model as Keras HDF5, imported by DL4J: same weights, and the same parameters after one step (float32)
        assertEquals(List.of("DenseLayer", "DenseLayer", "DenseLayer", "LossLayer"), r.keras().importedLayers());
        assertTrue(r.keras().sameWeights());
        assertTrue(r.keras().maxStep() > 5e-4, () -> "the step moved the weights: " + r.keras().maxStep());
        assertTrue(r.keras().maxStepDiff() <= 1e-6, () -> "equal within float32 tolerance: " + r.keras().maxStepDiff());
    }
}
