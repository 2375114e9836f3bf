package org.explosionlab.detection;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Vanishing updates: a layer whose weights no longer move.
 *
 * <p>Per layer l, r_l = mean|Δθ_l| / mean|θ_l| of its weights, DL4J's update:parameter ratio (its training
 * UI: "should be around 1:1000 = 0.001 ... < −4 (10⁻⁴): your parameters may change too slowly to learn
 * useful features"). Over the trailing window of V = {@code vanishingWindow} samples,
 * <pre>
 *   vanishing  ⇔  V samples held, and min_l median_V(r_l) &lt; {@code vanishingRatioMax} (1e-5)
 * </pre>
 * reported at the first iteration of that window, once. {@code layer_most} is the layer with the smallest
 * median ratio, {@code layer_first} the layer nearest the input below the limit. When the learning rate has
 * fallen 1000-fold or more since the first sample, the message names the schedule as the cause; otherwise
 * the gradient reaching the layer is too small. Non-finite ratios are left out of the medians (a bias that
 * starts at zero has mean|θ| = 0 at first).
 */
final class VanishingWatch {
    private final DetectorConfig config;
    private TrailingMedian[] ratios;
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    private double firstLr = Double.NaN;
    private boolean reported;

    VanishingWatch(DetectorConfig config) {
        this.config = config;
    }

    /** Feeds one sample; returns the vanishing event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        double[] r = s.updateRatioLayer();
        if (Double.isNaN(firstLr)) firstLr = s.lr();
        if (reported || r.length == 0 || config.vanishingRatioMax() <= 0) return null;
        int v = config.vanishingWindow();
        if (ratios == null) {
            ratios = new TrailingMedian[r.length];
            for (int l = 0; l < r.length; l++) ratios[l] = new TrailingMedian(v);
        }
        for (int l = 0; l < r.length && l < ratios.length; l++) {
            if (Double.isFinite(r[l])) ratios[l].add(r[l]);
        }
        window.addLast(new long[] {s.iteration(), s.epoch()});
        if (window.size() > v) window.removeFirst();
        if (window.size() < v) return null;
        Integer first = null;
        int most = -1;
        double smallest = Double.POSITIVE_INFINITY;
        for (int l = 0; l < ratios.length; l++) {
            if (ratios[l].size() < v / 2) continue;               // too few finite ratios to judge this layer
            double m = ratios[l].median();
            if (m < config.vanishingRatioMax() && first == null) first = l;
            if (m < smallest) {
                smallest = m;
                most = l;
            }
        }
        if (first == null) return null;
        reported = true;
        long[] start = window.peekFirst();
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("median_update_ratio", smallest);
        trigger.put("ratio_max", config.vanishingRatioMax());
        trigger.put("window", (double) v);
        trigger.put("lr", s.lr());
        trigger.put("lr_first", firstLr);
        trigger.put("detected_at", (double) s.iteration());
        boolean schedule = firstLr > 0 && s.lr() >= 0 && s.lr() <= firstLr / 1000;
        String cause = schedule
                ? String.format(Locale.ROOT, "the learning rate fell from %s to %s: the schedule decays too fast",
                        num(firstLr), num(s.lr()))
                : "the gradient reaching layer " + most + " is too small to move its weights";
        String message = String.format(Locale.ROOT, "Vanishing updates from iteration %d (epoch %d): over %d samples"
                        + " layer %d's median update:parameter ratio mean|dW|/mean|W| was %s (limit %s; DL4J's guidance is"
                        + " about 1e-3, below 1e-4 weights change too slowly); %s. %s",
                start[0], (int) start[1], v, most, num(smallest), num(config.vanishingRatioMax()), cause,
                EventKind.VANISHING.remedy());
        return new ExplosionEvent(EventKind.VANISHING, start[0], (int) start[1], first, most, trigger, message);
    }

    private static String num(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }
}
