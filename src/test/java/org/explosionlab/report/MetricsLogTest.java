package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path tmp;

    @Test
    void skipsATruncatedLastLineWithANote() throws Exception {
        MetricsLog log = MetricsLog.read(RunFixtures.truncated(tmp.resolve("run")));
        assertEquals(10, log.rows().size());
        assertEquals(9, log.rows().get(9).iteration());
        assertEquals(1, log.notes().size());
        assertTrue(log.notes().get(0).contains("line 11"), log.notes().get(0));
        assertTrue(log.notes().get(0).contains("skipped"), log.notes().get(0));
    }

    @Test
    void aBrokenLineBeforeTheLastIsAnError() {
        List<String> lines = List.of(
                "{\"iteration\": 0, \"loss\": 2.3}",
                "{\"iteration\": 1, \"loss\": ",
                "{\"iteration\": 2, \"loss\": 2.1}");
        ReportInputException e = assertThrows(ReportInputException.class,
                () -> MetricsLog.parse(lines, "run/metrics.jsonl"));
        assertTrue(e.getMessage().startsWith("run/metrics.jsonl line 2 is not valid JSON"), e.getMessage());
    }

    @Test
    void blankLinesAndATrailingNewlineAreNotTruncation() {
        MetricsLog log = MetricsLog.parse(List.of("{\"iteration\": 0}", "", "{\"iteration\": 1}", ""), "m");
        assertEquals(2, log.rows().size());
        assertEquals(List.of(), log.notes());
    }

    @Test
    void readsTheRecordedFieldsOfALine() {
        String line = RunFixtures.row(7, 1, Double.NaN, 0.001, Double.POSITIVE_INFINITY, 1.0, 1.0, true,
                new double[] {0.5, Double.NaN, 0.25}, 0.002, Double.POSITIVE_INFINITY);
        MetricsRow row = MetricsLog.parse(List.of(line), "m").rows().get(0);
        assertEquals(7, row.iteration());
        assertEquals(1, row.epoch());
        assertTrue(Double.isNaN(row.loss()));
        assertEquals(Double.POSITIVE_INFINITY, row.gradGlobal());
        assertEquals(1.0, row.gradGlobalClipped());
        assertEquals(1.0, row.clipThreshold());
        assertEquals(Boolean.TRUE, row.clipped());
        assertEquals(0.25, row.gradLayer().get(2));
        assertTrue(Double.isNaN(row.gradLayer().get(1)));
        assertEquals(0.002, row.updateRatio().get("1_W"));
        assertEquals(Double.POSITIVE_INFINITY, row.updateRatio().get("2_b"));
    }

    @Test
    void aLineWithoutIterationIsAnError() {
        ReportInputException e = assertThrows(ReportInputException.class,
                () -> MetricsLog.parse(List.of("{\"loss\": 1}", "{\"iteration\": 1}"), "m"));
        assertTrue(e.getMessage().contains("\"iteration\""), e.getMessage());
    }

    @Test
    void missingFileSaysWhatToGive() {
        ReportInputException e = assertThrows(ReportInputException.class, () -> MetricsLog.read(tmp));
        assertTrue(e.getMessage().startsWith("no metrics.jsonl in "), e.getMessage());
    }
}
