package org.explosionlab.detection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.spec.EventKind;

/**
 * Large updates, the counterpart of {@link VanishingWatch}: a layer whose every step rewrites a large part of
 * its weights.
 *
 * <p>Per layer l, r_l = mean|Δθ_l| / mean|θ_l| of its weights (DL4J's update:parameter ratio; its training UI
 * guidance, "Visualizing network training": about 1e-3 is healthy, much larger and the learning rate is too
 * high). Over the trailing window of U = {@code largeUpdateWindow} samples,
 * <pre>
 *   large_updates  ⇔  U samples held, and max_l median_U(r_l) &gt; {@code largeUpdateRatioMin} (0.1 = 100x the guidance)
 * </pre>
 * reported at the first iteration of that window, once; judged at {@code verdict()} time over the samples held
 * when the run ended before U (from {@code minJudgedSamples} on). {@code layer_most} is the layer with the largest
 * median. Non-finite ratios are left out.
 */
final class LargeUpdateWatch {
    private final DetectorConfig config;
    private final NetworkFacts facts;
    private TrailingMedian[] medians;
    private final long[] iterations;
    private final int[] epochs;
    private int size;
    private int next;
    private boolean reported;

    LargeUpdateWatch(DetectorConfig config, NetworkFacts facts) {
        this.config = config;
        this.facts = facts;
        this.iterations = new long[config.largeUpdateWindow()];
        this.epochs = new int[config.largeUpdateWindow()];
    }

    /** Feeds one sample; returns the event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        double[] r = s.updateRatioLayer();
        if (reported || r.length == 0 || config.largeUpdateRatioMin() <= 0) return null;
        int u = config.largeUpdateWindow();
        if (medians == null) {
            medians = new TrailingMedian[r.length];
            for (int l = 0; l < r.length; l++) medians[l] = new TrailingMedian(u);
        }
        for (int l = 0; l < medians.length; l++) {
            if (l < r.length && Double.isFinite(r[l])) medians[l].add(r[l]);        // sorted trailing window: O(1) median per step
        }
        iterations[next] = s.iteration();
        epochs[next] = s.epoch();
        next = (next + 1) % u;
        size = Math.min(size + 1, u);
        if (size < u) return null;
        ExplosionEvent e = judge(s.iteration());
        reported = e != null;
        return e;
    }

    /** At the end of a run shorter than the window: the same test over the samples held, or null. */
    ExplosionEvent atEnd(long lastIteration) {
        if (reported || medians == null || size >= config.largeUpdateWindow() || size < config.minJudgedSamples()) return null;
        return judge(lastIteration);
    }

    private ExplosionEvent judge(long lastIteration) {
        int most = -1;
        double largest = Double.NEGATIVE_INFINITY;
        for (int l = 0; l < medians.length; l++) {
            double m = medians[l].size() == 0 ? Double.NaN : medians[l].median();
            if (m > largest) {
                largest = m;
                most = l;
            }
        }
        if (most < 0 || !(largest > config.largeUpdateRatioMin())) return null;
        int oldest = size < config.largeUpdateWindow() ? 0 : next;
        long start = iterations[oldest];
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("median_update_ratio", largest);
        trigger.put("ratio_min", config.largeUpdateRatioMin());
        trigger.put("window", (double) size);
        trigger.put("detected_at", (double) lastIteration);
        String layer = facts.layerLabel(most);
        String message = String.format(Locale.ROOT, "Large updates from iteration %d (epoch %d): over %d samples %s's median"
                        + " update:parameter ratio mean|dW|/mean|W| was %s (limit %s, %sx DL4J's guidance of about 1e-3): every"
                        + " step rewrites %s of its weights, too much to settle.",
                start, epochs[oldest], size, layer, Windows.num(largest), Windows.num(config.largeUpdateRatioMin()),
                Windows.num(largest / 1e-3), Windows.percent(Math.min(1, largest)));
        return new ExplosionEvent(EventKind.LARGE_UPDATES, start, epochs[oldest], facts.layerIndex(most), facts.layerIndex(most),
                trigger, message, Advice.largeUpdates(facts, largest), layer);
    }
}
