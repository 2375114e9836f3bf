package org.explosionlab.monitor;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The minibatch accuracy of the step DL4J just took, from the network's own output in that step's
 * forward pass (parameters before the update):
 * <pre>
 *   batch_accuracy = #{ i : argmax_c z_ic = argmax_c y_ic } / #{ i : Σ_c y_ic &gt; 0 }
 * </pre>
 * with z the output layer's pre-activations ({@link OutputLogits}) and y the minibatch labels (one-hot or
 * class probabilities). argmax of z equals argmax of the layer's output because softmax, sigmoid, tanh and
 * identity preserve the order of the classes, so no activation is evaluated. Ties go to the lowest class
 * index (as ND4J's {@code argMax}); a row with a non-finite z counts as wrong. Rows whose labels are all zero (masked-out examples) are not counted.
 *
 * <p>Applies ({@link #appliesTo}) to a DL4J {@code OutputLayer} with at least two outputs, one of those
 * activations and no weight noise; the loss function does not matter (MCXENT, NLL, MSE, …). This is the
 * training accuracy on the minibatch, the cheap signal DL4J's {@code Evaluation} would give on the same
 * batch; the detector uses it to tell a run that learns from one that stalled.
 */
final class BatchAccuracy {
    private BatchAccuracy() {
    }

    /** Whether {@code net}'s output layer is a classifier this class can read. */
    static boolean appliesTo(Layer out) {
        if (!(out instanceof org.deeplearning4j.nn.layers.OutputLayer)) return false;
        if (!(out.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.OutputLayer conf)) return false;
        IActivation a = conf.getActivationFn();
        boolean orderPreserving = a instanceof ActivationSoftmax || a instanceof ActivationSigmoid
                || a instanceof ActivationTanH || a instanceof ActivationIdentity;
        return orderPreserving && conf.getNOut() >= 2 && ((BaseLayer) conf).getWeightNoise() == null;
    }

    /** The accuracy of the step whose backprop just ran (call from {@code onBackwardPass}), NaN when unreadable. */
    static double measure(Layer output) {
        var out = (org.deeplearning4j.nn.layers.OutputLayer) output;
        INDArray z = OutputLogits.of(out);
        INDArray y = out.getLabels();
        if (z == null || y == null || y.rank() != 2 || y.size(0) != z.size(0) || y.size(1) != z.size(1)) return Double.NaN;
        int k = (int) z.size(0);
        int n = (int) z.size(1);
        return of(z.castTo(DataType.DOUBLE).dup('c').data().asDouble(), y.castTo(DataType.DOUBLE).dup('c').data().asDouble(), k, n);
    }

    /** The formula of the class comment on c-order [k × n] arrays. */
    static double of(double[] z, double[] y, int k, int n) {
        int counted = 0;
        int right = 0;
        for (int i = 0; i < k; i++) {
            int row = i * n;
            int predicted = 0;
            int truth = 0;
            double labelSum = 0;
            boolean finite = true;
            for (int c = 0; c < n; c++) {
                finite &= Double.isFinite(z[row + c]);
                if (z[row + c] > z[row + predicted]) predicted = c;
                if (y[row + c] > y[row + truth]) truth = c;
                labelSum += y[row + c];
            }
            if (!(labelSum > 0)) continue;
            counted++;
            if (finite && predicted == truth) right++;           // a non-finite output is never right
        }
        return counted == 0 ? Double.NaN : (double) right / counted;
    }
}
