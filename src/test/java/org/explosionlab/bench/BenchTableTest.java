package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.explosionlab.bench.BenchRow.Kind;
import org.junit.jupiter.api.Test;

/** {@link BenchTable}: the three tables from hand-made measurements, and the number formats. */
class BenchTableTest {
    private static EpochTiming block(long micros) {
        return new EpochTiming(1600, micros * 1000, micros * 1000, micros * 1000);
    }

    /** One batch-32 section of listener rows; block times per round in µs, the first row the reference. */
    private static BenchTable.Section monitorSection(String[] ids, long[][] micros) {
        BlockPairs pairs = new BlockPairs(ids.length);
        List<BenchRow> rows = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            List<EpochTiming> blocks = new ArrayList<>();
            for (long m : micros[i]) {
                pairs.add(i, block(m));
                blocks.add(block(m));
            }
            rows.add(new BenchRow(Kind.IN_JVM, ids[i], ids[i] + " label", 32, "1", blocks, 812 * 1024));
        }
        return new BenchTable.Section(32, rows, pairs);
    }

    /**
     * monitor: ratios 1.01, 1.01, 1.02, 1.02 → cost median 1.5 %, np.percentile 25/75 = 1.0 / 2.0 %, within the
     * 2 % target; monitor-10 at +10 % is not; stats (+50 %) is a comparison, not held to the target.
     */
    @Test
    void monitorTableGivesCostsQuartilesAndTheTargetCheck() {
        BenchTable.Section s = monitorSection(new String[] {"none", "monitor", "monitor-10", "stats"},
                new long[][] {{100, 100, 100, 100}, {101, 101, 102, 102}, {110, 110, 110, 110}, {150, 150, 150, 150}});
        String table = BenchTable.monitorTable(List.of(s), 50);
        List<String> lines = table.lines().toList();
        assertEquals("|---:|---|---|---:|---:|---:|:---:|---:|", lines.get(1));
        assertEquals("| 32 | none | none label | 16,000,000 | reference | reference |  | 812 |", lines.get(2));
        assertEquals("| 32 | monitor | monitor label | 15,763,929 | +1.5 % [+1.0, +2.0] | +1.5 % [+1.0, +2.0] | yes | 812 |", lines.get(3));
        assertEquals("| 32 | monitor-10 | monitor-10 label | 14,545,455 | +10.0 % [+10.0, +10.0] | +10.0 % [+10.0, +10.0] | no | 812 |",
                lines.get(4));
        assertEquals("| 32 | stats | stats label | 10,666,667 | +50.0 % [+50.0, +50.0] | +50.0 % [+50.0, +50.0] | (comparison) | 812 |",
                lines.get(5));
        assertTrue(table.contains("4 rounds of one block of 50 steps per row"), table);
    }

    /**
     * dl4j-defaults per-example times 4, 3, 5 (any unit) against the project's 1, 1, 1: the project is
     * 4× (median), 3–5× as fast; a numpy row in the same pairs is left to the limit table, where it is
     * 10× the project's speed.
     */
    @Test
    void settingsAndLimitTablesGiveSpeedRatiosWithTheirRange() {
        BlockPairs pairs = new BlockPairs(3);
        long[] defaults = {4_000_000_000L, 3_000_000_000L, 5_000_000_000L};
        List<EpochTiming> d = new ArrayList<>();
        List<EpochTiming> p = new ArrayList<>();
        List<EpochTiming> n = new ArrayList<>();
        for (long ns : defaults) {
            EpochTiming dt = new EpochTiming(8000, ns, 2 * ns, ns);
            EpochTiming pt = new EpochTiming(8000, 1_000_000_000L, 1_000_000_000L, 1_000_000_000L);
            EpochTiming nt = new EpochTiming(40000, 500_000_000L, 500_000_000L);
            pairs.add(0, dt);
            pairs.add(1, pt);
            pairs.add(2, nt);
            d.add(dt);
            p.add(pt);
            n.add(nt);
        }
        List<BenchRow> rows = List.of(new BenchRow(Kind.SETTINGS, "dl4j-defaults", "defaults", 128, "2", d, 300 * 1024),
                new BenchRow(Kind.SETTINGS, "project", "tuned", 128, "1", p, 400 * 1024),
                new BenchRow(Kind.REFERENCE, "numpy-1t", "numpy", 128, "1", n, 80 * 1024));
        BenchTable.Section s = new BenchTable.Section(128, rows, pairs);

        List<String> settings = BenchTable.settingsTable(List.of(s)).lines().toList();
        assertEquals("| 128 | dl4j-defaults | defaults | 2 | 2,000 | reference | reference | 300 |", settings.get(2));
        // process CPU: defaults burn 2 CPU-s per wall-second: 8×, 6×, 10× → median 8
        assertEquals("| 128 | project | tuned | 1 | 8,000 | 4.00 [3.00–5.00] | 8.00 [6.00–10.00] | 400 |", settings.get(3));
        assertFalse(settings.stream().anyMatch(l -> l.contains("numpy-1t")));

        List<String> limit = BenchTable.limitTable(List.of(s), "project", List.of("torch-1t: no torch here")).lines().toList();
        assertEquals("| 128 | project | DL4J with this project's settings (row above) | 1 | 8,000 | 1 | 400 |", limit.get(2));
        assertEquals("| 128 | numpy-1t | numpy | 1 | 80,000 | 10.00 [10.00–10.00] | 80 |", limit.get(3));
        assertEquals("| 128 | torch-1t | not measured: no torch here | – | – | – | – |", limit.get(4));
        assertThrows(IllegalArgumentException.class, () -> BenchTable.limitTable(List.of(s), "absent", List.of()));
    }

    @Test
    void numberFormats() {
        assertEquals("-0.4 % [-1.2, +0.3]", BenchTable.cost(new BlockPairs.Spread(-0.012, -0.004, 0.003, -0.05, 0.05, 9)));
        assertEquals("2.41 [2.30–2.52]", BenchTable.speed(new BlockPairs.Spread(2.35, 2.41, 2.5, 2.30, 2.52, 3)));
        assertEquals("?", BenchTable.mib(-1));
        assertEquals("1,024", BenchTable.mib(1024 * 1024));
    }

    @Test
    void aSectionNeedsOneRowPerPairedSetup() {
        BlockPairs pairs = new BlockPairs(2);
        List<BenchRow> one = List.of(new BenchRow(Kind.IN_JVM, "none", "x", 32, "1", List.of(block(1)), 1));
        assertThrows(IllegalArgumentException.class, () -> new BenchTable.Section(32, one, pairs));
        assertThrows(IllegalArgumentException.class, () -> new BenchRow(Kind.IN_JVM, "none", "x", 32, "1", List.of(), 1));
        assertEquals(2.5, BenchRow.median(new double[] {4, 1, 2, 3}), 0);
        assertEquals(3, BenchRow.median(new double[] {5, 3, 1}), 0);
    }
}
