package org.explosionlab.monitor;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AMSGradUpdater;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.NadamUpdater;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam's update RMS (Wortsman et al. 2023, "Stable and low-precision training for large-scale vision-language
 * models", arXiv 2304.13013, the quantity their StableAdamW clips the learning rate by):
 * <pre>
 *   RMS = sqrt( mean_i  g_i² / max(v̂_i, ε²) ),    v̂ = v_t / (1 − β₂^t),  t = iteration + 1
 * </pre>
 * over the parameters an Adam-family updater (DL4J's {@code AdamUpdater}, {@code NadamUpdater},
 * {@code AMSGradUpdater}) moves, globally and per layer. g is the gradient the optimizer received this step on
 * the mean-loss scale; v_t the second moment in the updater block's {@code V} state. Read at
 * {@code iterationDone}, after DL4J's updater ran, so v_t already holds this step's (1 − β₂)·g²: the RMS is
 * about 1 while the second moment tracks the squared gradient and rises far above 1 when a sudden gradient
 * finds v "out of date" — what Wortsman et al. see 1–8 iterations before their loss spikes. t = iteration + 1
 * is the step DL4J's native Adam op uses for its bias corrections.
 *
 * <p>DL4J adds L2 (not weight decay) to the gradient inside the updater block; g here is without it, so the
 * figure is exact for networks without L1/L2 and an approximation with them.
 */
final class AdamUpdateRms {
    private final ParamLayout layout;
    /** max(v, ε²/c) per element; float64 like the hand formula. */
    private final DoubleVector denominator;
    /** g / max(v, ε²/c) per element (c = 1/(1 − β₂^t)). */
    private final DoubleVector ratio;

    AdamUpdateRms(ParamLayout layout) {
        this.layout = layout;
        this.denominator = new DoubleVector(layout.length());
        this.ratio = new DoubleVector(layout.length());
    }

    /** Whether {@code updater} has at least one Adam-family block (the only ones with a second moment to read). */
    static boolean appliesTo(Updater updater) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> u)) return false;
        for (UpdaterBlock b : u.getUpdaterBlocks()) if (secondMoment(b.getGradientUpdater()) != null) return true;
        return false;
    }

    /**
     * Element-wise in ND4J ops on float64 copies (no Java loop over the parameters), the sums in OpenBLAS.
     *
     * @param updater   the network's updater, after its step
     * @param g         the gradient the optimizer received, in the flattened layout
     * @param scale     what turns {@code g} to the mean-loss scale (1/k for a minibatch sum)
     * @param iteration DL4J's iteration counter of the step
     * @return {@code [global, layer 0, layer 1, ...]} (layers in {@link ParamLayout#layerIndices()} order), NaN for a
     *         layer no Adam-family block covers; null when no block is Adam-family
     */
    double[] measure(Updater updater, DoubleVector g, double scale, int iteration) {
        if (!(updater instanceof BaseMultiLayerUpdater<?> u)) return null;
        int layers = layout.layers();
        double[] sum = new double[layers];
        long[] count = new long[layers];
        boolean any = false;
        for (UpdaterBlock b : u.getUpdaterBlocks()) {
            INDArray second = secondMoment(b.getGradientUpdater());
            double[] betas = betas(b.getGradientUpdater());
            if (second == null || betas == null) continue;
            any = true;
            int from = b.getParamOffsetStart();
            int end = b.getParamOffsetEnd();
            double correction = 1.0 / (1.0 - Math.pow(betas[1], iteration + 1.0));
            double eps2 = betas[2] * betas[2];
            // Σ (g·s)² / max(v·c, ε²) = (s²/c) · Σ g · (g / max(v, ε²/c)): four passes over the block, no Java loop
            INDArray den = denominator.view(from, end - from, second);
            den.assign(second);
            boolean nan = Double.isNaN(denominator.sumAbs(from, end - from));   // Math.max(NaN, ε²) is NaN; ND4J's max is not
            Transforms.max(den, eps2 / correction, false);
            Nd4j.exec(new DivOp(g.view(from, end - from, second), den, ratio.view(from, end - from, second)));
            double factor = scale * scale / correction;
            for (int p = 0; p < layout.size(); p++) {
                ParamLayout.Param param = layout.get(p);
                int a = Math.max(from, param.offset());
                int e = Math.min(end, param.offset() + param.length());
                if (a >= e) continue;
                int l = layout.ordinalOf(param.layer());
                boolean nanHere = nan && Double.isNaN(secondMomentSumAbs(second, a - from, e - a));
                sum[l] += nanHere ? Double.NaN : factor * ratio.dot(g, a, e - a);
                count[l] += e - a;
            }
        }
        if (!any) return null;
        double[] out = new double[layers + 1];
        double total = 0;
        long n = 0;
        for (int l = 0; l < layers; l++) {
            out[l + 1] = count[l] == 0 ? Double.NaN : Math.sqrt(sum[l] / count[l]);
            total += sum[l];
            n += count[l];
        }
        out[0] = n == 0 ? Double.NaN : Math.sqrt(total / n);
        return out;
    }

    /** Σ |v| over {@code length} elements at {@code offset} of a block's second moment (only after a NaN was found). */
    private static double secondMomentSumAbs(INDArray second, int offset, int length) {
        return second.reshape(second.length()).get(NDArrayIndex.interval(offset, offset + length)).sumNumber().doubleValue();
    }

    /** The {@code V} state of an Adam-family updater, else null. */
    static INDArray secondMoment(GradientUpdater<?> u) {
        if (u instanceof AdamUpdater a) return a.getV();
        if (u instanceof NadamUpdater a) return a.getV();
        if (u instanceof AMSGradUpdater a) return a.getV();
        return null;
    }

    /** {β₁, β₂, ε} of an Adam-family updater's configuration, else null. */
    static double[] betas(GradientUpdater<?> u) {
        return betas(u.getConfig());
    }

    /** {β₁, β₂, ε} of an Adam-family updater configuration, else null. */
    static double[] betas(org.nd4j.linalg.learning.config.IUpdater c) {
        if (c instanceof Adam a) return new double[]{a.getBeta1(), a.getBeta2(), a.getEpsilon()};
        if (c instanceof Nadam a) return new double[]{a.getBeta1(), a.getBeta2(), a.getEpsilon()};
        if (c instanceof AMSGrad a) return new double[]{a.getBeta1(), a.getBeta2(), a.getEpsilon()};
        return null;
    }
}
