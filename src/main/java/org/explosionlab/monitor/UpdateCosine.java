package org.explosionlab.monitor;

/**
 * The cosine between the step DL4J applied and the descent direction (Molybog et al. 2023, "A Theory on Adam
 * Instability in Large-Scale Machine Learning", arXiv 2304.09871: before an instability the update grows and
 * becomes "essentially uncorrelated with the direction of descent"):
 * <pre>
 *   cos(−Δθ, −g) = Σ Δθ_i g_i / (‖Δθ‖₂ ‖g‖₂)
 * </pre>
 * globally and per layer, over the loss-gradient parameters ({@link ParamLayout.Param#lossGradient()}; not
 * BatchNorm's running statistics). Δθ is the update DL4J's solver subtracted (θ ← θ − Δθ), read from the
 * gradient view at {@code iterationDone}; g the raw gradient backprop produced, read at
 * {@code onGradientCalculation}. The minibatch-sum scale of g does not matter to a cosine. Plain SGD without
 * L1/L2 or clipping gives 1; momentum, Adam's preconditioning, a per-layer clip or L2 turn the step away from
 * −g; a step against the gradient gives a negative cosine. NaN where a norm is zero (a skipped step).
 * The three sums per parameter are OpenBLAS dot products on float64 copies ({@link DoubleVector}), no Java loop.
 */
final class UpdateCosine {
    private final ParamLayout layout;

    UpdateCosine(ParamLayout layout) {
        this.layout = layout;
    }

    /**
     * @param update Δθ, in the flattened layout
     * @param g      the raw gradient, in the flattened layout
     * @return {@code [global, layer 0, layer 1, ...]} in {@link ParamLayout#layerIndices()} order
     */
    double[] measure(DoubleVector update, DoubleVector g) {
        int layers = layout.layers();
        double[] dot = new double[layers];
        double[] uu = new double[layers];
        double[] gg = new double[layers];
        for (int p = 0; p < layout.size(); p++) {
            ParamLayout.Param param = layout.get(p);
            if (!param.lossGradient()) continue;
            int l = layout.ordinalOf(param.layer());
            dot[l] += update.dot(g, param.offset(), param.length());
            uu[l] += update.dot(update, param.offset(), param.length());
            gg[l] += g.dot(g, param.offset(), param.length());
        }
        double[] out = new double[layers + 1];
        double d = 0, a = 0, b = 0;
        for (int l = 0; l < layers; l++) {
            out[l + 1] = cosine(dot[l], uu[l], gg[l]);
            d += dot[l];
            a += uu[l];
            b += gg[l];
        }
        out[0] = cosine(d, a, b);
        return out;
    }

    private static double cosine(double dot, double uu, double gg) {
        return uu > 0 && gg > 0 ? dot / Math.sqrt(uu * gg) : Double.NaN;
    }
}
