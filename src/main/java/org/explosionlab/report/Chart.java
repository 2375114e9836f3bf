package org.explosionlab.report;

import java.util.List;

/**
 * What one chart shows, independent of how it is drawn: the page draws it with uPlot
 * ({@code report.js}), the PNG copy is drawn with JFreeChart ({@link PngChart}).
 *
 * @param id      identifier, unique within a page; also the PNG's base name
 * @param title   chart title
 * @param yLabel  y axis label
 * @param log     whether the y axis starts logarithmic (the page has a switch)
 * @param yMin    lower end of the y axis, null = from the data
 * @param yMax    upper end of the y axis, null = from the data
 * @param series  the lines, drawn in this order (the last one on top)
 * @param band    a shaded y band, or null
 * @param guide   a horizontal guide line, or null
 * @param events  vertical event markers
 * @param caption what the chart shows and how to read it
 */
record Chart(String id, String title, String yLabel, boolean log, Double yMin, Double yMax, List<Series> series,
        Band band, Double guide, List<Event> events, String caption) {

    Chart {
        series = List.copyOf(series);
        events = List.copyOf(events);
    }

    /**
     * One line: downsampled points (see {@link MinMaxBuckets}); a null y is a gap.
     *
     * @param nonFinite       NaN/±∞ values recorded for the line (not drawn)
     * @param firstNonFiniteX the iteration of the first of them, -1 if none
     */
    record Series(String label, String color, boolean dashed, double width, double[] x, Double[] y,
            long nonFinite, long firstNonFiniteX) {
    }

    /** A shaded range of y values, e.g. DL4J's healthy update:parameter ratio range. */
    record Band(double low, double high, String label) {
    }

    /** A vertical marker at an iteration the detector flagged. */
    record Event(long x, String label, String color) {
    }

    /** The smallest and largest x of all series, or {0, 1} without points. */
    double[] xExtent() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            if (s.x().length > 0) {
                lo = Math.min(lo, s.x()[0]);
                hi = Math.max(hi, s.x()[s.x().length - 1]);
            }
        }
        for (Event e : events) {
            lo = Math.min(lo, e.x());
            hi = Math.max(hi, e.x());
        }
        return lo > hi ? new double[] {0, 1} : new double[] {lo, hi};
    }

    /**
     * The x axis range: the data's extent widened by 2 % on each side (at least one iteration), so a
     * marker at the first or last iteration stands clear of the axis instead of on its edge.
     */
    double[] xRange() {
        double[] e = xExtent();
        double pad = Math.max(1, (e[1] - e[0]) * 0.02);
        return new double[] {e[0] - pad, e[1] + pad};
    }
}
