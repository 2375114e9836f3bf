package org.explosionlab.detection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.spec.EventKind;

/**
 * An explosion contained by a remedy: clipping (this project's remedies or DL4J's {@code GradientNormalization})
 * or skipping changed most steps, and the raw gradient stayed far above what the optimizer was allowed to see.
 * The run may train, but the cause of the explosion (the init, the learning rate) is still there, and the
 * remedy is doing the network's work on every step.
 *
 * <p>Over the trailing window of C = {@code containedWindow} samples, with shrink_t = raw ‖g_t‖ / applied ‖g_t‖
 * ({@link IterationSample#shrink()}: 1 on an untouched step, +∞ on a skipped one):
 * <pre>
 *   contained  ⇔  #{t : changed_t} / C ≥ {@code containedFractionMin} (0.5)  and
 *                 median_{t changed}(shrink_t) ≥ {@code containedShrinkMin} (10)
 * </pre>
 * reported at the first iteration of that window, once; judged at {@code verdict()} time over the samples held
 * when the run ended before C (from {@code minJudgedSamples} on). The trigger says how often (clip_fraction) and
 * by how much (median_shrink, raw and applied medians, raw max); the advice names the cause: large from the first
 * recorded step means the initial weights, growing later the learning rate.
 */
final class ContainedWatch {
    private final DetectorConfig config;
    private final NetworkFacts facts;
    private final boolean[] changed;
    private final double[] shrink;
    private final double[] raw;
    private final double[] applied;
    private final long[] iterations;
    private final int[] epochs;
    private int size;
    private int next;
    private boolean reported;
    private double firstRaw = Double.NaN;

    ContainedWatch(DetectorConfig config, NetworkFacts facts) {
        this.config = config;
        this.facts = facts;
        int c = config.containedWindow();
        changed = new boolean[c];
        shrink = new double[c];
        raw = new double[c];
        applied = new double[c];
        iterations = new long[c];
        epochs = new int[c];
    }

    /** Feeds one sample; returns the event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        if (Double.isNaN(firstRaw)) firstRaw = s.gradL2Global();
        if (reported || config.containedFractionMin() <= 0) return null;
        int c = config.containedWindow();
        changed[next] = s.clipped() || s.skipped();
        shrink[next] = s.shrink();
        raw[next] = s.gradL2Global();
        applied[next] = s.gradL2GlobalClipped();
        iterations[next] = s.iteration();
        epochs[next] = s.epoch();
        next = (next + 1) % c;
        size = Math.min(size + 1, c);
        if (size < c) return null;
        ExplosionEvent e = judge(s.iteration());
        reported = e != null;
        return e;
    }

    /** At the end of a run shorter than the window: the same test over the samples held, or null. */
    ExplosionEvent atEnd(long lastIteration) {
        if (reported || size >= config.containedWindow() || size < config.minJudgedSamples()) return null;
        return judge(lastIteration);
    }

    private ExplosionEvent judge(long lastIteration) {
        int changedSteps = 0;
        for (int i = 0; i < size; i++) if (changed[i]) changedSteps++;
        if (changedSteps == 0 || (double) changedSteps / size < config.containedFractionMin()) return null;   // the common case, no allocation
        int n = 0;
        double[] changedShrink = new double[size];
        double rawMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            if (!changed[i]) continue;
            changedShrink[n++] = shrink[i];
            if (Double.isFinite(raw[i])) rawMax = Math.max(rawMax, raw[i]);
        }
        double fraction = (double) n / size;                // n = changedSteps: at least the minimum (checked above)
        double medianShrink = Windows.median(changedShrink, n);
        if (!(medianShrink >= config.containedShrinkMin())) return null;
        int oldest = size < config.containedWindow() ? 0 : next;
        double rawMedian = Windows.median(raw, size);
        double appliedMedian = Windows.median(applied, size);
        boolean fromInit = firstRaw > config.absoluteCeiling() || firstRaw >= config.containedShrinkMin() * appliedMedian;
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("clip_fraction", fraction);
        trigger.put("median_shrink", medianShrink);
        trigger.put("raw_norm_median", rawMedian);
        trigger.put("raw_norm_max", rawMax);
        trigger.put("applied_norm_median", appliedMedian);
        trigger.put("first_raw_norm", firstRaw);
        trigger.put("window", (double) size);
        trigger.put("detected_at", (double) lastIteration);
        String message = String.format(Locale.ROOT, "Explosion contained from iteration %d (epoch %d): the remedy changed %s"
                        + " of the last %d steps and shrank the raw gradient by a median %sx (raw global norm median %s, max %s;"
                        + " what the optimizer received: median %s); the first recorded raw norm was %s, so the cause is %s.",
                iterations[oldest], epochs[oldest], Windows.percent(fraction), size, Windows.num(medianShrink), Windows.num(rawMedian),
                Windows.num(rawMax), Windows.num(appliedMedian), Windows.num(firstRaw),
                fromInit ? "the initial weights" : "the learning rate (the norm grew during training)");
        return new ExplosionEvent(EventKind.CONTAINED, iterations[oldest], epochs[oldest], null, null, trigger, message,
                Advice.contained(facts, fromInit), null);
    }
}
