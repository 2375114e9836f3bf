package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunChartsTest {

    private static MetricsRow row(long iteration, Double loss, Map<String, Double> ratios) {
        return new MetricsRow(iteration, 0, loss, null, null, 0.001, 1.0, 1.0, null, false, false, 0.0, List.of(), ratios);
    }

    private static MetricsRow row(long iteration, double loss, double lossExact, double saturated) {
        return new MetricsRow(iteration, 0, loss, lossExact, saturated, 0.001, 1.0, 1.0, null, false, false, 0.0,
                List.of(), Map.of());
    }

    /** The exploded minibatch: DL4J reports 21.2 where the exact cross-entropy is 86.98. */
    @Test
    void lossChartDrawsTheExactLossBesideDl4jsWhenRecorded() {
        List<MetricsRow> rows = List.of(row(0, 2.3, 2.3, 0.0), row(1, 21.2, 86.98, 0.75));
        Figure f = RunCharts.loss(rows, List.of(), null);
        assertEquals(List.of("loss (DL4J)", "loss_exact"), f.chart().lines().stream().map(Line::label).toList());
        assertEquals(86.98, f.chart().lines().get(1).y()[1]);
        assertTrue(f.caption().contains("in 1 of 2 recorded iterations"), f.caption());
        assertEquals(List.of("loss (DL4J)"), RunCharts.loss(List.of(row(0, 2.3, Map.of())), List.of(), null)
                .chart().lines().stream().map(Line::label).toList(), "no exact line when the run did not record it");

        RunStats stats = RunStats.of(new MetricsLog(rows, List.of()));
        assertEquals(1, stats.saturatedRows());
        assertEquals(0.75, stats.maxSaturated());
        assertEquals(86.98, stats.finalLossExact());
    }

    @Test
    void layerNamesUseTheSpecsLayerSizes() throws Exception {
        var spec = JsonValues.MAPPER.readTree("{\"layerSizes\": [784, 128, 64, 10]}");
        assertEquals(List.of("layer 0 (784→128)", "layer 1 (128→64)", "layer 2 (64→10, output)"),
                RunCharts.layerNames(3, spec));
        assertEquals(List.of("layer 0", "layer 1 (output)"), RunCharts.layerNames(2, MissingNode.getInstance()));
    }

    @Test
    void updateRatioLinesAreOrderedByLayerWithDashedBiases() {
        List<MetricsRow> rows = List.of(row(0, 1.0, Map.of("10_W", 1e-3, "2_b", 2e-3, "2_W", 3e-3)));
        ChartModel chart = RunCharts.updateRatio(rows, List.of(), null).chart();
        assertEquals(List.of("2_W", "2_b", "10_W"), chart.lines().stream().map(Line::label).toList());
        assertFalse(chart.lines().get(0).dashed());
        assertTrue(chart.lines().get(1).dashed());
        assertEquals(RunCharts.HEALTHY_RATIO_LOW, chart.band().low());
        assertEquals(RunCharts.HEALTHY_RATIO_HIGH, chart.band().high());
    }

    @Test
    void lossSwitchesToALogAxisWhenItSpansMoreThanThreeDecades() {
        List<MetricsRow> calm = List.of(row(0, 2.3, Map.of()), row(1, 0.1, Map.of()));
        List<MetricsRow> wild = List.of(row(0, 2.3, Map.of()), row(1, 1e6, Map.of()), row(2, Double.NaN, Map.of()));
        assertEquals(YScale.LINEAR, RunCharts.loss(calm, List.of(), null).chart().scale());
        assertEquals(YScale.LOG, RunCharts.loss(wild, List.of(), null).chart().scale());
    }

    @Test
    void absentValuesAreLeftOutButNaNIsKept() {
        List<MetricsRow> rows = List.of(row(0, null, Map.of()), row(5, Double.NaN, Map.of()), row(9, 1.0, Map.of()));
        Line line = RunCharts.line("loss", "#000000", false, rows, MetricsRow::loss);
        assertEquals(2, line.size());
        assertEquals(5.0, line.x()[0]);
        assertTrue(Double.isNaN(line.y()[0]));
    }

    @Test
    void eventLegendCountsEventsByKind() {
        Verdict verdict = new Verdict("explosion", true, 3L, null, null, List.of(
                new VerdictEvent("explosion", 3, 0, 0, 0, "", "m", null),
                new VerdictEvent("nonfinite", 8, 0, 0, 0, "", "m", null),
                new VerdictEvent("explosion", 5, 0, 0, 0, "", "m", null)));
        assertEquals("2 explosion, 1 nonfinite events flagged", RunCharts.eventLegend(verdict));
        assertNull(RunCharts.eventLegend(new Verdict("healthy", false, null, null, null, List.of())));
        assertEquals(List.of(3.0, 8.0, 5.0), RunCharts.eventMarkers(verdict).stream().map(EventMarker::x).toList());
    }
}
