package org.explosionlab.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Float32 arrays compared bit for bit, and the updater state a skipped step must leave as it was. */
public final class BitIdentical {
    private BitIdentical() {
    }

    /** The network's updater state (Adam's m and v) as one float vector. */
    public static float[] updaterState(MultiLayerNetwork net) {
        INDArray s = net.getUpdater().getStateViewArray();
        return s.reshape(s.length()).toFloatVector();
    }

    /** Same length, same raw bits at every element. */
    public static void assertBitIdentical(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " changed from " + expected[i] + " to " + actual[i]);
            }
        }
    }
}
