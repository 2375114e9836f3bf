package org.explosionlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.explosionlab.bench.EpochTiming.Clock;
import org.explosionlab.detection.NumpyPercentile;

/**
 * Ratios between setups measured <em>in turn</em>: in every round each setup trains one stretch (a block
 * of the same number of steps in one JVM, or one child process), the order rotating every round, so that
 * the stretches of one round ran seconds or less apart, under the same machine load. Per round r, with
 * t the time per example of the stretch by a {@link Clock} (wall, process CPU or training-thread CPU):
 * <pre>
 * ratio_X(r)   = t_X(r) / t_ref(r)                              (time per example, so stretches of unequal length compare)
 * cost of X    = median over rounds of ratio_X − 1,   with p25 and p75 of ratio_X − 1   (ref = setup 0)
 * speed of X   = median over rounds of t_ref(r) / t_X(r)        (how many times as fast as ref)
 * </pre>
 * Percentiles are {@link NumpyPercentile}'s ({@code np.percentile}, linear). The drift of a shared 2-core
 * machine (±10 % between minutes) cancels in each round's ratio; a median of the setups' own medians
 * over rounds would keep it.
 */
final class BlockPairs {
    private final List<List<EpochTiming>> stretches = new ArrayList<>();

    /** @param setups how many setups take turns; setup 0 is the reference of {@link #cost} */
    BlockPairs(int setups) {
        if (setups < 2) throw new IllegalArgumentException("block pairs need a reference and at least one other setup, got " + setups);
        for (int i = 0; i < setups; i++) stretches.add(new ArrayList<>());
    }

    /** Records the stretch setup {@code setup} trained in the current round. */
    void add(int setup, EpochTiming stretch) {
        stretches.get(setup).add(stretch);
    }

    int setups() {
        return stretches.size();
    }

    /** Rounds complete for every setup. */
    int rounds() {
        return stretches.stream().mapToInt(List::size).min().orElse(0);
    }

    /** The stretches of one setup, in round order. */
    List<EpochTiming> stretches(int setup) {
        return List.copyOf(stretches.get(setup));
    }

    /** t_X(r) / t_ref(r) for each complete round, in round order (time per example by {@code clock}). */
    double[] ratios(int setup, int reference, Clock clock) {
        int n = rounds();
        if (n == 0) throw new IllegalStateException("no complete round yet");
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            r[k] = stretches.get(setup).get(k).nanosPerExample(clock) / stretches.get(reference).get(k).nanosPerExample(clock);
        }
        return r;
    }

    /** Spread of ratio_X − 1 against setup 0: the cost of X. */
    Spread cost(int setup, Clock clock) {
        double[] r = ratios(setup, 0, clock);
        for (int k = 0; k < r.length; k++) r[k] -= 1;
        return Spread.of(r);
    }

    /** Spread of t_ref(r) / t_X(r): how many times as fast as {@code reference} setup X trained. */
    Spread speed(int setup, int reference, Clock clock) {
        double[] r = ratios(setup, reference, clock);
        for (int k = 0; k < r.length; k++) r[k] = 1 / r[k];
        return Spread.of(r);
    }

    /**
     * Percentiles of a sample, as {@code np.percentile(x, [25, 50, 75])} plus its minimum and maximum.
     *
     * @param n how many values (rounds) it summarises
     */
    record Spread(double p25, double median, double p75, double min, double max, int n) {
        static Spread of(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            if (v.length == 0) throw new IllegalArgumentException("no values");
            return new Spread(NumpyPercentile.of(v, 25), NumpyPercentile.of(v, 50), NumpyPercentile.of(v, 75), v[0],
                    v[v.length - 1], v.length);
        }
    }
}
