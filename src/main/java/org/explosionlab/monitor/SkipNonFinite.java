package org.explosionlab.monitor;


/**
 * Skip a step whose gradient holds NaN or ±Inf, like Optax {@code apply_if_finite}: the update is
 * not applied (parameters and optimizer state stay as they were), the skip is counted, and after
 * {@code maxConsecutive} skips in a row the run gives up — by then the network is not recovering.
 *
 * <p>One difference from Optax: DL4J's iteration counter still advances on a skipped step, so the
 * learning-rate schedule and Adam's bias correction (1 − β^t, t = iteration + 1) count it as elapsed,
 * whereas {@code apply_if_finite} leaves the inner optimizer's step count unchanged. The optimizer's
 * state arrays (Adam's m and v) are untouched.
 */
final class SkipNonFinite extends Remedy {
    private final int maxConsecutive;
    private int consecutive;
    private long total;

    public SkipNonFinite(int maxConsecutive) {
        if (maxConsecutive < 1) throw new IllegalArgumentException("maxConsecutive must be >= 1, got " + maxConsecutive);
        this.maxConsecutive = maxConsecutive;
    }

    @Override
    public int stage() {
        return SKIP_NON_FINITE;
    }

    @Override
    public Outcome apply(RawGradient step) {
        return shouldSkip(step.nonFinite()) ? Outcome.SKIP : Outcome.UNCHANGED;
    }

    /** Records one step; returns true when the step must be skipped. */
    public boolean shouldSkip(long nonFiniteElements) {
        if (nonFiniteElements == 0) {
            consecutive = 0;
            return false;
        }
        consecutive++;
        total++;
        return true;
    }

    /** True once {@code maxConsecutive} steps in a row were skipped. */
    public boolean givenUp() {
        return consecutive >= maxConsecutive;
    }

    public int consecutive() {
        return consecutive;
    }

    public long total() {
        return total;
    }

    /** Restores checkpointed counters. */
    public void restore(int consecutive, long total) {
        this.consecutive = consecutive;
        this.total = total;
    }

    @Override
    public String toString() {
        return "skip-non-finite";
    }
}
