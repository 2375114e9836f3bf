package org.explosionlab.detection;

/**
 * Whether training recovered after an explosion, and from which iteration.
 *
 * <p>After the explosion event, a sample is <em>normal</em> when it is finite, does not meet the
 * explosion test ({@link ExplosionDetector}) and is not dead (min(‖g‖, min_l ‖g_l‖) &gt;
 * {@code collapseGradMax}, or a minibatch accuracy of at least {@code stallAccuracyMax}: a network the explosion
 * killed has small, steady gradients too, a network that fits its data has them at a high accuracy). The run has recovered at the first stretch of
 * R = {@code recoveryWindow} normal samples in a row that also made progress:
 * <ul>
 *   <li>with a minibatch accuracy: mean accuracy over the stretch ≥ {@code stallAccuracyMax} (halfway
 *       between chance and perfect), i.e. the network classifies again, not merely has small gradients
 *       (a network the explosion killed has small, steady gradients too);</li>
 *   <li>without one: mean loss over the stretch ≤ the mean loss of the W samples before the explosion,
 *       or, when the explosion came before any, ≤ half the loss at the explosion.</li>
 * </ul>
 * {@code recovered_at} is the first iteration of that stretch. A sample meeting the explosion test after
 * the recovery is a relapse: the recovery is withdrawn and the watch starts again.
 */
final class RecoveryWatch {
    private final DetectorConfig config;
    private final double lossBefore;
    private final double lossAtEvent;
    private int run;
    private long runStart = -1;
    private double accSum;
    private int accCount;
    private double lossSum;
    private Long recoveredAt;

    /**
     * @param lossBefore  mean loss of the samples before the explosion (NaN when there were none)
     * @param lossAtEvent loss at the explosion
     */
    RecoveryWatch(DetectorConfig config, double lossBefore, double lossAtEvent) {
        this.config = config;
        this.lossBefore = lossBefore;
        this.lossAtEvent = lossAtEvent;
    }

    /** Feeds one sample after the event; {@code explosive}: it meets the explosion test. */
    void observe(IterationSample s, boolean explosive) {
        if (explosive || s.hasNonFinite() || dead(s)) {
            recoveredAt = null;
            run = 0;
            return;
        }
        if (recoveredAt != null) return;
        if (run == 0) {
            runStart = s.iteration();
            accSum = 0;
            accCount = 0;
            lossSum = 0;
        }
        run++;
        lossSum += s.loss();
        if (!Double.isNaN(s.batchAccuracy())) {
            accSum += s.batchAccuracy();
            accCount++;
        }
        if (run < config.recoveryWindow()) return;
        if (progressed()) {
            recoveredAt = runStart;
        } else {
            run = 0;                       // start a new stretch at the next sample
        }
    }

    /**
     * A network the explosion killed: tiny gradients while it does not classify. Tiny gradients at a good minibatch
     * accuracy are a network that fits its data (a loss near 0), not a dead one.
     */
    private boolean dead(IterationSample s) {
        if (s.batchAccuracy() >= config.stallAccuracyMax()) return false;
        double smallest = s.gradL2Global();
        for (int l = 0; l < s.layerCount(); l++) smallest = Math.min(smallest, s.layerNorm(l));
        return smallest <= config.collapseGradMax();
    }

    private boolean progressed() {
        if (accCount == run) return accSum / run >= config.stallAccuracyMax();
        double meanLoss = lossSum / run;
        double bar = Double.isNaN(lossBefore) ? 0.5 * lossAtEvent : lossBefore;
        return meanLoss <= bar;
    }

    /**
     * At the end of the run, when the stretch of normal samples that reaches the end is shorter than R but at
     * least min(R, max(minJudgedSamples / 2, half the samples since the event)) long and made progress: its
     * first iteration (a short run that recovered); else {@link #recoveredAt()}.
     */
    Long recoveredAtEnd(long samplesSinceEvent) {
        if (recoveredAt != null || run == 0) return recoveredAt;
        long needed = Math.min(config.recoveryWindow(), Math.max(config.minJudgedSamples() / 2, samplesSinceEvent / 2));
        return run >= needed && progressed() ? runStart : null;
    }

    /** The first iteration of the recovery stretch, or null while not recovered. */
    Long recoveredAt() {
        return recoveredAt;
    }
}
