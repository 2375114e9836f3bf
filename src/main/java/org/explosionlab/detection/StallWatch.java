package org.explosionlab.detection;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.spec.EventKind;

/**
 * A stalled run: the loss stopped improving while the network is still far from what it reaches when
 * healthy.
 *
 * <p>Two adjacent windows of S = {@code stallWindow} samples, A (older) and B (newer), of finite samples
 * with a minibatch accuracy:
 * <pre>
 *   improvement = (mean_A(loss) − mean_B(loss)) / |mean_A(loss)|
 *   stalled  ⇔  improvement &lt; {@code stallMinImprovement} (5 %)  and  mean_B(batch accuracy) &lt; {@code stallAccuracyMax}
 * </pre>
 * reported once, at the first iteration of B. The source is DL4J's tuning guidance for the score chart:
 * "If the score is flat or decreases very slowly (over a few hundred iterations) (a) your learning rate may
 * be too low, or (b) you might be having difficulties with optimization"; the accuracy limit, halfway
 * between chance and perfect ((1 + 1/C) / 2, {@link DetectorConfig#forClasses}), keeps a converged run —
 * whose loss is flat too — out. Without a minibatch accuracy (not a classifier) the test is off: a flat
 * loss alone cannot tell converged from stuck.
 *
 * <p>Judged at {@code verdict()} time with both windows scaled to half the samples when the run ended before
 * two full windows. The event names the layer whose median update:parameter ratio over B lies furthest (in log10) from
 * DL4J's healthy 1e-3 ({@code layer_most}), and that ratio: far above 1e-2 the steps are too long to learn,
 * far below 1e-4 too short.
 */
final class StallWatch {
    private final DetectorConfig config;
    private final NetworkFacts facts;
    private final ArrayDeque<IterationSample> samples = new ArrayDeque<>();
    private boolean reported;

    StallWatch(DetectorConfig config, NetworkFacts facts) {
        this.config = config;
        this.facts = facts;
    }

    /** Feeds one sample; returns the stall event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        if (reported || config.stallAccuracyMax() <= 0) return null;
        if (s.hasNonFinite() || Double.isNaN(s.batchAccuracy())) {
            samples.clear();
            return null;
        }
        int w = config.stallWindow();
        samples.addLast(s);
        if (samples.size() > 2 * w) samples.removeFirst();
        if (samples.size() < 2 * w) return null;
        ExplosionEvent e = judge(w, s.iteration());
        reported = e != null;
        return e;
    }

    /**
     * At the end of a run shorter than two windows: the same test with both windows scaled to half the finite
     * samples held (from {@code minJudgedSamples} on), or null.
     */
    ExplosionEvent atEnd() {
        if (reported || samples.size() >= 2 * config.stallWindow() || samples.size() < config.minJudgedSamples()) return null;
        return judge(samples.size() / 2, samples.peekLast().iteration());
    }

    /** The test over A = the w samples before the newest w, and B = the newest w (the layer medians only when it holds). */
    private ExplosionEvent judge(int w, long detectedAt) {
        int n = samples.size();
        double sumA = 0;
        double sumB = 0;
        double accB = 0;
        int i = 0;
        for (IterationSample s : samples) {                       // one pass, no copy: this runs at every recorded step
            if (i >= n - 2 * w && i < n - w) sumA += s.loss();
            if (i >= n - w) {
                sumB += s.loss();
                accB += s.batchAccuracy();
            }
            i++;
        }
        double meanA = sumA / w;
        double meanB = sumB / w;
        double improvement = (meanA - meanB) / Math.abs(meanA);
        double accuracy = accB / w;
        if (!(improvement < config.stallMinImprovement() && accuracy < config.stallAccuracyMax())) return null;
        IterationSample[] all = samples.toArray(new IterationSample[0]);
        IterationSample startB = all[n - w];
        int layer = -1;
        double ratio = Double.NaN;
        double worst = -1;
        int layers = all[n - 1].updateRatioLayer().length;
        for (int l = 0; l < layers; l++) {
            double[] v = new double[w];
            int m = 0;
            for (int k = n - w; k < n; k++) {
                double[] r = all[k].updateRatioLayer();
                if (l < r.length && Double.isFinite(r[l])) v[m++] = r[l];
            }
            double med = Windows.median(v, m);
            if (!(med > 0)) continue;
            double distance = Math.abs(Math.log10(med) + 3);
            if (distance > worst) {
                worst = distance;
                layer = l;
                ratio = med;
            }
        }
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("loss_before", meanA);
        trigger.put("loss_after", meanB);
        trigger.put("improvement", improvement);
        trigger.put("min_improvement", config.stallMinImprovement());
        trigger.put("batch_accuracy", accuracy);
        trigger.put("accuracy_max", config.stallAccuracyMax());
        trigger.put("window", (double) w);
        if (layer >= 0) trigger.put("median_update_ratio", ratio);
        trigger.put("detected_at", (double) detectedAt);
        String where = layer < 0 ? "" : String.format(Locale.ROOT, "; %s's median update:parameter ratio is %s,"
                + " the furthest from DL4J's healthy 1e-3 (%s)", facts.layerLabel(layer), Windows.num(ratio),
                ratio > 1e-2 ? "steps too long to learn" : ratio < 1e-4 ? "steps too short to learn" : "within DL4J's range");
        String message = String.format(Locale.ROOT, "Stalled from iteration %d (epoch %d): over %d samples the mean loss"
                        + " went from %s to %s (%s %%, needs a %s %% fall) while the minibatch accuracy stayed at %s"
                        + " (limit %s)%s.",
                startB.iteration(), startB.epoch(), w, Windows.num(meanA), Windows.num(meanB), Windows.num(-100 * improvement),
                Windows.num(100 * config.stallMinImprovement()), Windows.num(accuracy), Windows.num(config.stallAccuracyMax()), where);
        return new ExplosionEvent(EventKind.STALLED, startB.iteration(), startB.epoch(), null,
                layer < 0 ? null : facts.layerIndex(layer), trigger, message, Advice.slow(facts, ratio),
                layer < 0 ? null : facts.layerLabel(layer));
    }
}
