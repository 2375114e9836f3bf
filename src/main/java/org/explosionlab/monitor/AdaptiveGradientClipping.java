package org.explosionlab.monitor;


/**
 * Adaptive gradient clipping, unit-wise (Brock, De, Smith, Simonyan 2021, "High-Performance
 * Large-Scale Image Recognition Without Normalization", eq. 3): for every unit i
 * <pre>  if ‖G_i‖ / max(‖W_i‖, ε) > λ :  G_i ← λ · max(‖W_i‖, ε) / max(‖G_i‖, 1e-6) · G_i</pre>
 * A unit is one output unit, as {@link ParamLayout} cuts it: a column of a dense layer's
 * {@code [nIn, nOut]} weight (contiguous in DL4J's 'f' layout), one output channel of a convolution
 * kernel (as in NFNets); a bias vector is one unit. G is the mean-loss gradient (raw sum / k), W the
 * parameters before this step's update. Parameters that are not trained by the loss (BatchNorm's running
 * statistics) are left alone. The paper leaves the final classifier layer unclipped ({@code excludeOutput}):
 * the last layer that holds parameters.
 */
final class AdaptiveGradientClipping implements ClippingRule {
    private static final double MIN_GRAD_NORM = 1e-6;
    private final double lambda;
    private final double eps;
    private final boolean excludeOutput;

    public AdaptiveGradientClipping(double lambda, double eps, boolean excludeOutput) {
        this.lambda = lambda;
        this.eps = eps;
        this.excludeOutput = excludeOutput;
    }

    @Override
    public ClipResult apply(float[] gradient, float[] params, int k, ParamLayout layout) {
        boolean clipped = false;
        int outputLayer = layout.get(layout.size() - 1).layer();
        for (ParamLayout.Param p : layout.params()) {
            if (!p.lossGradient() || excludeOutput && p.layer() == outputLayer) continue;
            int unitLength = p.unitLength();
            int units = p.units();
            for (int u = 0; u < units; u++) {
                int from = p.offset() + u * unitLength;
                int to = from + unitLength;
                double gNorm = Math.sqrt(ClippingRule.sumSq(gradient, from, to)) / k;
                double maxNorm = lambda * Math.max(Math.sqrt(ClippingRule.sumSq(params, from, to)), eps);
                if (gNorm > maxNorm) {
                    ClippingRule.scale(gradient, from, to, maxNorm / Math.max(gNorm, MIN_GRAD_NORM));
                    clipped = true;
                }
            }
        }
        return new ClipResult(clipped, Double.NaN);
    }

    @Override
    public String toString() {
        return "adaptive gradient clipping " + lambda;
    }
}
