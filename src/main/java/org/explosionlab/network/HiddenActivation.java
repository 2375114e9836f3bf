package org.explosionlab.network;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The hidden-layer activations {@link DenseBackprop} computes in Java, with the derivative DL4J's
 * backprop uses for each (libnd4j's {@code *_bp} ops): z is the pre-activation, a = f(z).
 * <ul>
 *   <li>ReLU: a = max(0, z); f'(z) = 1 if z &gt; 0 else 0 (DL4J's ReLU with threshold 0, no cap);</li>
 *   <li>leaky ReLU: a = z if z &gt; 0 else αz; f'(z) = 1 if z &gt; 0 else α;</li>
 *   <li>tanh: f'(z) = 1 − a²;  sigmoid: a = 1 / (1 + e^−z), f'(z) = a(1 − a);  identity: f'(z) = 1.</li>
 * </ul>
 * Any other activation (or ReLU with a cap or threshold) makes the network take DL4J's own backprop.
 */
abstract class HiddenActivation {
    /** a[i] = f(z[i]) for i in [0, n). */
    abstract void forward(float[] z, float[] a, int n);

    /** delta[i] = eps[i] · f'(z[i]) for i in [0, n), in place on {@code eps}. */
    abstract void backward(float[] z, float[] a, float[] eps, int n);

    /** The Java version of a DL4J activation, or null if there is none. */
    static HiddenActivation of(IActivation act) {
        if (act instanceof ActivationReLU r) {
            return r.getMax() == null && r.getThreshold() == null && r.getNegativeSlope() == null ? new Relu() : null;
        }
        if (act instanceof ActivationLReLU l) return new LeakyRelu((float) l.getAlpha());
        if (act instanceof ActivationTanH) return new Tanh();
        if (act instanceof ActivationSigmoid) return new Sigmoid();
        if (act instanceof ActivationIdentity) return new Identity();
        return null;
    }

    /**
     * Mask of all ones where z &gt; 0 (as a float: +0, −0 and negatives give 0), computed on the bits
     * without a branch: about half the pre-activations are negative, so a branch per element is
     * mispredicted half the time (measured: ReLU forward + backward were 17 % of a batch-128 step as
     * branches). Positive NaN counts as positive; DL4J's {@code relu_bp} would zero its gradient, but
     * such an element's row is NaN through the softmax anyway.
     */
    static int positiveMask(float z) {
        int bits = Float.floatToRawIntBits(z);
        return (-bits & ~bits) >> 31;
    }

    static final class Relu extends HiddenActivation {
        @Override
        void forward(float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0f);         // NaN passes through, as in DL4J
        }

        @Override
        void backward(float[] z, float[] a, float[] eps, int n) {
            for (int i = 0; i < n; i++) {
                eps[i] = Float.intBitsToFloat(Float.floatToRawIntBits(eps[i]) & positiveMask(z[i]));
            }
        }
    }

    static final class LeakyRelu extends HiddenActivation {
        private final float alpha;

        LeakyRelu(float alpha) {
            this.alpha = alpha;
        }

        @Override
        void forward(float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.max(z[i], 0f) + alpha * Math.min(z[i], 0f);
        }

        @Override
        void backward(float[] z, float[] a, float[] eps, int n) {
            int one = Float.floatToRawIntBits(1f);
            int slope = Float.floatToRawIntBits(alpha);
            for (int i = 0; i < n; i++) {
                int m = positiveMask(z[i]);
                eps[i] *= Float.intBitsToFloat((one & m) | (slope & ~m));
            }
        }
    }

    static final class Tanh extends HiddenActivation {
        @Override
        void forward(float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (float) Math.tanh(z[i]);
        }

        @Override
        void backward(float[] z, float[] a, float[] eps, int n) {
            for (int i = 0; i < n; i++) eps[i] *= 1f - a[i] * a[i];
        }
    }

    static final class Sigmoid extends HiddenActivation {
        @Override
        void forward(float[] z, float[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = (float) (1.0 / (1.0 + Math.exp(-z[i])));
        }

        @Override
        void backward(float[] z, float[] a, float[] eps, int n) {
            for (int i = 0; i < n; i++) eps[i] *= a[i] * (1f - a[i]);
        }
    }

    static final class Identity extends HiddenActivation {
        @Override
        void forward(float[] z, float[] a, int n) {
            System.arraycopy(z, 0, a, 0, n);
        }

        @Override
        void backward(float[] z, float[] a, float[] eps, int n) {
        }
    }
}
