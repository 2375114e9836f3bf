package org.explosionlab.report;

import java.util.List;

/**
 * A numeric axis: its range, labelled ticks and unlabelled grid values, and the map from data
 * values to the fraction 0…1 of the axis length: with t = {@code (v − lo) / (hi − lo)} on a
 * linear axis or t = {@code (log10 v − log10 lo) / (log10 hi − log10 lo)} on a log axis, the
 * fraction is {@code p + t·(1 − 2p)}, where the padding p keeps values at the range ends off the
 * plot frame.
 *
 * @param low       lower end (data units; > 0 on a log axis)
 * @param high      upper end (data units)
 * @param log       whether the axis is base-10 logarithmic
 * @param ticks     labelled ticks, ascending, all within [low, high]
 * @param minorGrid unlabelled grid values, ascending, within [low, high]
 * @param tickStep  distance between labelled ticks: data units, or decades on a log axis
 * @param padding   share of the axis length left empty beyond each end of the range, 0 ≤ p &lt; 0.5
 */
public record Axis(double low, double high, boolean log, List<Tick> ticks, List<Double> minorGrid,
        double tickStep, double padding) {

    public Axis {
        ticks = List.copyOf(ticks);
        minorGrid = List.copyOf(minorGrid);
    }

    /** Where {@code v} lies along the axis: 0 at {@link #low}, 1 at {@link #high}. */
    public double fraction(double v) {
        double t;
        if (log) {
            double lo = Math.log10(low);
            t = (Math.log10(v) - lo) / (Math.log10(high) - lo);
        } else {
            t = (v - low) / (high - low);
        }
        return padding + t * (1 - 2 * padding);
    }

    /** This axis with {@code p} of its length left empty beyond each end. */
    public Axis withPadding(double p) {
        return new Axis(low, high, log, ticks, minorGrid, tickStep, p);
    }

    /** The value drawn at the very start of the axis (fraction 0), below {@link #low} when padded. */
    public double drawnLow() {
        return valueAt(0);
    }

    /** The value drawn at the very end of the axis (fraction 1), above {@link #high} when padded. */
    public double drawnHigh() {
        return valueAt(1);
    }

    private double valueAt(double fraction) {
        double t = (fraction - padding) / (1 - 2 * padding);
        if (log) {
            double lo = Math.log10(low);
            return Math.pow(10, lo + t * (Math.log10(high) - lo));
        }
        return low + t * (high - low);
    }
}
