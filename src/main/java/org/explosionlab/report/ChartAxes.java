package org.explosionlab.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses a chart's axes from its plottable data only: NaN, ±∞ (and values ≤ 0 on a log axis)
 * never widen a range, so one non-finite point cannot flatten a chart.
 *
 * <p>Linear axes use "nice numbers" (Heckbert, "Nice numbers for graph labels", Graphics Gems,
 * 1990): tick step = f·10<sup>k</sup> with f ∈ {1, 2, 2.5, 5}. Log axes run over whole decades
 * ⌊log10 min⌋ … ⌈log10 max⌉ with a labelled tick every s decades, s = ⌈decades / 8⌉, so a
 * range of 1e-3 … 1e15 gets labels at 1e-3, 1, 1e3, …, 1e15.
 */
public final class ChartAxes {

    /** Target number of labelled ticks on a y axis. */
    static final int Y_TICKS = 6;
    /** Target number of labelled ticks on an x axis. */
    static final int X_TICKS = 8;
    /** Most labelled decades on a log axis before labels skip decades. */
    static final int MAX_LOG_LABELS = 8;

    private ChartAxes() {
    }

    /** The x axis: exactly the x extent of all points and markers, ticks at nice steps inside. */
    public static Axis x(ChartModel model) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Line line : model.lines()) {
            for (double x : line.x()) {
                if (Double.isFinite(x)) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        for (EventMarker m : model.markers()) {
            min = Math.min(min, m.x());
            max = Math.max(max, m.x());
        }
        if (min > max) {
            min = 0;
            max = 1;
        } else if (min == max) {
            min -= 1;
            max += 1;
        }
        return linear(min, max, false, false, X_TICKS);
    }

    /** Share of a y axis left empty above and below its range, so lines at the ends stay visible. */
    static final double Y_PADDING = 0.03;

    /** The y axis for the model's scale, covering its plottable values and its band. */
    public static Axis y(ChartModel model) {
        return yRange(model).withPadding(Y_PADDING);
    }

    private static Axis yRange(ChartModel model) {
        YScale scale = model.scale();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Line line : model.lines()) {
            for (double v : line.y()) {
                if (scale.plottable(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (model.band() != null) {
            min = Math.min(min, model.band().low());
            max = Math.max(max, model.band().high());
        }
        if (scale == YScale.LOG) {
            if (min > max) {
                return log(0.1, 10);
            }
            return log(min, max);
        }
        if (min > max) {
            min = 0;
            max = 1;
        }
        return linear(min, max, model.includeZero(), true, Y_TICKS);
    }

    /**
     * A linear axis over [min, max]; with {@code expand} the ends move out to whole tick steps.
     */
    static Axis linear(double min, double max, boolean includeZero, boolean expand, int targetTicks) {
        if (includeZero) {
            min = Math.min(min, 0);
            max = Math.max(max, 0);
        }
        if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.5;
            min -= pad;
            max += pad;
        }
        NiceStep step = NiceStep.of((max - min) / targetTicks);
        long first = (long) Math.ceil(min / step.value() - 1e-9);
        long last = (long) Math.floor(max / step.value() + 1e-9);
        if (expand) {
            first = (long) Math.floor(min / step.value() + 1e-9);
            last = (long) Math.ceil(max / step.value() - 1e-9);
            min = Math.min(min, step.times(first));
            max = Math.max(max, step.times(last));
        }
        List<Tick> ticks = new ArrayList<>();
        double largest = Math.max(Math.abs(min), Math.abs(max));
        for (long k = first; k <= last; k++) {
            double v = step.times(k);
            ticks.add(new Tick(v, linearLabel(v, step, largest), null));
        }
        return new Axis(min, max, false, ticks, List.of(), step.value(), 0);
    }

    /** A base-10 log axis over whole decades covering [min, max] (both > 0). */
    static Axis log(double min, double max) {
        int lo = (int) Math.floor(Math.log10(min));
        int hi = (int) Math.ceil(Math.log10(max));
        if (hi == lo) {
            hi = lo + 1;
        }
        int decades = hi - lo;
        int step = Math.max(1, (decades + MAX_LOG_LABELS - 1) / MAX_LOG_LABELS);
        lo = Math.floorDiv(lo, step) * step;
        hi = -Math.floorDiv(-hi, step) * step;
        decades = hi - lo;
        List<Tick> ticks = new ArrayList<>();
        List<Double> minor = new ArrayList<>();
        for (int e = lo; e <= hi; e++) {
            if ((e - lo) % step == 0) {
                ticks.add(new Tick(powerOfTen(e), logLabel(1, e), e));
            } else {
                minor.add(powerOfTen(e));
            }
            if (e < hi && step == 1 && decades <= 4) {
                for (int m = 2; m <= 9; m++) {
                    double v = Double.parseDouble(m + "e" + e);
                    if (decades == 1 && (m == 2 || m == 5)) {
                        ticks.add(new Tick(v, logLabel(m, e), null));
                    } else {
                        minor.add(v);
                    }
                }
            }
        }
        ticks.sort((a, b) -> Double.compare(a.value(), b.value()));
        return new Axis(powerOfTen(lo), powerOfTen(hi), true, ticks, minor, step, 0);
    }

    static double powerOfTen(int e) {
        return Double.parseDouble("1e" + e);
    }

    /** m·10^e as "0.002", "50", "1e15", "2e-5": plain when −3 ≤ e ≤ 3. */
    static String logLabel(int m, int e) {
        if (e >= -3 && e <= 3) {
            return BigDecimal.valueOf(m).scaleByPowerOfTen(e).toPlainString();
        }
        return m + "e" + e;
    }

    private static String linearLabel(double v, NiceStep step, double largest) {
        if (v == 0) {
            return "0";
        }
        int decimals = Math.max(0, -step.exponent() + (step.mantissa() == 2.5 ? 1 : 0));
        if (largest >= 1e6 || decimals > 4) {
            return Numbers.scientific(v, Math.max(0, step.significantDecimals(v)));
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A tick step f·10^k with f ∈ {1, 2, 2.5, 5}; multiples are computed exactly in decimal. */
    record NiceStep(double mantissa, int exponent) {

        static NiceStep of(double raw) {
            int k = (int) Math.floor(Math.log10(raw));
            double f = raw / Math.pow(10, k);
            if (f <= 1) {
                return new NiceStep(1, k);
            }
            if (f <= 2) {
                return new NiceStep(2, k);
            }
            if (f <= 2.5) {
                return new NiceStep(2.5, k);
            }
            if (f <= 5) {
                return new NiceStep(5, k);
            }
            return new NiceStep(1, k + 1);
        }

        double value() {
            return times(1);
        }

        /** k · step, computed in decimal so that 3 × 0.1 is 0.3. */
        double times(long k) {
            return BigDecimal.valueOf(mantissa).multiply(BigDecimal.valueOf(k))
                    .scaleByPowerOfTen(exponent).doubleValue();
        }

        /** Mantissa decimals needed to tell neighbouring ticks apart near {@code v}. */
        int significantDecimals(double v) {
            int vExp = (int) Math.floor(Math.log10(Math.abs(v)));
            return vExp - exponent + (mantissa == 2.5 ? 1 : 0);
        }
    }
}
