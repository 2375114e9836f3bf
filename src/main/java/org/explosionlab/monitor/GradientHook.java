package org.explosionlab.monitor;

/**
 * Something that acts on a step's raw gradient before DL4J's updater: a remedy DL4J lacks (global-norm
 * clipping, adaptive clipping, AutoClip, skip-non-finite). Installed on a network through
 * {@link UpdaterHooks#installOn}; hooks run in the order of their {@link #stage()}, and DL4J's own
 * {@code GradientNormalization} runs after all of them.
 */
interface GradientHook {
    /** Stage of skip-non-finite: first, so a NaN step is dropped before anything measures or clips it. */
    int SKIP_NON_FINITE = 0;
    /** Stage of spike skipping: on the raw norm, before any clipping changes it. */
    int SPIKE_SKIP = 1;
    /** Stage of the clipping rules (global norm, AGC, AutoClip, ZClip). */
    int CLIP = 2;

    /** Where this hook runs among the others: lower first ({@link #SKIP_NON_FINITE}, {@link #SPIKE_SKIP}, {@link #CLIP}). */
    int stage();


    /**
     * @param step this step's gradient (minibatch-sum scale) and parameters; the hook may rewrite the gradient
     * @return what the hook did
     */
    Outcome apply(RawGradient step);

    /**
     * @param changed   whether the hook rewrote the gradient
     * @param skip      whether the step must not be applied (no parameter and no optimizer-state change)
     * @param threshold the whole-network threshold on the mean-loss scale the hook compared with, or NaN
     * @param skipReason why the step is skipped ({@code metrics.jsonl}'s {@code skip_reason}), null unless {@code skip}
     */
    record Outcome(boolean changed, boolean skip, double threshold, String skipReason) {
        /** Reason of skip-non-finite: the gradient holds NaN or ±Inf. */
        public static final String NONFINITE = "nonfinite";
        /** Nothing done. */
        public static final Outcome UNCHANGED = new Outcome(false, false, Double.NaN, null);
        /** Skip the step because its gradient is not finite (skip-non-finite). */
        public static final Outcome SKIP = skip(NONFINITE);

        /** An outcome that neither skips nor gives a reason. */
        public Outcome(boolean changed, boolean skip, double threshold) {
            this(changed, skip, threshold, skip ? NONFINITE : null);
        }

        /** Skip the step, for {@code reason}. */
        public static Outcome skip(String reason) {
            return new Outcome(false, true, Double.NaN, reason);
        }
    }
}
