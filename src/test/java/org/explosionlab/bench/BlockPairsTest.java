package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.explosionlab.bench.BlockPairs.Spread;
import org.explosionlab.bench.EpochTiming.Clock;
import org.junit.jupiter.api.Test;

/** {@link BlockPairs}: ratios per round, their median and quartiles, worked out by hand. */
class BlockPairsTest {

    private static EpochTiming block(long wallMicros, long threadMicros) {
        return new EpochTiming(32, wallMicros * 1000, threadMicros * 1000, threadMicros * 1000);
    }

    private static double[] quartiles(Spread s) {
        return new double[] {s.p25(), s.median(), s.p75()};
    }

    /**
     * Reference blocks 100, 200, 100, 400, 100 µs (the machine drifting); setup 1 costs 10 %, 5 %, 20 %,
     * 0 %, 30 % more in the same rounds. Sorted ratios − 1: 0, .05, .10, .20, .30 → median .10;
     * numpy's linear quantiles at .25 and .75 fall on ranks 1 and 3: .05 and .20. A ratio of the two
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
        Spread wall = p.cost(1, Clock.WALL);
        assertArrayEquals(new double[] {0.05, 0.10, 0.20}, quartiles(wall), 1e-12);
        assertEquals(0.0, wall.min(), 1e-12);
        assertEquals(0.30, wall.max(), 1e-12);
        assertEquals(5, wall.n());
        // thread CPU twice the wall time for setup 1: ratios 2·(1 + cost) − 1
        assertArrayEquals(new double[] {1.10, 1.20, 1.40}, quartiles(p.cost(1, Clock.THREAD_CPU)), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, quartiles(p.cost(0, Clock.WALL)), 0);
        assertArrayEquals(new double[] {1.10, 1.05, 1.20, 1.00, 1.30}, p.ratios(1, 0, Clock.WALL), 1e-12);
    }

    /** Ratios − 1 of 1, 2, 3, 4 over four rounds: np.percentile([1,2,3,4], [25, 50, 75]) = 1.75, 2.5, 3.25. */
    @Test
    void quartilesInterpolateBetweenRanksLikeNumpy() {
        BlockPairs p = new BlockPairs(2);
        for (long x : new long[] {400, 200, 500, 300}) {
            p.add(0, block(100, 100));
            p.add(1, block(x, x));
        }
        assertArrayEquals(new double[] {1.75, 2.5, 3.25}, quartiles(p.cost(1, Clock.WALL)), 1e-12);
        BlockPairs one = new BlockPairs(2);
        one.add(0, block(100, 100));
        one.add(1, block(800, 800));
        assertArrayEquals(new double[] {7, 7, 7}, quartiles(one.cost(1, Clock.WALL)), 0);
    }

    /**
     * Stretches of unequal length compare per example: a child that trained 2 epochs (16,000 examples)
     * in 2 s against a reference of 8,000 examples in 4 s is 4× as fast (0.125 ms against 0.5 ms per
     * example); the next round 3× (8,000 in 1 s against 8,000 in 3 s), the third 5×. Median 4, range 3–5.
     */
    @Test
    void speedIsTheMedianOfPerExampleTimeRatiosAgainstAnyReference() {
        BlockPairs p = new BlockPairs(3);
        p.add(0, new EpochTiming(8000, 4_000_000_000L, 4_000_000_000L, 4_000_000_000L));
        p.add(1, new EpochTiming(16000, 2_000_000_000L, 4_000_000_000L, 2_000_000_000L));
        p.add(2, new EpochTiming(8000, 400_000_000L, 400_000_000L));
        p.add(0, new EpochTiming(8000, 3_000_000_000L, 3_000_000_000L));
        p.add(1, new EpochTiming(8000, 1_000_000_000L, 2_000_000_000L));
        p.add(2, new EpochTiming(8000, 500_000_000L, 500_000_000L));
        p.add(0, new EpochTiming(8000, 5_000_000_000L, 5_000_000_000L));
        p.add(1, new EpochTiming(8000, 1_000_000_000L, 2_500_000_000L));
        p.add(2, new EpochTiming(8000, 100_000_000L, 100_000_000L));
        Spread s = p.speed(1, 0, Clock.WALL);
        assertEquals(4, s.median(), 1e-12);
        assertEquals(3, s.min(), 1e-12);
        assertEquals(5, s.max(), 1e-12);
        // process CPU: 2×, 1.5×, 2× → median 2
        assertEquals(2, p.speed(1, 0, Clock.PROCESS_CPU).median(), 1e-12);
        // setup 2 against setup 1 (not setup 0): per-example 0.05 vs 0.125 ms = 2.5×, 0.0625 vs 0.125 = 2×, 0.0125 vs 0.125 = 10×
        Spread vs1 = p.speed(2, 1, Clock.WALL);
        assertEquals(2.5, vs1.median(), 1e-12);
        assertEquals(2, vs1.min(), 1e-12);
        assertEquals(10, vs1.max(), 1e-12);
    }

    @Test
    void needsAReferenceAndACompleteRound() {
        assertThrows(IllegalArgumentException.class, () -> new BlockPairs(1));
        BlockPairs p = new BlockPairs(2);
        p.add(0, block(100, 100));
        assertEquals(0, p.rounds());
        assertThrows(IllegalStateException.class, () -> p.cost(1, Clock.WALL));
        p.add(1, block(100, 100));
        p.add(1, block(100, 100));      // setup 1 one round ahead: only complete rounds count
        assertEquals(1, p.rounds());
        assertEquals(1, p.ratios(1, 0, Clock.WALL).length);
    }
}
