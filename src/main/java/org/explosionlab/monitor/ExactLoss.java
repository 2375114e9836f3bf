package org.explosionlab.monitor;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * The minibatch cross-entropy without DL4J's clip, and how much of the minibatch the clip hid.
 *
 * <p>DL4J 1.0.0-M2.1's {@code LossMCXENT} (and {@code LossNegativeLogLikelihood}, its subclass) computes
 * {@code log(clip(softmax(z), ε, 1 − ε))} with ε = {@code softmaxClipEps} (default 1e-10), so one
 * example's loss is at most −ln ε = 23.03 however wrong the network is. This class recomputes the loss
 * from the output layer's pre-activations z, in double, with the max-subtracted log-sum-exp:
 * <pre>
 *   ℓ_i = Σ_c m_ic · w_c · y_ic · (lse(z_i) − z_ic),   lse(z_i) = max_c z_ic + ln Σ_c exp(z_ic − max_c z_ic)
 *   loss_exact = Σ_i ℓ_i / k  (k = minibatch size; DL4J divides by k too)  +  DL4J's L1/L2 score term
 * </pre>
 * y = labels, w = the loss function's class weights (1 without), m = the labels mask (1 without). This is
 * PyTorch's {@code F.cross_entropy} / {@code log_softmax} + NLL; without clipping it equals DL4J's score.
 *
 * <p><b>Where z comes from, without a second forward pass.</b> {@code MultiLayerNetwork.computeGradientAndScore}
 * calls {@code onBackwardPass} after backprop and after {@code computeScore}, still inside its activations
 * workspace. At that point the output layer's {@code input()} is what its {@code preOutput} multiplied,
 * after the preprocessor and after the output layer's own dropout (DL4J applies dropout to a layer's input
 * in place, once per step). So z = input · W + b is recomputed here with the same ND4J float ops
 * ({@code mmul}, {@code addiRowVector}) on the parameters before the update: one [k × nIn]·[nIn × nOut]
 * product (for 64 → 10 and k = 32: ~20k multiply-adds, plus a softmax on [k × 10]). Nothing of DL4J's
 * state is written and no random number is drawn.
 *
 * <p><b>Saturated examples.</b> DL4J replaces a float32 probability p &lt; (float) ε by (float) ε
 * ({@code BooleanIndexing.replaceWhere(p, ε, lessThan(ε))}); a p equal to (float) ε gives the same loss.
 * An example counts as saturated when its true class (any class c with y_ic &gt; 0 and m_ic &gt; 0)
 * has p_ic ≤ (float) ε, p = ND4J's float32 {@code softmax(z)}, the same op and the same z DL4J's loss
 * used: its loss term then is exactly −ln ε, whatever the true value. In float32, 1 − 1e-10 rounds to 1,
 * so DL4J's upper clip never acts and is not counted.
 *
 * <p><b>Where it does not apply</b> ({@link #appliesTo} false: both figures absent): an output layer that
 * is not a DL4J {@code OutputLayer} (e.g. {@code RnnOutputLayer}, {@code LossLayer}), an activation other
 * than softmax, a loss other than MCXENT / NEGATIVELOGLIKELIHOOD, weight noise or DropConnect on the
 * output layer (DL4J multiplies noisy weights this class cannot see). Per step, a labels mask of a shape
 * other than [k, 1] or [k, nOut] gives NaN.
 */
final class ExactLoss {
    /** One step's figures. */
    record Figures(double lossExact, double saturatedFraction) {
        static final Figures NAN = new Figures(Double.NaN, Double.NaN);
    }

    private ExactLoss() {
    }

    /** Whether {@code net}'s output layer is a DL4J OutputLayer with softmax and MCXENT / NLL and no weight noise. */
    static boolean appliesTo(Layer out) {
        if (!(out instanceof org.deeplearning4j.nn.layers.OutputLayer)) return false;
        if (!(out.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.OutputLayer conf)) return false;
        ILossFunction loss = conf.getLossFn();
        return conf.getActivationFn() instanceof ActivationSoftmax && loss instanceof LossMCXENT
                && ((BaseLayer) conf).getWeightNoise() == null;
    }

    /**
     * The figures of the step whose backprop just ran. Call from {@code onBackwardPass} only, and only
     * when {@link #appliesTo}{@code (net)}: it reads the output layer's input, parameters and labels.
     */
    static Figures measure(Layer output, double regularizationScore) {
        org.deeplearning4j.nn.layers.OutputLayer out = (org.deeplearning4j.nn.layers.OutputLayer) output;
        INDArray labels = out.getLabels();
        INDArray z = OutputLogits.of(out);
        if (z == null || labels == null) return Figures.NAN;
        INDArray p = Nd4j.exec(new SoftMax(z.dup()))[0];               // DL4J's ActivationSoftmax on the same z
        LossMCXENT loss = (LossMCXENT) ((org.deeplearning4j.nn.conf.layers.OutputLayer) out.conf().getLayer()).getLossFn();
        double[] classWeights = loss.getWeights() == null ? null : loss.getWeights().castTo(DataType.DOUBLE).toDoubleVector();
        int k = (int) z.size(0);
        int n = (int) z.size(1);
        double[] mask = maskOf(out.getMaskArray(), k, n);
        if (mask == null && out.getMaskArray() != null) return Figures.NAN;
        double[] zd = z.castTo(DataType.DOUBLE).dup('c').data().asDouble();     // compact c-order [k × n] copies
        double[] yd = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        float[] pf = p.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float eps = (float) loss.getSoftmaxClipEps();
        double reg = regularizationScore;                               // what DL4J's score adds (0 without L1/L2)
        return of(zd, yd, pf, mask, classWeights, k, n, eps, out.conf().isMiniBatch(), reg);
    }

    /** m_ic as a c-order [k × n] array, null when there is no mask or its shape is not [k, 1] / [k, n]. */
    private static double[] maskOf(INDArray m, int k, int n) {
        if (m == null) return null;
        double[] v = m.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        if (v.length == k) {
            double[] full = new double[k * n];
            for (int i = 0; i < k; i++) for (int c = 0; c < n; c++) full[i * n + c] = v[i];
            return full;
        }
        return v.length == (long) k * n ? v : null;
    }

    /**
     * The formulas of the class Javadoc on plain arrays (c-order [k × n]).
     *
     * @param z          pre-activations (float32 values, as doubles)
     * @param y          labels
     * @param p          DL4J's float32 softmax of z
     * @param mask       labels mask m_ic, or null
     * @param weights    class weights w_c, or null
     * @param eps        DL4J's softmax clip ε as float32
     * @param divideByK  DL4J's {@code conf().isMiniBatch()}: the score is the mean over examples
     * @param regScore   DL4J's L1/L2 score term, added as DL4J adds it
     */
    static Figures of(double[] z, double[] y, float[] p, double[] mask, double[] weights, int k, int n, float eps,
                      boolean divideByK, double regScore) {
        double sum = 0;
        int saturated = 0;
        for (int i = 0; i < k; i++) {
            int row = i * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) max = Math.max(max, z[row + c]);
            double s = 0;
            for (int c = 0; c < n; c++) s += Math.exp(z[row + c] - max);
            double lse = max + Math.log(s);
            boolean hit = false;
            for (int c = 0; c < n; c++) {
                double yc = y[row + c] * (mask == null ? 1 : mask[row + c]);
                if (yc == 0) continue;                                 // 0 · (lse − z) is 0 even for an infinite z
                sum += yc * (weights == null ? 1 : weights[c]) * (lse - z[row + c]);
                if (yc > 0 && p[row + c] <= eps) hit = true;      // DL4J clipped this term to −ln ε
            }
            if (hit) saturated++;
        }
        double mean = divideByK ? sum / k : sum;
        return new Figures(mean + regScore, k == 0 ? Double.NaN : (double) saturated / k);
    }
}
