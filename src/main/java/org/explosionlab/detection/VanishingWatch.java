package org.explosionlab.detection;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.spec.EventKind;

/**
 * Vanishing updates: a layer whose weights no longer move.
 *
 * <p>Per layer l, r_l = mean|Δθ_l| / mean|θ_l| of its weights, DL4J's update:parameter ratio (its training
 * UI: "should be around 1:1000 = 0.001 ... < −4 (10⁻⁴): your parameters may change too slowly to learn
 * useful features"). Over the trailing window of V = {@code vanishingWindow} samples,
 * <pre>
 *   vanishing  ⇔  V samples held, and min_l median_V(r_l) &lt; {@code vanishingRatioMax} (1e-5)
 * </pre>
 * reported once, at the first iteration of that window from which the layer with the smallest median stayed below
 * the limit (the window's first iteration when its last ratio is not below: a run whose updates stop after an
 * explosion reports vanishing from the step after it, not from iteration 0). {@code layer_most} is the layer with the smallest
 * median ratio, {@code layer_first} the layer nearest the input below the limit. When the learning rate has
 * fallen 1000-fold or more since the first sample, the message names the schedule as the cause; otherwise
 * the gradient reaching the layer is too small. Non-finite ratios are left out of the medians (a bias that
 * starts at zero has mean|θ| = 0 at first). A network whose median loss over the window is below {@value #CONVERGED_LOSS}
 * fits its data: its updates are near zero because there is nothing left to learn, and it is not reported.
 */
final class VanishingWatch {
    private final DetectorConfig config;
    private TrailingMedian[] ratios;
    private final ArrayDeque<long[]> window = new ArrayDeque<>();
    /** Each window sample's per-layer ratios, aligned with {@link #window}. */
    private final ArrayDeque<double[]> windowRatios = new ArrayDeque<>();
    private double firstLr = Double.NaN;
    private boolean reported;
    private final NetworkFacts facts;
    private double lastLr = Double.NaN;

    VanishingWatch(DetectorConfig config, NetworkFacts facts) {
        this.config = config;
        this.facts = facts;
    }

    /** At the end of a run shorter than the window: the same test over the samples held (from {@code minJudgedSamples} on), or null. */
    ExplosionEvent atEnd() {
        if (reported || ratios == null || window.size() >= config.vanishingWindow() || window.size() < config.minJudgedSamples()) return null;
        return judge(window.size(), lastLr, window.peekLast()[0]);
    }

    /** Below this median loss over the window the network fits its data: updates near 0 are convergence, not vanishing. */
    static final double CONVERGED_LOSS = 1e-3;
    private TrailingMedian losses;

    /** Feeds one sample; returns the vanishing event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        if (losses == null) losses = new TrailingMedian(config.vanishingWindow());
        if (Double.isFinite(s.loss())) losses.add(s.loss());
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
        windowRatios.addLast(r);                         // r is already a copy (IterationSample.updateRatioLayer)
        if (window.size() > v) {
            window.removeFirst();
            windowRatios.removeFirst();
        }
        lastLr = s.lr();
        if (window.size() < v) return null;
        ExplosionEvent e = judge(v, s.lr(), s.iteration());
        reported = e != null;
        return e;
    }

    /**
     * The first window sample from which layer {@code l}'s ratio stayed below the limit to the end of the window
     * (non-finite ratios do not break the run); the window's first sample when its last finite ratio is not below.
     * So a run whose updates stop after an explosion at iteration 2 reports vanishing from iteration 3, not from 0.
     */
    private long[] sinceBelow(int l) {
        long[][] its = window.toArray(new long[0][]);
        double[][] rs = windowRatios.toArray(new double[0][]);
        int from = its.length;
        for (int i = its.length - 1; i >= 0; i--) {
            double x = l < rs[i].length ? rs[i][l] : Double.NaN;
            if (Double.isFinite(x) && !(x < config.vanishingRatioMax())) break;
            from = i;
        }
        return from < its.length ? its[from] : its[0];
    }

    private ExplosionEvent judge(int v, double lr, long detectedAt) {
        if (losses != null && losses.size() > 0 && losses.median() < CONVERGED_LOSS) return null;   // fitted, not vanishing
        Integer first = null;
        int most = -1;
        double smallest = Double.POSITIVE_INFINITY;
        for (int l = 0; l < ratios.length; l++) {
            if (ratios[l].size() < v / 2 || ratios[l].size() == 0) continue;               // too few finite ratios to judge this layer
            double m = ratios[l].median();
            if (m < config.vanishingRatioMax() && first == null) first = l;
            if (m < smallest) {
                smallest = m;
                most = l;
            }
        }
        if (first == null) return null;
        long[] start = sinceBelow(most);
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("median_update_ratio", smallest);
        trigger.put("ratio_max", config.vanishingRatioMax());
        trigger.put("window", (double) v);
        trigger.put("lr", lr);
        trigger.put("lr_first", firstLr);
        trigger.put("detected_at", (double) detectedAt);
        boolean schedule = firstLr > 0 && lr >= 0 && lr <= firstLr / 1000;
        String cause = schedule
                ? String.format(Locale.ROOT, "the learning rate fell from %s to %s: the schedule decays too fast",
                        Windows.num(firstLr), Windows.num(lr))
                : smallest == 0
                ? "the gradient reaching " + facts.layerLabel(most) + " is exactly 0 (units that pass no gradient, such as"
                        + " dead ReLUs): its weights no longer move"
                : "the gradient reaching " + facts.layerLabel(most) + " is too small to move its weights";
        String message = String.format(Locale.ROOT, "Vanishing updates from iteration %d (epoch %d): over %d samples"
                        + " %s's median update:parameter ratio mean|dW|/mean|W| was %s (limit %s; DL4J's guidance is"
                        + " about 1e-3, below 1e-4 weights change too slowly); %s.",
                start[0], (int) start[1], v, facts.layerLabel(most), Windows.num(smallest), Windows.num(config.vanishingRatioMax()), cause);
        return new ExplosionEvent(EventKind.VANISHING, start[0], (int) start[1], facts.layerIndex(first), facts.layerIndex(most),
                trigger, message, Advice.vanishing(facts, schedule), facts.layerLabel(most));
    }

}
