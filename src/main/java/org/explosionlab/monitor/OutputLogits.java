package org.explosionlab.monitor;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output layer's pre-activations z = a·W + b of the step whose backprop just ran, recomputed from the
 * layer's input without a second forward pass.
 *
 * <p>{@code MultiLayerNetwork.computeGradientAndScore} (DL4J 1.0.0-M2.1) calls {@code onBackwardPass}
 * after backprop and after {@code computeScore}, still inside its activations workspace. At that point the
 * output layer's {@code input()} is what its {@code preOutput} multiplied (after the preprocessor and after
 * the layer's own dropout, which DL4J applies to the input in place once per step), and its parameters are
 * those before the update. The product uses the same ND4J float ops DL4J's {@code BaseLayer.preOutput}
 * uses ({@code mmul}, {@code addiRowVector}); nothing of DL4J's state is written and no random number drawn.
 */
final class OutputLogits {
    private OutputLogits() {
    }

    /** z as a [k × nOut] array, or null when the layer's input is missing or not a [k × nIn] matrix. */
    static INDArray of(org.deeplearning4j.nn.layers.OutputLayer out) {
        INDArray input = out.input();
        if (input == null || input.rank() != 2) return null;
        INDArray w = out.getParam("W");
        INDArray z = input.castTo(w.dataType()).mmul(w);                // DL4J's BaseLayer.preOutput: input · W
        if (out.hasBias()) z.addiRowVector(out.getParam("b"));         // + b
        return z;
    }
}
