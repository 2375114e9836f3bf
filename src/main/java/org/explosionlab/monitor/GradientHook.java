package org.explosionlab.monitor;

/**
 * Something that acts on a step's raw gradient before DL4J's updater: a remedy DL4J lacks (global-norm
 * clipping, adaptive clipping, AutoClip, skip-non-finite). Installed on a network through
 * {@link HookedUpdater#installOn}; hooks run in the order they were installed, and DL4J's own
 * {@code GradientNormalization} runs after all of them.
 */
public interface GradientHook {

    /**
     * @param step this step's gradient (minibatch-sum scale) and parameters; the hook may rewrite the gradient
     * @return what the hook did
     */
    Outcome apply(RawGradient step);

    /**
     * @param changed   whether the hook rewrote the gradient
     * @param skip      whether the step must not be applied (no parameter and no optimizer-state change)
     * @param threshold the whole-network threshold on the mean-loss scale the hook compared with, or NaN
     */
    record Outcome(boolean changed, boolean skip, double threshold) {
        /** Nothing done. */
        public static final Outcome UNCHANGED = new Outcome(false, false, Double.NaN);
        /** Skip the step. */
        public static final Outcome SKIP = new Outcome(false, true, Double.NaN);
    }
}
