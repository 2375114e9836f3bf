package org.explosionlab.detection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A run that ended without learning, judged at {@code verdict()} time over the whole run in bounded memory.
 *
 * <p>With a minibatch accuracy (a classifier), over the last E = min({@code largeUpdateWindow}, n / 2) finite
 * samples of the n recorded:
 * <pre>
 *   not_learning  ⇔  mean_E(batch accuracy) &lt; {@code stallAccuracyMax}   (halfway between chance and perfect, (1 + 1/C) / 2)
 *                or  the final test accuracy, when given, ≤ {@code stallAccuracyMax}
 * </pre>
 * Without one: the mean loss of the last E samples is less than {@code notLearningMinImprovement} (1 %) below
 * that of the first E. The same limit as {@link StallWatch}'s; the difference is that a stall needs a flat loss
 * over two full windows, while this judges where the run ended, at any length (a 1-epoch high-lr run at 0.25).
 */
final class NotLearningWatch {
    private final DetectorConfig config;
    private final NetworkFacts facts;
    private final int window;
    private final double[] firstLoss;
    private int firstCount;
    private final double[] lastLoss;
    private final double[] lastAccuracy;
    private final long[] lastIteration;
    private final int[] lastEpoch;
    private final double[][] lastRatios;
    private int size;
    private int next;
    private long finite;

    NotLearningWatch(DetectorConfig config, NetworkFacts facts) {
        this.config = config;
        this.facts = facts;
        this.window = config.largeUpdateWindow();
        firstLoss = new double[window];
        lastLoss = new double[window];
        lastAccuracy = new double[window];
        lastIteration = new long[window];
        lastEpoch = new int[window];
        lastRatios = new double[window][];
    }

    void observe(IterationSample s) {
        if (s.hasNonFinite()) return;
        finite++;
        if (firstCount < window) firstLoss[firstCount++] = s.loss();
        lastLoss[next] = s.loss();
        lastAccuracy[next] = s.batchAccuracy();
        lastIteration[next] = s.iteration();
        lastEpoch[next] = s.epoch();
        lastRatios[next] = s.updateRatioLayer();
        next = (next + 1) % window;
        size = Math.min(size + 1, window);
    }

    /** Whether there are enough finite samples to judge. */
    boolean judgeable() {
        return finite >= config.minJudgedSamples();
    }

    /** The event when the run, as it stands, has not learned; null otherwise. */
    ExplosionEvent atEnd(double finalTestAccuracy) {
        boolean testKnown = !Double.isNaN(finalTestAccuracy);
        if (!judgeable() && !testKnown) return null;
        if (size == 0) return null;                  // no finite sample: nothing to place the event at (a non-finite run)
        int e = (int) Math.min(size, Math.max(1, finite / 2));
        int[] idx = newest(e);
        double accuracy = 0;
        int accCount = 0;
        for (int i : idx) {
            if (!Double.isNaN(lastAccuracy[i])) {
                accuracy += lastAccuracy[i];
                accCount++;
            }
        }
        Map<String, Double> trigger = new LinkedHashMap<>();
        String what;
        if (testKnown && finalTestAccuracy <= config.stallAccuracyMax()) {
            trigger.put("final_accuracy", finalTestAccuracy);
            trigger.put("accuracy_max", config.stallAccuracyMax());
            what = String.format(Locale.ROOT, "the final test accuracy is %s (limit %s, halfway between chance and perfect)",
                    Windows.num(finalTestAccuracy), Windows.num(config.stallAccuracyMax()));
        } else if (!judgeable()) {
            return null;
        } else if (accCount == e) {
            accuracy /= accCount;
            if (accuracy >= config.stallAccuracyMax()) return null;
            trigger.put("batch_accuracy", accuracy);
            trigger.put("accuracy_max", config.stallAccuracyMax());
            trigger.put("window", (double) e);
            what = String.format(Locale.ROOT, "over its last %d recorded minibatches the accuracy was %s (limit %s, halfway"
                    + " between chance and perfect)", e, Windows.num(accuracy), Windows.num(config.stallAccuracyMax()));
        } else {
            if (finite < 2L * config.minJudgedSamples()) return null;
            int ef = Math.min(e, firstCount);
            double first = 0;
            for (int i = 0; i < ef; i++) first += firstLoss[i];
            first /= ef;
            double last = 0;
            for (int i : idx) last += lastLoss[i];
            last /= e;
            double improvement = (first - last) / Math.abs(first);
            if (!(improvement < config.notLearningMinImprovement())) return null;
            trigger.put("loss_first", first);
            trigger.put("loss_last", last);
            trigger.put("improvement", improvement);
            trigger.put("min_improvement", config.notLearningMinImprovement());
            what = String.format(Locale.ROOT, "its mean loss went from %s (first %d samples) to %s (last %d): %s %%, needs a"
                    + " %s %% fall", Windows.num(first), ef, Windows.num(last), e, Windows.num(-100 * improvement),
                    Windows.num(100 * config.notLearningMinImprovement()));
        }
        int start = idx[0];
        int layer = furthestLayer(idx);
        double ratio = layer < 0 ? Double.NaN : medianRatio(idx, layer);
        if (layer >= 0) trigger.put("median_update_ratio", ratio);
        String where = layer < 0 ? "" : String.format(Locale.ROOT, "; %s's median update:parameter ratio is %s, the furthest"
                + " from DL4J's healthy 1e-3", facts.layerLabel(layer), Windows.num(ratio));
        String message = String.format(Locale.ROOT, "Not learning by iteration %d (epoch %d): %s%s.",
                lastIteration[idx[idx.length - 1]], lastEpoch[idx[idx.length - 1]], what, where);
        return new ExplosionEvent(EventKind.NOT_LEARNING, lastIteration[start], lastEpoch[start], null,
                layer < 0 ? null : facts.layerIndex(layer), trigger, message, Advice.slow(facts, ratio),
                layer < 0 ? null : facts.layerLabel(layer));
    }

    /** Ring indices of the newest {@code e} samples, oldest first. */
    private int[] newest(int e) {
        int[] idx = new int[e];
        for (int i = 0; i < e; i++) idx[i] = Math.floorMod(next - e + i, window);
        return idx;
    }

    private int furthestLayer(int[] idx) {
        double[] r0 = lastRatios[idx[0]];
        int best = -1;
        double worst = -1;
        for (int l = 0; r0 != null && l < r0.length; l++) {
            double m = medianRatio(idx, l);
            if (!(m > 0)) continue;
            double distance = Math.abs(Math.log10(m) + 3);
            if (distance > worst) {
                worst = distance;
                best = l;
            }
        }
        return best;
    }

    private double medianRatio(int[] idx, int layer) {
        double[] v = new double[idx.length];
        int n = 0;
        for (int i : idx) {
            double[] r = lastRatios[i];
            if (r != null && layer < r.length && Double.isFinite(r[layer])) v[n++] = r[layer];
        }
        return Windows.median(v, n);
    }
}
