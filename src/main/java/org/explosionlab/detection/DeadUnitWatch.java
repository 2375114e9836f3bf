package org.explosionlab.detection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.spec.EventKind;

/**
 * Dead units: a ReLU-family layer most of whose units output zero for every example.
 *
 * <p>The monitor measures, per ReLU-family layer, the fraction d_l of units whose output was exactly 0 for every
 * example of the last D = {@code deadUnitWindow} recorded minibatches (of all recorded so far, while fewer:
 * {@link IterationSample#deadUnitFraction()}); such a unit passes no gradient and cannot come back by itself
 * (Lu et al. 2020, "Dying ReLU and Initialization: Theory and Numerical Examples"). Then
 * <pre>
 *   dead_units  ⇔  at least D samples recorded, and max_l d_l ≥ {@code deadUnitFractionMin} (0.7)
 * </pre>
 * 0.7 is AutoTrainer's dying-ReLU threshold (Zhang et al., ICSE 2021, ≥ 70 % zero gradient entries in a layer).
 * Reported at the sample where it holds, once; judged at {@code verdict()} time on the last sample when the run
 * ended before D samples (from {@code minJudgedSamples} on).
 */
final class DeadUnitWatch {
    private final DetectorConfig config;
    private final NetworkFacts facts;
    private int seen;
    private IterationSample last;
    private boolean reported;

    DeadUnitWatch(DetectorConfig config, NetworkFacts facts) {
        this.config = config;
        this.facts = facts;
    }

    /** Feeds one sample; returns the event when it is first detected here. */
    ExplosionEvent observe(IterationSample s) {
        if (s.deadUnitFraction().length == 0 || config.deadUnitFractionMin() <= 0 || s.hasNonFinite()) return null;
        seen++;
        last = s;
        if (reported || seen < config.deadUnitWindow()) return null;
        ExplosionEvent e = judge(s);
        reported = e != null;
        return e;
    }

    /** At the end of a run shorter than the window: the same test on the last sample, or null. */
    ExplosionEvent atEnd() {
        if (reported || last == null || seen >= config.deadUnitWindow() || seen < config.minJudgedSamples()) return null;
        return judge(last);
    }

    private ExplosionEvent judge(IterationSample s) {
        double[] d = s.deadUnitFraction();
        int most = -1;
        for (int l = 0; l < d.length; l++) if (Double.isFinite(d[l]) && (most < 0 || d[l] > d[most])) most = l;
        if (most < 0 || !(d[most] >= config.deadUnitFractionMin())) return null;
        int window = Math.min(seen, config.deadUnitWindow());
        Map<String, Double> trigger = new LinkedHashMap<>();
        trigger.put("dead_fraction", d[most]);
        trigger.put("fraction_min", config.deadUnitFractionMin());
        trigger.put("window", (double) window);
        String layer = facts.deadUnitLabel(most);
        String message = String.format(Locale.ROOT, "Dead units at iteration %d (epoch %d): %s of %s's units output 0 for"
                        + " every example of the last %d recorded minibatches (limit %s): they pass no gradient and the layer"
                        + " has lost most of its capacity.",
                s.iteration(), s.epoch(), Windows.percent(d[most]), layer, window, Windows.percent(config.deadUnitFractionMin()));
        return new ExplosionEvent(EventKind.DEAD_UNITS, s.iteration(), s.epoch(), facts.deadUnitIndex(most), facts.deadUnitIndex(most),
                trigger, message, Advice.deadUnits(facts), layer);
    }
}
