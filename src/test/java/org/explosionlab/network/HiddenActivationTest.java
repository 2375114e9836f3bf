package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;

/** The branch-free activations of {@link HiddenActivation}, element by element, edge cases included. */
class HiddenActivationTest {
    private static final float[] Z = {2.5f, -1.5f, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f};

    @Test
    void reluForwardAndDerivative() {
        HiddenActivation relu = HiddenActivation.of(new ActivationReLU());
        float[] a = new float[Z.length];
        relu.forward(Z, a, Z.length);
        assertArrayEquals(new float[] {2.5f, 0f, 0f, 0f, Float.MIN_VALUE, 0f, Float.POSITIVE_INFINITY, 0f, 1e-30f}, a);
        float[] eps = {3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f};
        relu.backward(Z, a, eps, Z.length);
        // f'(z) = 1 exactly where z > 0: not at +0 or −0
        assertArrayEquals(new float[] {3f, 0f, 0f, 0f, 3f, 0f, 3f, 0f, 3f}, eps);
        float[] nan = {Float.NaN};
        relu.forward(nan, a, 1);
        assertTrue(Float.isNaN(a[0]), "NaN passes through ReLU, as in DL4J");
    }

    @Test
    void leakyReluForwardAndDerivative() {
        HiddenActivation leaky = HiddenActivation.of(new ActivationLReLU(0.25));
        float[] a = new float[Z.length];
        leaky.forward(Z, a, Z.length);
        assertEquals(2.5f, a[0]);
        assertEquals(-0.375f, a[1]);                 // 0.25 × −1.5
        assertEquals(Float.NEGATIVE_INFINITY, a[7]);
        float[] eps = {4f, 4f, 4f, 4f, 4f, 4f, 4f, 4f, 4f};
        leaky.backward(Z, a, eps, Z.length);
        assertArrayEquals(new float[] {4f, 1f, 1f, 1f, 4f, 1f, 4f, 1f, 4f}, eps);
    }

    @Test
    void tanhAndSigmoidDerivativesFromTheirOutputs() {
        float[] z = {0f, 1f, -2f};
        float[] a = new float[3];
        float[] eps = {1f, 1f, 1f};
        HiddenActivation.of(new org.nd4j.linalg.activations.impl.ActivationTanH()).forward(z, a, 3);
        assertEquals(Math.tanh(1), a[1], 1e-7);
        HiddenActivation.of(new org.nd4j.linalg.activations.impl.ActivationTanH()).backward(z, a, eps, 3);
        assertEquals(1 - Math.tanh(1) * Math.tanh(1), eps[1], 1e-7);     // 1 − tanh²
        HiddenActivation.of(new org.nd4j.linalg.activations.impl.ActivationSigmoid()).forward(z, a, 3);
        assertEquals(0.5f, a[0]);
        eps = new float[] {1f, 1f, 1f};
        HiddenActivation.of(new org.nd4j.linalg.activations.impl.ActivationSigmoid()).backward(z, a, eps, 3);
        assertEquals(0.25f, eps[0]);                                     // σ(0)(1 − σ(0))
    }

    @Test
    void activationsWithoutAJavaVersionAreRefused() {
        assertNull(HiddenActivation.of(new ActivationELU()));
        assertNull(HiddenActivation.of(new ActivationReLU(6.0, 0.0, 0.0)));  // capped ReLU6: DL4J's own path
    }
}
