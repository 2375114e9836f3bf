package org.explosionlab.monitor;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The curvature of the loss along the direction the optimizer steps, against the stability limit of that
 * optimizer (the "edge of stability": Cohen et al. 2021, ICLR, "Gradient Descent on Neural Networks Typically
 * Occurs at the Edge of Stability"; Cohen et al. 2022, arXiv 2207.14484, for Adam; Bai et al. 2025, arXiv
 * 2506.04805, for the curvature along the preconditioned gradient):
 * <pre>
 *   sharpness = δᵀ H δ / δᵀ P δ ≈ δᵀ(∇L(θ + δ) − ∇L(θ)) / δᵀ P δ,     δ = ε d / ‖d‖  (ε = {@value #STEP})
 * </pre>
 * δ is the step the parameters actually took (θ + δ rounded to the network's float32, read back), so the
 * quotient is exact to first order along it. ε is small on purpose: on a ReLU network a larger step flips
 * units across their kink and adds the kink's jump ÷ ε to the quotient (with ε = 1e-3 the high-lr run read
 * −125 × its typical value; with 1e-5 no negative value below −0.2), while 1e-5 still moves the gradient by
 * ~10⁴ × float32's rounding.
 * with L the mean loss of a fixed probe minibatch (without L1/L2), ∇L from DL4J's own backprop
 * ({@code MultiLayerNetwork.calculateGradients(features, labels, null, null)}, the minibatch sum ÷ its size):
 * <ul>
 *   <li>SGD and Nesterov momentum: d = g = ∇L(θ), P = I, so the value is gᵀHg / ‖g‖², a lower bound of the
 *       largest eigenvalue. Gradient descent is stable along d while it is below 2/η (with momentum μ:
 *       (2 + 2μ)/η, Cohen et al. 2021, appendix);</li>
 *   <li>Adam-family updaters: d = P⁻¹g, the preconditioned gradient, with DL4J's own preconditioner
 *       P = diag((sqrt(v_t) + ε_Adam) / sqrt(1 − β₂^t)) (its step is η·m̂/P) read from the updater's {@code V}
 *       state. dᵀHd / dᵀPd is the Rayleigh quotient of P^(−1/2) H P^(−1/2) at P^(1/2)d, a lower bound of the
 *       preconditioned sharpness λ_max(P⁻¹H), whose limit is (2 + 2β₁)/((1 − β₁)η) = 38/η at β₁ = 0.9
 *       (Cohen et al. 2022).</li>
 * </ul>
 * Measured at {@code iterationDone}, after the step (θ is the next step's starting point), on the minibatch
 * the first measurement saw, kept as the probe. It costs two gradient evaluations of the probe minibatch.
 *
 * <p><b>The training is left bit-identical.</b> DL4J has no double backward, so the Hessian-vector product is a
 * forward difference of gradients. {@code calculateGradients} does not touch the updater, but it overwrites the
 * network's gradient view (which at {@code iterationDone} holds the applied update), its input and labels, and it
 * calls the listeners' {@code onForwardPass}. This class copies the parameters and the gradient view first and
 * writes them back exactly (float for float) afterwards, and puts the training minibatch back as the network's
 * input and labels; the monitor ignores its own callbacks while probing (other listeners do see the probe's
 * forward pass). A network with dropout or weight noise would draw random numbers in the probe and change the
 * training: there the instrument is unavailable ({@link #unavailableReason}). So it is for a
 * {@code ComputationGraph}: it has no {@code calculateGradients}, and its {@code computeGradientAndScore}
 * changes the score and the graph's internal state that the step reads afterwards.
 */
final class DirectionalSharpness {
    /** The finite-difference step along the unit direction, in parameter units. */
    static final double STEP = 1e-5;
    private final MultiLayerNetwork net;
    private INDArray probeFeatures;
    private INDArray probeLabels;

    DirectionalSharpness(MultiLayerNetwork net) {
        this.net = net;
    }

    /** Why the instrument cannot run on {@code model}, or null when it can. */
    static String unavailableReason(Network model) {
        if (!(model.model() instanceof MultiLayerNetwork)) {
            return "sharpness is measured for a MultiLayerNetwork only: a ComputationGraph has no calculateGradients"
                    + " that leaves the training state untouched";
        }
        for (Layer l : model.layers()) {
            if (l.conf().getLayer() instanceof BaseLayer b && (b.getIDropout() != null || b.getWeightNoise() != null)) {
                return "sharpness is not measured on a network with dropout or weight noise: the probe would draw random"
                        + " numbers and change the training";
            }
        }
        return null;
    }

    /** The stability limit of {@code updater} at learning rate {@code lr}, or NaN when none is known. */
    static double limit(IUpdater updater, double lr) {
        if (updater == null || !(lr > 0)) return Double.NaN;
        if (updater instanceof Sgd) return 2 / lr;
        if (updater instanceof Nesterovs n) return (2 + 2 * n.getMomentum()) / lr;
        double[] betas = AdamUpdateRms.betas(updater);
        if (betas != null) return (2 + 2 * betas[0]) / ((1 - betas[0]) * lr);
        return Double.NaN;
    }

    /** Keeps a copy of the network's current minibatch as the probe, the first time. */
    void captureProbe() {
        if (probeFeatures != null || net.getInput() == null || net.getLabels() == null) return;
        probeFeatures = net.getInput().dup().detach();
        probeLabels = net.getLabels().dup().detach();
    }

    /** Uses this minibatch as the probe (before the first measurement). */
    void probe(INDArray features, INDArray labels) {
        probeFeatures = features.dup().detach();
        probeLabels = labels.dup().detach();
    }

    /**
     * The sharpness at the network's current parameters; NaN when there is no probe yet or the gradient is zero
     * or non-finite. Leaves parameters, gradient view, input and labels as they were.
     *
     * @param preconditioned along P⁻¹g with Adam's preconditioner (see the class comment), else along g
     * @param iteration      DL4J's iteration of the step just taken (for Adam's bias correction, t = iteration + 1)
     */
    double measure(boolean preconditioned, int iteration) {
        if (probeFeatures == null) return Double.NaN;
        INDArray params = net.params();
        INDArray gradView = net.getFlattenedGradients();
        INDArray savedParams = params.dup();
        INDArray savedGradient = gradView.dup();
        INDArray savedInput = net.getInput();
        INDArray savedLabels = net.getLabels();
        try {
            double[] g0 = gradient();
            double[] p = preconditioned ? preconditioner(iteration, g0.length) : null;
            double[] d = new double[g0.length];
            double dd = 0;
            for (int i = 0; i < d.length; i++) {
                d[i] = p == null ? g0[i] : g0[i] / p[i];
                dd += d[i] * d[i];
            }
            double norm = Math.sqrt(dd);
            if (!(norm > 0) || !Double.isFinite(norm)) return Double.NaN;
            double[] step = new double[d.length];
            for (int i = 0; i < d.length; i++) step[i] = STEP * d[i] / norm;
            params.addi(Nd4j.createFromArray(step).castTo(params.dataType()).reshape(params.shape()));
            // the step float32 parameters actually took (θ + δ rounds): the quotient is taken along it, exactly
            double[] delta = params.toDoubleVector();
            double[] base = savedParams.toDoubleVector();
            double[] g1 = gradient();
            double dHd = 0;
            double dPd = 0;
            for (int i = 0; i < d.length; i++) {
                double di = delta[i] - base[i];
                dHd += di * (g1[i] - g0[i]);                 // δᵀ(∇L(θ + δ) − ∇L(θ)) ≈ δᵀHδ
                dPd += di * di * (p == null ? 1 : p[i]);
            }
            return dHd / dPd;
        } finally {
            params.assign(savedParams);              // the same numbers: bit-identical
            gradView.assign(savedGradient);
            net.setInput(savedInput);
            net.setLabels(savedLabels);
        }
    }

    /** ∇ of the probe's mean loss at the current parameters. */
    private double[] gradient() {
        net.calculateGradients(probeFeatures, probeLabels, null, null);
        double[] g = net.getFlattenedGradients().toDoubleVector();
        double k = probeFeatures.size(0);
        for (int i = 0; i < g.length; i++) g[i] /= k;
        return g;
    }

    /** DL4J's Adam preconditioner (sqrt(v) + ε) / sqrt(1 − β₂^t), 1 where no Adam-family block covers a parameter. */
    private double[] preconditioner(int iteration, int length) {
        double[] p = new double[length];
        Arrays.fill(p, 1);
        Updater u = net.getUpdater(false);
        if (!(u instanceof BaseMultiLayerUpdater<?> m)) return p;
        for (UpdaterBlock b : m.getUpdaterBlocks()) {
            INDArray v = AdamUpdateRms.secondMoment(b.getGradientUpdater());
            double[] betas = AdamUpdateRms.betas(b.getGradientUpdater());
            if (v == null || betas == null) continue;
            double[] vs = v.toDoubleVector();
            int from = b.getParamOffsetStart();
            double scale = 1 / Math.sqrt(1 - Math.pow(betas[1], iteration + 1.0));
            for (int i = 0; i < vs.length; i++) p[from + i] = (Math.sqrt(vs[i]) + betas[2]) * scale;
        }
        return p;
    }
}
