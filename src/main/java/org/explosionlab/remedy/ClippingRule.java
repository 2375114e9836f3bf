package org.explosionlab.remedy;

/**
 * A whole-network clipping rule applied to DL4J's raw gradient, in place, before DL4J's updater.
 * The gradient handed in is DL4J's minibatch <em>sum</em> ({@code k}× the mean-loss gradient);
 * every threshold is on the mean-loss scale, so rules divide norms by {@code k} before comparing.
 */
public interface ClippingRule {

    /**
     * @param gradient raw gradient, minibatch-sum scale, laid out by {@link ParamLayout}; modified in place
     * @param params   current parameters (before this step's update), same layout
     * @param k        minibatch size
     */
    ClipResult apply(float[] gradient, float[] params, int k);

    /** Scales {@code v[from, to)} by {@code f}. */
    static void scale(float[] v, int from, int to, double f) {
        float ff = (float) f;
        for (int i = from; i < to; i++) v[i] *= ff;
    }

    /** Σ v[i]² over {@code [from, to)}, in double. */
    static double sumSq(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += (double) v[i] * v[i];
        return s;
    }
}
