package org.explosionlab.network;

/**
 * Where the Adam pass ({@link FusedAdamUpdater} with the {@link NativeAdamKernel} or the
 * {@link VectorAdamKernel}) reports what it
 * measured on its way through the parameters, one call per parameter array and vector. The pass reads
 * each element of the gradient g, the parameters θ and writes the update Δθ anyway; measuring them
 * there costs a few vector operations per element instead of a separate pass over memory each.
 *
 * <p>Per parameter array p (elements {@code bounds[p] … bounds[p+1]} of the network's flattened
 * vector), sums are accumulated in float32 vector lanes within at most 4,096 elements and
 * in double across chunks. A chunk holding a NaN/±Inf (or a Σx² beyond float range) is measured again
 * element by element in double, from the values before the pass overwrote them, with the non-finite
 * elements counted and left out of the sums.
 */
public interface PassFigures {
    /**
     * Offsets in the network's flattened parameter vector where each parameter array starts, followed
     * by the vector's length: {@code bounds[p] … bounds[p+1]} is parameter p.
     */
    int[] paramBounds();

    /**
     * The gradient as the pass received it, after DL4J's division by the minibatch size k — with no
     * clipping and no {@code GradientNormalization} in between, the raw gradient on the mean-loss
     * scale: Σg², largest finite |g|, number of non-finite elements.
     */
    void gradient(int param, double sumSq, double maxAbs, long nonFinite);

    /** The parameters θ before this step's update: Σθ², Σ|θ|, number of non-finite elements. */
    void params(int param, double sumSq, double sumAbs, long nonFinite);

    /** The update Δθ the pass computed and subtracted (θ ← θ − Δθ): ΣΔθ², Σ|Δθ|, non-finite elements. */
    void update(int param, double sumSq, double sumAbs, long nonFinite);
}
