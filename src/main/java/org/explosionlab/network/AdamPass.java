package org.explosionlab.network;

import java.nio.FloatBuffer;

/**
 * One Adam step over one updater block, as {@link FusedAdamUpdater} hands it to an {@link AdamKernel}:
 * the block's native float32 buffers and the step's scalars. Reused from step to step.
 */
final class AdamPass {
    /** The gradient on entry (the minibatch sum if {@link #divisor} &gt; 1); the update Δθ on exit. */
    FloatBuffer gradient;
    /** Adam's first and second moments m and v (DL4J's state layout, halves of one view). */
    FloatBuffer m;
    FloatBuffer v;
    /** The block's parameters θ, updated in the pass (θ ← θ − Δθ); null when DL4J's step function subtracts. */
    FloatBuffer params;
    /** Elements in the block. */
    int length;
    float beta1;
    float beta2;
    float epsilon;
    /** α_t = lr·√(1 − β2^t) / (1 − β1^t), see {@link FusedAdamUpdater#alpha}. */
    float alpha;
    /** The minibatch size the gradient still has to be divided by; 1 if DL4J already divided it. */
    int divisor = 1;
    /**
     * Whether g/k can be computed as g·(1/k) with the same bits: when k is a power of two, 1/k is exact
     * in float32 and both are the correctly rounded value of the same real number. Multiplying keeps
     * the divider (shared with the square root of Adam's denominator) free.
     */
    static boolean exactReciprocal(int k) {
        return k > 0 && Integer.bitCount(k) == 1 && k <= 1 << 30;
    }

    /** Where to report the figures the pass measures; null for an unmeasured step. */
    PassFigures figures;
    /** The block's first element in the network's flattened vector (to find parameter bounds). */
    int offset;

    /**
     * The parameter arrays of {@link #figures} that make up this block, {@code {first, end}} (end
     * exclusive): checked to cover the block exactly, no array straddling its edges, before a measuring
     * kernel touches it.
     */
    int[] paramsInBlock() {
        int[] bounds = figures.paramBounds();
        int from = offset;
        int to = offset + length;
        int first = -1;
        int end = -1;
        for (int q = 0; q + 1 < bounds.length; q++) {
            int s = bounds[q];
            int e = bounds[q + 1];
            if (e <= from || s >= to) continue;
            if (s < from || e > to) throw new IllegalStateException("parameter " + q + " straddles an updater block");
            if (first < 0) first = q;
            end = q + 1;
        }
        if (first < 0 || bounds[first] != from || bounds[end] != to) {
            throw new IllegalStateException("parameter bounds do not cover the block [" + from + ", " + to + ")");
        }
        return new int[] {first, end};
    }
}
