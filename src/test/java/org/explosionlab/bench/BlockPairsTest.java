package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link BlockPairs}: ratios per round, their median and quartiles, worked out by hand. */
class BlockPairsTest {

    private static EpochTiming block(long wallMicros, long threadMicros) {
        return new EpochTiming(32, wallMicros * 1000, threadMicros * 1000, threadMicros * 1000);
    }

    /**
     * Reference blocks 100, 200, 100, 400, 100 µs (the machine drifting); setup 1 costs 10 %, 5 %, 20 %,
     * 0 %, 30 % more in the same rounds. Sorted ratios − 1: 0, .05, .10, .20, .30 → median .10;
     * numpy's linear quantiles at .25 and .75 fall on ranks 1 and 3: .05 and .20. A median of the two
     * setups' own medians (100 vs 120 µs) would read +20 %.
     */
    @Test
    void costIsTheMedianOfPerRoundRatios() {
        BlockPairs p = new BlockPairs(2);
        long[] ref = {100, 200, 100, 400, 100};
        long[] x = {110, 210, 120, 400, 130};
        for (int r = 0; r < ref.length; r++) {
            p.add(0, block(ref[r], ref[r]));
            p.add(1, block(x[r], 2 * x[r]));
        }
        assertEquals(5, p.rounds());
        assertArrayEquals(new double[] {0.05, 0.10, 0.20}, p.wallCost(1), 1e-12);
        // thread CPU twice the wall time for setup 1: ratios 2·(1 + cost) − 1
        assertArrayEquals(new double[] {1.10, 1.20, 1.40}, p.cpuCost(1), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, p.wallCost(0), 0);
    }

    /** Ratios − 1 of 1, 2, 3, 4 over four rounds: np.percentile([1,2,3,4], [25, 50, 75]) = 1.75, 2.5, 3.25. */
    @Test
    void quartilesInterpolateBetweenRanksLikeNumpy() {
        BlockPairs p = new BlockPairs(2);
        for (long x : new long[] {400, 200, 500, 300}) {
            p.add(0, block(100, 100));
            p.add(1, block(x, x));
        }
        assertArrayEquals(new double[] {1.75, 2.5, 3.25}, p.wallCost(1), 1e-12);
        BlockPairs one = new BlockPairs(2);
        one.add(0, block(100, 100));
        one.add(1, block(800, 800));
        assertArrayEquals(new double[] {7, 7, 7}, one.wallCost(1), 0);
    }

    @Test
    void needsAReferenceAndACompleteRound() {
        assertThrows(IllegalArgumentException.class, () -> new BlockPairs(1));
        BlockPairs p = new BlockPairs(2);
        p.add(0, block(100, 100));
        assertEquals(0, p.rounds());
        assertThrows(IllegalStateException.class, () -> p.wallCost(1));
    }
}
