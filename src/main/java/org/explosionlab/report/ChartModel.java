package org.explosionlab.report;

import java.util.List;

/**
 * What a chart shows, independent of how it is drawn: {@link SvgChart} draws it as inline SVG,
 * {@link PngChart} as a PNG through JFreeChart, both on the same axes ({@link ChartAxes}).
 *
 * @param id          identifier, unique within a page; also the PNG's base name
 * @param title       chart title
 * @param xLabel      x axis label
 * @param yLabel      y axis label
 * @param scale       y axis scale
 * @param includeZero whether a linear y axis must include 0
 * @param lines       the series
 * @param band        a shaded y band, or null
 * @param markers     vertical markers
 * @param markerLegend legend text for the markers (e.g. "explosion events (3)"), or null
 */
public record ChartModel(String id, String title, String xLabel, String yLabel, YScale scale,
        boolean includeZero, List<Line> lines, Band band, List<EventMarker> markers,
        String markerLegend) {

    public ChartModel {
        lines = List.copyOf(lines);
        markers = List.copyOf(markers);
    }

    /** Number of points of {@code line} that cannot be drawn because they are NaN or ±∞. */
    public static int nonFiniteCount(Line line) {
        int n = 0;
        for (double v : line.y()) {
            if (!Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    /** Number of finite points of {@code line} that a log axis cannot draw (≤ 0). */
    public int nonPositiveCount(Line line) {
        if (scale != YScale.LOG) {
            return 0;
        }
        int n = 0;
        for (double v : line.y()) {
            if (Double.isFinite(v) && v <= 0) {
                n++;
            }
        }
        return n;
    }

    /** Total non-finite points over all lines. */
    public int nonFiniteCount() {
        return lines.stream().mapToInt(ChartModel::nonFiniteCount).sum();
    }

    /** Total finite points ≤ 0 over all lines (log scale only). */
    public int nonPositiveCount() {
        return lines.stream().mapToInt(this::nonPositiveCount).sum();
    }

    /** Whether the chart has any point to draw. */
    public boolean hasData() {
        for (Line line : lines) {
            for (double v : line.y()) {
                if (scale.plottable(v)) {
                    return true;
                }
            }
        }
        return false;
    }
}
