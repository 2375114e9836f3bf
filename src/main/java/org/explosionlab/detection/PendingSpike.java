package org.explosionlab.detection;

/**
 * A spike that met the relative explosion test but stayed below the absolute ceiling, waiting for the next
 * {@code confirmWindow} samples to tell an explosion from minibatch noise. Small minibatches late in a healthy run
 * give heavy-tailed gradient norms: the seed model at batch 16 reaches 6.8 at iteration 3751 against a recent
 * median of 0.23 and an early reference of 0.52 (13x), and trains on as if nothing happened. An explosion changes
 * the run. The spike is confirmed when, within the K = {@code confirmWindow} samples after it,
 * <ul>
 *   <li>a sample is non-finite or meets the explosion test again (the norm stays up), or</li>
 *   <li>the mean loss of the K samples is at least 1.5x the mean loss of the W samples before the spike, and 0.1
 *       above it (the step threw the weights off), or</li>
 *   <li>their mean minibatch accuracy is at least 0.1 below the mean of the W samples before.</li>
 * </ul>
 * Otherwise it is rejected after K samples. A run that ends within K samples of the spike keeps it as an
 * explosion (it cannot be ruled out). The event keeps the spike's iteration; it is returned when confirmed.
 */
final class PendingSpike {
    static final double LOSS_FACTOR = 1.5;
    static final double LOSS_MARGIN = 0.1;
    static final double ACCURACY_DROP = 0.1;

    private final DetectorConfig config;
    private final ExplosionEvent event;
    private final RecoveryWatch watch;
    private final long samplesAtEvent;
    private final double lossBefore;
    private final double accuracyBefore;
    private int after;
    private double lossSum;
    private int lossCount;
    private double accSum;
    private int accCount;
    private boolean rejected;

    PendingSpike(DetectorConfig config, ExplosionEvent event, RecoveryWatch watch, long samplesAtEvent, double lossBefore,
                 double accuracyBefore) {
        this.config = config;
        this.event = event;
        this.watch = watch;
        this.samplesAtEvent = samplesAtEvent;
        this.lossBefore = lossBefore;
        this.accuracyBefore = accuracyBefore;
    }

    /** Feeds one sample after the spike; returns true when it confirms the spike. */
    boolean observe(IterationSample s, boolean explosive) {
        if (rejected) return false;
        watch.observe(s, explosive);
        after++;
        if (explosive || s.hasNonFinite()) return true;
        lossSum += s.loss();
        lossCount++;
        if (!Double.isNaN(s.batchAccuracy())) {
            accSum += s.batchAccuracy();
            accCount++;
        }
        if (after < config.confirmWindow()) return false;
        double lossAfter = lossSum / lossCount;
        boolean lossUp = !Double.isNaN(lossBefore) && lossAfter >= LOSS_FACTOR * lossBefore && lossAfter >= lossBefore + LOSS_MARGIN;
        boolean accuracyDown = accCount > 0 && !Double.isNaN(accuracyBefore) && accuracyBefore - accSum / accCount >= ACCURACY_DROP;
        if (lossUp || accuracyDown) return true;
        rejected = true;
        return false;
    }

    boolean rejected() {
        return rejected;
    }

    ExplosionEvent event() {
        return event;
    }

    RecoveryWatch watch() {
        return watch;
    }

    long samplesAtEvent() {
        return samplesAtEvent;
    }
}
