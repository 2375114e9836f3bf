package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStatsTest {

    @TempDir
    Path tmp;

    @Test
    void healthyRun() throws Exception {
        RunStats s = RunStats.of(MetricsLog.read(RunFixtures.healthy(tmp.resolve("h"))));
        assertEquals(40, s.rows());
        assertEquals(2.0, s.maxGlobal());
        assertEquals(1.5, s.medianGlobal());
        assertEquals(0.0, s.clipRate());
        assertEquals(0, s.nonFiniteGlobal());
    }

    @Test
    void explodingRun() throws Exception {
        RunStats s = RunStats.of(MetricsLog.read(RunFixtures.exploding(tmp.resolve("e"))));
        assertEquals(16, s.rows());
        assertEquals(1e15, s.maxGlobal());
        assertEquals(5.5e7, s.medianGlobal(), 5.5e7 * 1e-12);
        assertEquals(15.0 / 16, s.clipRate());
    }

    @Test
    void nonFiniteValuesAreCountedNotAveraged() throws Exception {
        RunStats s = RunStats.of(MetricsLog.read(RunFixtures.nonFinite(tmp.resolve("n"))));
        assertEquals(12, s.rows());
        assertEquals(4, s.nonFiniteGlobal());
        assertEquals(4, s.nonFiniteLoss());
        assertEquals(2.0, s.maxGlobal());
        assertEquals(2.0, s.medianGlobal());
    }

    @Test
    void evenCountMedianIsTheMeanOfTheMiddleTwo() {
        // finite norms 3, 1, 4, 2 → sorted 1 2 3 4 → median (2 + 3) / 2 = 2.5; "clipped" recorded twice, true once.
        MetricsLog log = MetricsLog.parse(List.of(
                "{\"iteration\": 0, \"grad_l2_global\": 3, \"clipped\": true}",
                "{\"iteration\": 1, \"grad_l2_global\": 1, \"clipped\": false}",
                "{\"iteration\": 2, \"grad_l2_global\": \"NaN\"}",
                "{\"iteration\": 3, \"grad_l2_global\": 4}",
                "{\"iteration\": 4, \"grad_l2_global\": 2}"), "m");
        RunStats s = RunStats.of(log);
        assertEquals(2.5, s.medianGlobal());
        assertEquals(4.0, s.maxGlobal());
        assertEquals(1, s.nonFiniteGlobal());
        assertEquals(0.5, s.clipRate());
    }

    @Test
    void noRowsGiveNaNFigures() {
        RunStats s = RunStats.of(MetricsLog.parse(List.of(), "m"));
        assertEquals(0, s.rows());
        assertTrue(Double.isNaN(s.maxGlobal()));
        assertTrue(Double.isNaN(s.medianGlobal()));
        assertTrue(Double.isNaN(s.clipRate()));
    }
}
