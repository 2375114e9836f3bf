package org.explosionlab.walkthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class W1ModelDefinitionTest {

    @Test
    void parameterCountsAreKerasSummaryNumbers() {
        W1ModelDefinition.Result r = W1ModelDefinition.run("--max-batches", "1");
        // (n_in + 1) * n_out per dense layer, as Keras model.summary() prints for the tutorial model
        assertEquals(List.of(785L * 128, 129L * 64, 65L * 10), r.layers().stream().map(W1ModelDefinition.LayerRow::params).toList());
        assertEquals(109_386L, r.totalParams());
        assertEquals(List.of(784, 128, 64), r.layers().stream().map(W1ModelDefinition.LayerRow::nIn).toList());
        assertEquals(List.of("DenseLayer", "DenseLayer", "OutputLayer"), r.layers().stream().map(W1ModelDefinition.LayerRow::type).toList());
    }
}
