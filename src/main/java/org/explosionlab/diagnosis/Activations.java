package org.explosionlab.diagnosis;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.*;

/** Families of DL4J activations, as the checks need them: ReLU-like, tanh-like, sigmoid-like, softmax, identity. */
final class Activations {
    private Activations() {
    }

    static boolean reluLike(IActivation a) {
        return a instanceof ActivationReLU || a instanceof ActivationLReLU || a instanceof ActivationReLU6
                || a instanceof ActivationRReLU || a instanceof ActivationPReLU || a instanceof ActivationELU
                || a instanceof ActivationSoftPlus || a instanceof ActivationSwish || a instanceof ActivationGELU
                || a instanceof ActivationThresholdedReLU || a instanceof ActivationMish;
    }

    static boolean tanhLike(IActivation a) {
        return a instanceof ActivationTanH || a instanceof ActivationHardTanH || a instanceof ActivationRationalTanh
                || a instanceof ActivationRectifiedTanh || a instanceof ActivationSoftSign;
    }

    static boolean sigmoidLike(IActivation a) {
        return a instanceof ActivationSigmoid || a instanceof ActivationHardSigmoid;
    }

    static boolean saturating(IActivation a) {
        return tanhLike(a) || sigmoidLike(a);
    }

    static boolean softmax(IActivation a) {
        return a instanceof ActivationSoftmax;
    }

    static boolean identity(IActivation a) {
        return a == null || a instanceof ActivationIdentity;
    }

    /**
     * The gain g for which weights of standard deviation g/√fan_in keep the activations' scale: √2 for the ReLU
     * family (He et al. 2015), 1 otherwise (LeCun; tanh and sigmoid near 0, Glorot & Bengio 2010).
     */
    static double gain(IActivation a) {
        return reluLike(a) ? Math.sqrt(2.0) : 1.0;
    }

    static String name(IActivation a) {
        return a == null ? "identity" : a.toString();
    }
}
