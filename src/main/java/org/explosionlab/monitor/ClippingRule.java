package org.explosionlab.monitor;


/**
 * A whole-network clipping rule applied to DL4J's raw gradient, in place, before DL4J's updater.
 * The gradient handed in is DL4J's minibatch <em>sum</em> ({@code k}× the mean-loss gradient);
 * every threshold is on the mean-loss scale, so rules divide norms by {@code k} before comparing.
 */
interface ClippingRule {

    /**
     * @param gradient raw gradient, minibatch-sum scale, laid out by {@link ParamLayout}; modified in place
     * @param params   current parameters (before this step's update), same layout
     * @param k        minibatch size
     * @param layout   where each parameter lies; only loss-gradient parameters are clipped
     *                 ({@link ParamLayout.Param#lossGradient()}: BatchNorm's running statistics are not)
     */
    ClipResult apply(float[] gradient, float[] params, int k, ParamLayout layout);

    /** Scales {@code v[from, to)} by {@code f}. */
    static void scale(float[] v, int from, int to, double f) {
        float ff = (float) f;
        for (int i = from; i < to; i++) v[i] *= ff;
    }

    /** Σ v[i]² over the loss-gradient parameters of {@code layout}, in double. */
    static double lossSumSq(float[] v, ParamLayout layout) {
        double s = 0;
        for (ParamLayout.Param p : layout.params()) if (p.lossGradient()) s += sumSq(v, p.offset(), p.offset() + p.length());
        return s;
    }

    /** Scales the loss-gradient parameters of {@code layout} by {@code f}. */
    static void scaleLoss(float[] v, ParamLayout layout, double f) {
        for (ParamLayout.Param p : layout.params()) if (p.lossGradient()) scale(v, p.offset(), p.offset() + p.length(), f);
    }

    /** Σ v[i]² over {@code [from, to)}, in double. */
    static double sumSq(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) v[i] * v[i];
        return s;
    }
}
