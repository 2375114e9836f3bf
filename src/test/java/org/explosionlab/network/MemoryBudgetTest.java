package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecException;
import org.junit.jupiter.api.Test;

/**
 * The memory budget counts the monitor's own copies (issue 28, third pass, D5): {@code layerSizes=784,14000,16384,10}
 * with SGD passed a 2 GiB budget on the network alone (1.81 GiB) and then ran out of memory in the monitor's aligned
 * scratch copy of the 14000 x 16384 weights.
 */
class MemoryBudgetTest {
    private static final ExperimentSpec NEAR_LIMIT = TestSpecs.seedWith(
            "'layerSizes': [784, 14000, 16384, 10], 'activations': ['relu', 'relu', 'softmax'], 'updater': 'SGD', 'learningRate': 0.01");

    @Test
    void theEstimateIsTheHandCountIncludingTheMonitorsCopies() {
        long p = 784L * 14000 + 14000 + 14000L * 16384 + 16384 + 16384L * 10 + 10;      // 240,546,234 parameters
        long activations = 32L * (784 + 4 * (14000 + 16384 + 10));                     // batchSize 32
        long network = 4 * (2 * p + activations);                                        // SGD keeps no state
        long monitor = 4 * 5 * (14000L * 16384);                                         // five aligned copies of the largest W
        assertEquals(network + monitor, MemoryBudget.bytes(NEAR_LIMIT));
        assertTrue(network < 2L << 30, "the network alone fits 2 GiB (the case that ran out of memory)");
    }

    @Test
    void aNetworkWhoseMonitorCopiesDoNotFitIsRefusedWithOneLine() {
        SpecException e = assertThrows(SpecException.class, () -> MemoryBudget.requireFits(NEAR_LIMIT, 2L << 30));
        assertTrue(e.getMessage().contains("needs at least 6.1 GiB of memory (240,546,234 parameters"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
