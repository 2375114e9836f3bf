package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Ratios of hand-made rows, worked out by hand. */
class BenchTableTest {
    /** One epoch of 8,000 examples taking {@code seconds} of wall time and {@code cpu} of CPU time. */
    private static EpochTiming epoch(double seconds, double cpu) {
        return new EpochTiming(8000, Math.round(seconds * 1e9), Math.round(cpu * 1e9));
    }

    private static final List<BenchRow> ROWS = List.of(
            new BenchRow("a", "plain", 32, List.of(epoch(4, 4), epoch(8, 8), epoch(2, 2)), 300 * 1024),   // median 2,000/s
            new BenchRow("b", "tuned", 32, List.of(epoch(1, 1)), 250 * 1024),                             // 8,000/s
            // 6,400/s; 5,000 per process CPU-s (GC threads, say); 8,000 per training-thread CPU-s
            new BenchRow("c", "metrics", 32, List.of(new EpochTiming(8000, 1_250_000_000L, 1_600_000_000L, 1_000_000_000L)),
                    260 * 1024),
            new BenchRow("numpy", "numpy", 32, List.of(epoch(0.5, 2)), 70 * 1024),                        // 16,000/s, 4,000/CPU-s
            new BenchRow("numpy-1t", "numpy 1t", 32, List.of(epoch(0.8, 0.8)), 70 * 1024));               // 10,000/s, 10,000/CPU-s

    @Test
    void medianAndRatiosToTheFirstRowAndToTheFastestNumpyRow() {
        String md = BenchTable.markdown(ROWS);
        // b: 8,000/s = 4.00 x a (2,000/s), 0.50 x numpy (16,000/s, the fastest by wall time);
        // per CPU-second (process and thread alike here): 8,000 = 4.00 x a, 0.80 x numpy-1t (10,000, the best per CPU-second)
        assertTrue(md.contains("| b | tuned | 8,000 | 8,000–8,000 | 4.00 | 0.50 | 8,000 | 4.00 | 0.80 | 8,000 | 4.00 | 0.80 | 250 |"), md);
        // a: median of 2,000, 1,000 and 4,000; 2,000 / 16,000 = 0.125, printed half-up
        assertTrue(md.contains("| a | plain | 2,000 | 1,000–4,000 | 1.00 | 0.13 | 2,000 | 1.00 | 0.20 | 2,000 | 1.00 | 0.20 | 300 |"), md);
        assertTrue(md.contains("| c | metrics | 6,400 | 6,400–6,400 | 3.20 | 0.40 | 5,000 | 2.50 | 0.50 | 8,000 | 4.00 | 0.80 | 260 |"), md);
    }

    @Test
    void summaryGivesJavaOverNumpyAndListenerOverhead() {
        String s = BenchTable.summary(ROWS);
        // (c) against (b): wall 8,000 / 6,400 - 1 = +25 %, process CPU 8,000 / 5,000 - 1 = +60 %, thread CPU 0
        assertTrue(s.contains("Java (b) / numpy = 0.50 (wall, vs numpy), 0.80 (CPU, vs numpy-1t), 0.80 (thread CPU, vs numpy-1t)"), s);
        assertTrue(s.contains("(c) overhead over (b) = +25.0 % wall, +60.0 % CPU, +0.0 % thread CPU"), s);
        assertEquals(0.25, BenchTable.overhead(6400, 8000), 1e-12);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(3, BenchRow.median(new double[] {5, 1, 3}), 0);
        assertEquals(2.5, BenchRow.median(new double[] {4, 1, 3, 2}), 0);
    }

    @Test
    void poolingKeepsEveryEpochAndTheLargestPeak() {
        BenchRow r = BenchRow.pool("b", "tuned", 32, List.of(
                new ChildReport("b", 32, List.of(epoch(1, 1)), 100),
                new ChildReport("b", 32, List.of(epoch(2, 2), epoch(4, 4)), 300)));
        assertEquals(3, r.epochs().size());
        assertEquals(300, r.peakRssKib());
        assertEquals(4000, r.medianPerSecond(), 1e-9);
    }
}
