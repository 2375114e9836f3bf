package org.explosionlab.report;

/**
 * A shaded horizontal band of y values, e.g. the healthy update:parameter ratio range.
 *
 * @param low   lower bound (data units)
 * @param high  upper bound (data units)
 * @param label text drawn in the band
 */
public record Band(double low, double high, String label) {
}
