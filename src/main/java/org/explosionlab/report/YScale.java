package org.explosionlab.report;

/** How a chart's y axis maps values: linear, or logarithmic (base 10). */
public enum YScale {
    LINEAR,
    LOG;

    /** Whether {@code v} can be drawn on this scale: finite, and positive on a log scale. */
    public boolean plottable(double v) {
        return Double.isFinite(v) && (this == LINEAR || v > 0);
    }
}
