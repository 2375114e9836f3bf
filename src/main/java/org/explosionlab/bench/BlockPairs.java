package org.explosionlab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.explosionlab.detection.NumpyPercentile;

/**
 * The cost of a listener from <em>block pairs</em>: the setups train in turn, a short block of the same
 * number of steps each (the order rotating every round), so that the reference block and the block of
 * setup X in one round ran within a fraction of a second of each other, under the same machine load.
 * Per round r, with T the block's time (wall clock, or CPU time of the training thread):
 * <pre>
 * ratio_X(r) = T_X(r) / T_reference(r)          cost of X = median over rounds of ratio_X − 1
 * </pre>
 * with the quartiles of ratio_X − 1 ({@link NumpyPercentile}, as np.percentile) to show the spread. Paired epochs ({@link ListenerOverhead}'s first
 * table) compare medians over rounds a few seconds long, across which the load of a shared 2-core VM
 * drifts by several percent; a block of 50 steps lasts 30–80 ms on the seed model.
 */
final class BlockPairs {
    private final List<List<EpochTiming>> blocks = new ArrayList<>();

    BlockPairs(int setups) {
        if (setups < 2) throw new IllegalArgumentException("block pairs need a reference and at least one other setup, got " + setups);
        for (int i = 0; i < setups; i++) blocks.add(new ArrayList<>());
    }

    /** Records the block setup {@code i} trained in the current round. */
    void add(int setup, EpochTiming block) {
        blocks.get(setup).add(block);
    }

    /** Rounds complete for every setup. */
    int rounds() {
        return blocks.stream().mapToInt(List::size).min().orElse(0);
    }

    /** Quartiles [p25, median, p75] of T_X / T_reference − 1 by wall clock over the rounds. */
    double[] wallCost(int setup) {
        return quartiles(setup, true);
    }

    /** Quartiles [p25, median, p75] of T_X / T_reference − 1 by the training thread's CPU time. */
    double[] cpuCost(int setup) {
        return quartiles(setup, false);
    }

    private double[] quartiles(int setup, boolean wall) {
        int n = rounds();
        if (n == 0) throw new IllegalStateException("no complete round yet");
        double[] r = new double[n];
        for (int k = 0; k < n; k++) {
            EpochTiming x = blocks.get(setup).get(k);
            EpochTiming ref = blocks.get(0).get(k);
            r[k] = wall ? (double) x.wallNanos() / ref.wallNanos() - 1
                    : (double) Math.max(1, x.threadCpuNanos()) / Math.max(1, ref.threadCpuNanos()) - 1;
        }
        Arrays.sort(r);
        return new double[] {NumpyPercentile.of(r, 25), NumpyPercentile.of(r, 50), NumpyPercentile.of(r, 75)};
    }
}
