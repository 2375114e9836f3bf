package org.explosionlab.detection;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

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
 * <p>The event names the layer whose median update:parameter ratio over B lies furthest (in log10) from
 * DL4J's healthy 1e-3 ({@code layer_most}), and that ratio: far above 1e-2 the steps are too long to learn,
 * far below 1e-4 too short.
 */
final class StallWatch {
    private final DetectorConfig config;
    private final ArrayDeque<IterationSample> samples = new ArrayDeque<>();
    private double sumA;
    private double sumB;
    private double accB;
    private boolean reported;

    StallWatch(DetectorConfig config) {
        this.config = config;
    }

    /** Feeds one sample; returns the stall event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        if (reported || config.stallAccuracyMax() <= 0) return null;
        if (s.hasNonFinite() || Double.isNaN(s.batchAccuracy())) {
            samples.clear();
            sumA = sumB = accB = 0;
            return null;
        }
        int w = config.stallWindow();
        samples.addLast(s);
        sumB += s.loss();
        accB += s.batchAccuracy();
        if (samples.size() > w) {                 // the sample w back moves from B to A
            IterationSample moved = get(samples.size() - 1 - w);
            sumB -= moved.loss();
            accB -= moved.batchAccuracy();
            sumA += moved.loss();
        }
        if (samples.size() > 2 * w) {
            IterationSample dropped = samples.removeFirst();
            sumA -= dropped.loss();
        }
        if (samples.size() < 2 * w) return null;
        double meanA = sumA / w;
        double meanB = sumB / w;
        double improvement = (meanA - meanB) / Math.abs(meanA);
        double accuracy = accB / w;
        if (!(improvement < config.stallMinImprovement() && accuracy < config.stallAccuracyMax())) return null;
        reported = true;
        IterationSample startB = get(w);
        int layer = -1;
        double ratio = Double.NaN;
        double worst = -1;
        double[][] perLayer = ratiosOfB(w);
        for (int l = 0; l < perLayer.length; l++) {
            double m = median(perLayer[l]);
            if (!(m > 0)) continue;
            double distance = Math.abs(Math.log10(m) + 3);
            if (distance > worst) {
                worst = distance;
                layer = l;
                ratio = m;
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
        trigger.put("detected_at", (double) s.iteration());
        String where = layer < 0 ? "" : String.format(Locale.ROOT, "; layer %d's median update:parameter ratio is %s,"
                + " the furthest from DL4J's healthy 1e-3 (%s)", layer, num(ratio),
                ratio > 1e-2 ? "steps too long to learn" : ratio < 1e-4 ? "steps too short to learn" : "within DL4J's range");
        String message = String.format(Locale.ROOT, "Stalled from iteration %d (epoch %d): over %d samples the mean loss"
                        + " went from %s to %s (%s %%, needs a %s %% fall) while the minibatch accuracy stayed at %s"
                        + " (limit %s)%s. %s",
                startB.iteration(), startB.epoch(), w, num(meanA), num(meanB), num(-100 * improvement),
                num(100 * config.stallMinImprovement()), num(accuracy), num(config.stallAccuracyMax()), where,
                EventKind.STALLED.remedy());
        return new ExplosionEvent(EventKind.STALLED, startB.iteration(), startB.epoch(), null, layer < 0 ? null : layer,
                trigger, message);
    }

    private IterationSample get(int index) {
        int i = 0;
        for (IterationSample s : samples) if (i++ == index) return s;
        throw new IndexOutOfBoundsException(index);
    }

    /** Per layer, the finite update ratios of window B (the newest {@code w} samples). */
    private double[][] ratiosOfB(int w) {
        int layers = samples.peekLast().updateRatioLayer().length;
        double[][] out = new double[layers][];
        int skip = samples.size() - w;
        for (int l = 0; l < layers; l++) {
            double[] v = new double[w];
            int n = 0;
            int i = 0;
            for (IterationSample s : samples) {
                if (i++ < skip) continue;
                double[] r = s.updateRatioLayer();
                if (l < r.length && Double.isFinite(r[l])) v[n++] = r[l];
            }
            out[l] = java.util.Arrays.copyOf(v, n);
        }
        return out;
    }

    private static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    private static String num(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
