package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartAxesTest {

    private static List<Double> values(Axis axis) {
        return axis.ticks().stream().map(Tick::value).toList();
    }

    private static List<String> labels(Axis axis) {
        return axis.ticks().stream().map(Tick::label).toList();
    }

    @Test
    void logAxisOverEighteenDecadesLabelsEveryThirdDecade() {
        // decades = 15 − (−3) = 18; step = ⌈18 / 8⌉ = 3; −3 and 15 are multiples of 3.
        Axis axis = ChartAxes.log(1e-3, 1e15);
        assertEquals(1e-3, axis.low());
        assertEquals(1e15, axis.high());
        assertEquals(List.of(1e-3, 1.0, 1e3, 1e6, 1e9, 1e12, 1e15), values(axis));
        assertEquals(List.of("0.001", "1", "1000", "1e6", "1e9", "1e12", "1e15"), labels(axis));
        assertEquals(3.0, axis.tickStep());
    }

    @Test
    void logAxisWithinOneDecadeAlsoLabelsTwoAndFive() {
        // 0.5 … 0.9 lies in the decade 0.1 … 1.
        Axis axis = ChartAxes.log(0.5, 0.9);
        assertEquals(List.of(0.1, 0.2, 0.5, 1.0), values(axis));
        assertEquals(List.of("0.1", "0.2", "0.5", "1"), labels(axis));
    }

    @Test
    void logAxisOfOneValueSpansItsDecade() {
        Axis axis = ChartAxes.log(3, 3);
        assertEquals(1.0, axis.low());
        assertEquals(10.0, axis.high());
    }

    @Test
    void logAxisOverFourDecadesHasMinorGridAtTwoToNine() {
        Axis axis = ChartAxes.log(1, 1e4);
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0, 1e4), values(axis));
        assertEquals(4 * 8, axis.minorGrid().size());
        assertEquals(2.0, axis.minorGrid().get(0));
        assertEquals(9000.0, axis.minorGrid().get(31));
    }

    @Test
    void linearAxisUsesNiceSteps() {
        // raw step 2.3 / 6 = 0.383 → nice 0.5; ends 0 and ⌈2.3 / 0.5⌉·0.5 = 2.5.
        Axis axis = ChartAxes.linear(0.1, 2.3, true, true, 6);
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5), values(axis));
        assertEquals(List.of("0", "0.5", "1.0", "1.5", "2.0", "2.5"), labels(axis));
    }

    @Test
    void linearAxisOfAConstantLearningRateStartsAtZero() {
        // 0 … 0.001, raw step 1.67e-4 → nice 2e-4.
        Axis axis = ChartAxes.linear(0.001, 0.001, true, true, 6);
        assertEquals(List.of(0.0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3), values(axis));
        assertEquals("0.0002", labels(axis).get(1));
    }

    @Test
    void xAxisKeepsTheDataExtentAndPutsTicksInside() {
        // raw step 19999 / 8 = 2500 → 2.5e3.
        Axis axis = ChartAxes.linear(0, 19999, false, false, 8);
        assertEquals(0.0, axis.low());
        assertEquals(19999.0, axis.high());
        assertEquals(List.of(0.0, 2500.0, 5000.0, 7500.0, 10000.0, 12500.0, 15000.0, 17500.0), values(axis));
        assertEquals("2500", labels(axis).get(1));
    }

    @Test
    void yAxisIgnoresNonFiniteValues() {
        Line line = new Line("g", "#000000", false, new double[] {0, 1, 2, 3, 4},
                new double[] {1, Double.NaN, 100, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        ChartModel model = new ChartModel("c", "t", "x", "y", YScale.LOG, false, List.of(line), null, List.of(), null);
        Axis axis = ChartAxes.y(model);
        assertEquals(1.0, axis.low());
        assertEquals(100.0, axis.high());
    }

    @Test
    void yAxisCoversTheBand() {
        Line line = new Line("r", "#000000", false, new double[] {0, 1}, new double[] {1e-3, 5});
        ChartModel model = new ChartModel("c", "t", "x", "y", YScale.LOG, false, List.of(line),
                new Band(1e-4, 1e-2, "band"), List.of(), null);
        Axis axis = ChartAxes.y(model);
        assertEquals(1e-4, axis.low());
        assertEquals(10.0, axis.high());
    }

    @Test
    void paddingKeepsRangeEndsOffTheFrame() {
        Axis axis = ChartAxes.log(1, 100).withPadding(0.03);
        assertEquals(0.03, axis.fraction(1), 1e-12);
        assertEquals(0.97, axis.fraction(100), 1e-12);
        // drawn low = 10^(0 − 2·0.03/0.94) = 10^−0.063830 = 0.86332
        assertEquals(0.86332, axis.drawnLow(), 1e-4);
    }
}
