package org.explosionlab.detection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.spec.EventKind;

/**
 * A run that ended without learning, judged at {@code verdict()} time over the whole run in bounded memory.
 *
 * <p>With a minibatch accuracy (a classifier), over the last E = min({@code largeUpdateWindow}, n / 2) finite
 * samples of the n recorded:
 * <pre>
 *   not_learning  ⇔  mean_E(batch accuracy) &lt; {@code stallAccuracyMax}   (halfway between chance and perfect, (1 + 1/C) / 2)
 *                    and the loss is not still clearly falling ({@link #stillFalling}: a run whose loss falls is learning)
 *                or  the final test accuracy, when given, ≤ {@code stallAccuracyMax} (its event sits at the last iteration)
 * </pre>
 * Nothing is judged below {@code minJudgedSamples} finite samples, with or without a test accuracy: such a run is
 * {@code too_short}, and a test accuracy cannot say why it is low.
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
        if (!judgeable()) return null;        // too short to judge: too_short, whatever the test accuracy (it cannot say why)
        if (size == 0) return null;           // no finite sample: nothing to place the event at (a non-finite run)
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
        double[] halves = halves(idx);
        boolean stillFalling = stillFalling(halves);
        boolean atEnd = false;
        if (testKnown && finalTestAccuracy <= config.stallAccuracyMax()) {
            atEnd = true;
            trigger.put("final_accuracy", finalTestAccuracy);
            trigger.put("accuracy_max", config.stallAccuracyMax());
            what = String.format(Locale.ROOT, "the final test accuracy is %s (limit %s, halfway between chance and perfect)",
                    Windows.num(finalTestAccuracy), Windows.num(config.stallAccuracyMax()));
        } else if (accCount == e) {
            accuracy /= accCount;
            if (accuracy >= config.stallAccuracyMax() || stillFalling) return null;   // a loss still clearly falling is learning
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
        if (stillFalling) {
            trigger.put("loss_older_half", halves[0]);
            trigger.put("loss_newer_half", halves[1]);
        }
        int start = atEnd ? idx[idx.length - 1] : idx[0];   // the test accuracy judges where the run ended
        int layer = furthestLayer(idx);
        double ratio = layer < 0 ? Double.NaN : medianRatio(idx, layer);
        if (layer >= 0) trigger.put("median_update_ratio", ratio);
        String where = layer < 0 ? "" : String.format(Locale.ROOT, "; %s's median update:parameter ratio is %s, the furthest"
                + " from DL4J's healthy 1e-3", facts.layerLabel(layer), Windows.num(ratio));
        if (stillFalling) {
            where += String.format(Locale.ROOT, "; the loss was still falling (mean %s, then %s over the two halves of the"
                    + " last %d samples)", Windows.num(halves[0]), Windows.num(halves[1]), idx.length);
        }
        int end = idx[idx.length - 1];
        String span = start == end   // the event's iteration is the one its message names first
                ? String.format(Locale.ROOT, "Not learning by iteration %d (epoch %d)", lastIteration[end], lastEpoch[end])
                : String.format(Locale.ROOT, "Not learning from iteration %d (epoch %d) to iteration %d (epoch %d)",
                        lastIteration[start], lastEpoch[start], lastIteration[end], lastEpoch[end]);
        String message = String.format(Locale.ROOT, "%s: %s%s.", span, what, where);
        return new ExplosionEvent(EventKind.NOT_LEARNING, lastIteration[start], lastEpoch[start], null,
                layer < 0 ? null : facts.layerIndex(layer), trigger, message, Advice.notLearning(facts, ratio, stillFalling),
                layer < 0 ? null : facts.layerLabel(layer));
    }

    /** Mean loss of the older and of the newer half of the samples {@code idx} (oldest first). */
    private double[] halves(int[] idx) {
        int h = idx.length / 2;
        double older = 0;
        double newer = 0;
        for (int i = 0; i < h; i++) older += lastLoss[idx[i]];
        for (int i = idx.length - h; i < idx.length; i++) newer += lastLoss[idx[i]];
        return h == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {older / h, newer / h};
    }

    /**
     * Whether the loss is still clearly falling at the end: the newer half of the last E samples has a mean loss at
     * least {@value #STILL_FALLING} (5 %) below the older half's, and the least-squares slope of the loss over those E
     * samples is negative by at least {@value #FALL_T} standard errors (the t statistic of an ordinary least-squares slope,
     * b / (s / √Σ(x − x̄)²): minibatch noise alone does not make a flat loss fall).
     */
    private boolean stillFalling(double[] halves) {
        if (!(halves[0] > 0) || !(halves[1] < halves[0] * (1 - STILL_FALLING))) return false;
        int[] idx = newest((int) Math.min(size, Math.max(1, finite / 2)));
        int n = idx.length;
        if (n < 4) return false;
        double xm = (n - 1) / 2.0;
        double ym = 0;
        for (int i : idx) ym += lastLoss[i];
        ym /= n;
        double sxx = 0;
        double sxy = 0;
        for (int k = 0; k < n; k++) {
            sxx += sq(k - xm);
            sxy += (k - xm) * (lastLoss[idx[k]] - ym);
        }
        double slope = sxy / sxx;
        double rss = 0;
        for (int k = 0; k < n; k++) rss += sq(lastLoss[idx[k]] - ym - slope * (k - xm));
        double se = Math.sqrt(rss / (n - 2) / sxx);
        return se == 0 ? slope < 0 : -slope / se >= FALL_T;
    }

    private static double sq(double x) {
        return x * x;
    }

    /** A newer half at least 5 % below the older one: more than minibatch noise at the batch sizes measured. */
    static final double STILL_FALLING = 0.05;
    /** The slope's t statistic the fall must reach (one-sided p ≈ 0.03 for a flat loss with 30 samples; the 5 % fall is required too). */
    static final double FALL_T = 2;

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
