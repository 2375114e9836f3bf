package org.explosionlab.training;

import org.explosionlab.remedy.GradientStats.Figures;

import org.explosionlab.remedy.ClipResult;
import org.explosionlab.remedy.GradientStats;
import org.explosionlab.remedy.ParamLayout;
import org.explosionlab.remedy.RemedyChain;
import org.explosionlab.network.PassFigures;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What happens to the gradient inside one DL4J step, seen from {@link InstrumentedUpdater}:
 * <ol>
 *   <li>{@link #raw()} — the raw gradient as backprop left it, before anything touches it, on the
 *       mean-loss scale (DL4J's minibatch sum ÷ k);</li>
 *   <li>this project's remedies ({@link RemedyChain}) on that gradient;</li>
 *   <li>{@link #clipped()} — the gradient the optimizer receives: after the remedies, DL4J's ÷k and
 *       DL4J's per-layer {@code GradientNormalization} (before L1/L2 and the optimizer's own
 *       transformation).</li>
 * </ol>
 * It also measures the parameters θ the step starts from, and (at {@code iterationDone}) the update.
 * When nothing stands between backprop and the optimizer, the Adam pass measures all three on its way
 * through ({@link PassFigures}); otherwise they are measured where DL4J keeps them, in native memory
 * ({@link GradientStats#measure(INDArray, double)}), and the clipping rules get a Java copy of the
 * gradient. Buffers are reused from step to step.
 */
final class StepProbe {
    private final ParamLayout layout;
    private final RemedyChain remedies;
    private final boolean dl4jNormalization;
    private final float[] gradient;
    private final float[] paramValues;
    private final GradientStats raw;
    private final GradientStats params;
    private final GradientStats clipped;
    private final GradientStats update;
    private final PassFigures passFigures;
    private boolean measuring = true;
    private boolean inPass;
    private long stepsMeasuredInPass;
    private long stepsMeasuredApart;
    private int batchSize;
    private ClipResult clip = ClipResult.NOT_CLIPPED;
    private boolean skipped;
    private boolean gaveUp;
    private boolean dl4jChanged;

    StepProbe(ParamLayout layout, RemedyChain remedies, boolean dl4jNormalization) {
        this.layout = layout;
        this.remedies = remedies;
        this.dl4jNormalization = dl4jNormalization;
        this.gradient = new float[layout.length()];
        this.paramValues = new float[layout.length()];
        this.raw = new GradientStats(layout);
        this.params = new GradientStats(layout);
        this.clipped = new GradientStats(layout);
        this.update = new GradientStats(layout);
        this.passFigures = new InPassFigures(layout);
    }

    /** Whether the next step's figures are recorded (metrics every N iterations). */
    void measureNextStep(boolean measure) {
        this.measuring = measure;
    }

    /**
     * Whether this step's figures could all be taken by the Adam pass ({@link PassFigures}): the step
     * is recorded and nothing — no remedy, no DL4J {@code GradientNormalization} — stands between
     * backprop and the optimizer.
     */
    boolean wantsPassMeasurement() {
        return measuring && !remedies.clips() && remedies.skip() == null && !dl4jNormalization;
    }

    /**
     * Before DL4J's updater: measure the raw gradient and θ and run the remedies on the gradient — or,
     * with {@code inPass} (after {@link #wantsPassMeasurement} and the updater agreed), leave the
     * measuring to the Adam pass, which reports into {@link #passFigures()}.
     *
     * @return true when the step must be skipped (non-finite gradient with skip-non-finite on)
     */
    boolean beforeUpdate(INDArray flatGradient, INDArray flatParams, int k, boolean inPass) {
        batchSize = k;
        skipped = false;
        dl4jChanged = false;
        clip = ClipResult.NOT_CLIPPED;
        this.inPass = inPass && wantsPassMeasurement();
        if (measuring) {
            if (this.inPass) stepsMeasuredInPass++;
            else stepsMeasuredApart++;
        }
        if (this.inPass) {          // the pass sees g after DL4J's ÷k: figures on scale 1
            raw.begin(1.0);
            params.begin(1.0);
            update.begin(1.0);
            return false;
        }
        boolean needGradient = measuring || remedies.clips() || remedies.skip() != null;
        if (!needGradient) return false;
        if (remedies.clips()) {
            NdBuffers.copy(flatGradient, gradient);      // the rules work on a Java copy
            raw.measure(gradient, 1.0 / k);
        } else {
            raw.measure(flatGradient, 1.0 / k, Figures.NORMS_AND_MAX);   // in place, no copy
        }
        if (measuring) params.measure(flatParams, 1.0, Figures.NORMS_AND_MEAN_ABS);   // θ before this step's update
        if (remedies.skip() != null && remedies.skip().shouldSkip(raw.nonFinite())) {
            skipped = true;
            gaveUp = remedies.skip().givenUp();
            return true;
        }
        if (remedies.clips()) {
            NdBuffers.copy(flatParams, paramValues);
            clip = remedies.clip(gradient, paramValues, k);
            if (clip.clipped()) {
                NdBuffers.write(gradient, flatGradient);
                if (measuring && !dl4jNormalization) clipped.measure(gradient, 1.0 / k);
            }
        }
        return false;
    }

    /** After DL4J's ÷k and per-layer normalization: measure what the optimizer receives. */
    void afterNormalization(INDArray flatGradient) {
        if (!measuring || !dl4jNormalization) return;
        clipped.measure(flatGradient, 1.0, Figures.NORMS_AND_MAX);
        // DL4J's modes may change the gradient: compare per parameter with the raw figures
        for (int p = 0; p < layout.size() && !dl4jChanged; p++) {
            double before = raw.paramL2(p);
            double after = clipped.paramL2(p);
            dl4jChanged = !(Math.abs(after - before) <= 1e-6 * Math.max(before, 1e-30));
        }
    }

    /** Where the Adam pass reports this step's figures, when {@link #beforeUpdate} left them to it. */
    PassFigures passFigures() {
        return passFigures;
    }

    /** "adam pass", "blas passes", both with their step counts, or "none": where the recorded steps were measured. */
    String whereMeasured() {
        if (stepsMeasuredInPass > 0 && stepsMeasuredApart > 0) {
            return "adam pass " + stepsMeasuredInPass + ", blas passes " + stepsMeasuredApart;
        }
        return stepsMeasuredInPass > 0 ? "adam pass" : stepsMeasuredApart > 0 ? "blas passes" : "none";
    }

    /** Whether the Adam pass measures this step. */
    boolean measuredInPass() {
        return inPass;
    }

    /**
     * Figures of the update Δθ this step applied (recorded steps, at {@code iterationDone}, where
     * DL4J's gradient view holds Δθ): from the Adam pass, or measured now in place.
     */
    GradientStats update(INDArray flatUpdate) {
        return inPass ? update : update.measure(flatUpdate, 1.0, Figures.NORMS_AND_MEAN_ABS);
    }

    /** Figures of the parameters θ this step started from (recorded steps only). */
    GradientStats params() {
        return params;
    }

    ParamLayout layout() {
        return layout;
    }

    GradientStats raw() {
        return raw;
    }

    /** Figures of the gradient the optimizer used; equal to {@link #raw()} when nothing clipped. */
    GradientStats clipped() {
        if (skipped) return raw;
        if (!dl4jNormalization && !clip.clipped()) return raw;
        return clipped;
    }

    /** Whether any rule (ours or DL4J's gradientNormalization) changed the gradient this step. */
    boolean clippedThisStep() {
        return clip.clipped() || dl4jChanged;
    }

    /** The mean-scale global threshold in force (global_l2, autoclip), else NaN. */
    double threshold() {
        return clip.threshold();
    }

    boolean skipped() {
        return skipped;
    }

    /** True once skip-non-finite has skipped its maximum number of steps in a row. */
    boolean gaveUp() {
        return gaveUp;
    }

    RemedyChain remedies() {
        return remedies;
    }

    int batchSize() {
        return batchSize;
    }

    /** The probe's figures as the Adam pass reports them (see {@link PassFigures} for what is measured). */
    private final class InPassFigures implements PassFigures {
        private final int[] bounds;

        InPassFigures(ParamLayout layout) {
            bounds = new int[layout.size() + 1];
            for (int p = 0; p < layout.size(); p++) bounds[p] = layout.get(p).offset();
            bounds[layout.size()] = layout.length();
        }

        @Override
        public int[] paramBounds() {
            return bounds;
        }

        @Override
        public void gradient(int p, double sumSq, double maxAbs, long nonFinite) {
            raw.set(p, sumSq, Double.NaN, maxAbs, nonFinite);
        }

        @Override
        public void params(int p, double sumSq, double sumAbs, long nonFinite) {
            params.set(p, sumSq, sumAbs, Double.NaN, nonFinite);
        }

        @Override
        public void update(int p, double sumSq, double sumAbs, long nonFinite) {
            update.set(p, sumSq, sumAbs, Double.NaN, nonFinite);
        }
    }
}
