package org.explosionlab.report;

import static org.explosionlab.report.Markup.escape;
import static org.explosionlab.report.Markup.px;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Draws a {@link ChartModel} as an inline SVG element (no scripts, no external references).
 * Values that the axis cannot show are drawn, not dropped: NaN/±∞ as ▼ markers in a strip
 * pinned above the plot, values ≤ 0 on a log axis as ▲ markers in a strip below it (a stretch
 * of consecutive ones as a bar); each legend entry carries its count. Lines break at such points. Long series are thinned by
 * {@link Downsampler}.
 */
public final class SvgChart {

    static final int WIDTH = 900;
    static final int PLOT_HEIGHT = 250;
    static final int LEFT = 78;
    static final int RIGHT = 24;
    static final int LEGEND_TOP = 44;
    static final int LEGEND_ROW = 18;
    static final double CHAR_WIDTH = 6.7;
    static final int MAX_MARKER_LABELS = 6;
    static final String FONT = "-apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, DejaVu Sans, Liberation Sans, sans-serif";

    private final ChartModel model;
    private final Axis xAxis;
    private final Axis yAxis;
    private final StringBuilder svg = new StringBuilder(64 * 1024);
    private final double plotLeft = LEFT;
    private final double plotRight = WIDTH - RIGHT;
    private double plotTop;
    private double plotBottom;

    private SvgChart(ChartModel model) {
        this.model = model;
        this.xAxis = ChartAxes.x(model);
        this.yAxis = ChartAxes.y(model);
    }

    /** The chart as one {@code <svg>} element. */
    public static String render(ChartModel model) {
        return new SvgChart(model).draw();
    }

    private String draw() {
        List<LegendItem> legend = legendItems();
        List<List<LegendItem>> rows = legendRows(legend);
        double legendBottom = LEGEND_TOP + rows.size() * LEGEND_ROW;
        boolean nonFinite = model.nonFiniteCount() > 0;
        boolean nonPositive = model.nonPositiveCount() > 0;
        plotTop = legendBottom + (nonFinite ? 26 : 10);
        plotBottom = plotTop + PLOT_HEIGHT;
        double xTickY = plotBottom + (nonPositive ? 34 : 18);
        double xLabelY = xTickY + 20;
        int height = (int) Math.ceil(xLabelY + 12);

        svg.append("<svg class=\"chart\" id=\"chart-").append(escape(model.id()))
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(escape(model.title()))
                .append("\" data-nonfinite=\"").append(model.nonFiniteCount())
                .append("\" data-nonpositive=\"").append(model.nonPositiveCount())
                .append("\" data-scale=\"").append(model.scale().name().toLowerCase())
                .append("\" font-family=\"").append(escape(FONT)).append("\" font-size=\"12\">\n");
        svg.append("<defs><clipPath id=\"clip-").append(escape(model.id())).append("\"><rect x=\"")
                .append(px(plotLeft)).append("\" y=\"").append(px(plotTop)).append("\" width=\"")
                .append(px(plotRight - plotLeft)).append("\" height=\"").append(px(plotBottom - plotTop))
                .append("\"/></clipPath></defs>\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>\n");
        text(plotLeft, 24, "start", "font-size=\"15\" font-weight=\"600\" fill=\"" + Palette.TEXT + "\"",
                model.title());
        drawLegend(rows);
        drawGrid(xTickY);
        drawBand();
        drawMarkers();
        drawLines();
        drawUnplottable(nonFinite, nonPositive);
        svg.append("<rect x=\"").append(px(plotLeft)).append("\" y=\"").append(px(plotTop))
                .append("\" width=\"").append(px(plotRight - plotLeft)).append("\" height=\"")
                .append(px(plotBottom - plotTop)).append("\" fill=\"none\" stroke=\"").append(Palette.AXIS)
                .append("\"/>\n");
        if (!model.hasData()) {
            text((plotLeft + plotRight) / 2, (plotTop + plotBottom) / 2, "middle",
                    "font-size=\"14\" fill=\"" + Palette.MUTED + "\"", "no finite values recorded");
        }
        text((plotLeft + plotRight) / 2, xLabelY, "middle", "fill=\"" + Palette.TEXT + "\"", model.xLabel());
        double yMid = (plotTop + plotBottom) / 2;
        svg.append("<text x=\"18\" y=\"").append(px(yMid)).append("\" text-anchor=\"middle\" transform=\"rotate(-90 18 ")
                .append(px(yMid)).append(")\" fill=\"").append(Palette.TEXT).append("\">")
                .append(escape(model.yLabel())).append("</text>\n");
        svg.append("</svg>");
        return svg.toString();
    }

    private double xPx(double x) {
        return plotLeft + xAxis.fraction(x) * (plotRight - plotLeft);
    }

    private double yPx(double y) {
        return plotBottom - yAxis.fraction(y) * (plotBottom - plotTop);
    }

    private void drawGrid(double xTickY) {
        for (double v : yAxis.minorGrid()) {
            hLine(yPx(v), Palette.MINOR_GRID);
        }
        for (Tick t : yAxis.ticks()) {
            double y = yPx(t.value());
            hLine(y, Palette.GRID);
            svg.append("<text class=\"tick ytick\" x=\"").append(px(plotLeft - 8)).append("\" y=\"")
                    .append(px(y + 4)).append("\" text-anchor=\"end\" fill=\"").append(Palette.TEXT)
                    .append("\" data-value=\"").append(t.value()).append("\">");
            if (t.exponent() != null && Math.abs(t.exponent()) >= 4) {
                svg.append("10<tspan dy=\"-6\" font-size=\"9\">").append(t.exponent()).append("</tspan>");
            } else {
                svg.append(escape(t.label()));
            }
            svg.append("</text>\n");
        }
        for (Tick t : xAxis.ticks()) {
            double x = xPx(t.value());
            svg.append("<line x1=\"").append(px(x)).append("\" y1=\"").append(px(plotTop)).append("\" x2=\"")
                    .append(px(x)).append("\" y2=\"").append(px(plotBottom)).append("\" stroke=\"")
                    .append(Palette.MINOR_GRID).append("\"/>\n");
            svg.append("<line x1=\"").append(px(x)).append("\" y1=\"").append(px(plotBottom)).append("\" x2=\"")
                    .append(px(x)).append("\" y2=\"").append(px(plotBottom + 4)).append("\" stroke=\"")
                    .append(Palette.AXIS).append("\"/>\n");
            svg.append("<text class=\"tick xtick\" x=\"").append(px(x)).append("\" y=\"").append(px(xTickY))
                    .append("\" text-anchor=\"middle\" fill=\"").append(Palette.TEXT).append("\" data-value=\"")
                    .append(t.value()).append("\">").append(escape(t.label())).append("</text>\n");
        }
    }

    private void hLine(double y, String color) {
        svg.append("<line x1=\"").append(px(plotLeft)).append("\" y1=\"").append(px(y)).append("\" x2=\"")
                .append(px(plotRight)).append("\" y2=\"").append(px(y)).append("\" stroke=\"").append(color)
                .append("\"/>\n");
    }

    private void drawBand() {
        Band band = model.band();
        if (band == null) {
            return;
        }
        double top = yPx(band.high());
        double bottom = yPx(band.low());
        svg.append("<rect class=\"band\" x=\"").append(px(plotLeft)).append("\" y=\"").append(px(top))
                .append("\" width=\"").append(px(plotRight - plotLeft)).append("\" height=\"")
                .append(px(bottom - top)).append("\" fill=\"").append(Palette.BAND)
                .append("\" fill-opacity=\"0.13\" clip-path=\"url(#clip-").append(escape(model.id()))
                .append(")\"/>\n");
        text(plotRight - 6, bottom - 5, "end", "font-size=\"11\" fill=\"#2e7d32\"", band.label());
    }

    private void drawMarkers() {
        Set<Long> drawn = new HashSet<>();
        double lastLabel = Double.NEGATIVE_INFINITY;
        int labels = 0;
        for (EventMarker m : model.markers()) {
            double x = xPx(m.x());
            if (!drawn.add(Math.round(x))) {
                continue;
            }
            svg.append("<line class=\"event\" x1=\"").append(px(x)).append("\" y1=\"").append(px(plotTop))
                    .append("\" x2=\"").append(px(x)).append("\" y2=\"").append(px(plotBottom))
                    .append("\" stroke=\"").append(m.color()).append("\" stroke-width=\"1.2\" stroke-dasharray=\"5 3\""
                            + " stroke-opacity=\"0.75\" data-x=\"").append(m.x()).append("\"/>\n");
            if (labels < MAX_MARKER_LABELS && x - lastLabel > 90 && x + 80 < plotRight) {
                text(x + 4, plotTop + 13, "start", "font-size=\"11\" fill=\"" + m.color() + "\"", m.label());
                lastLabel = x;
                labels++;
            }
        }
    }

    private void drawLines() {
        for (Line line : model.lines()) {
            int[] kept = Downsampler.keep(line.y(), model.scale(), Downsampler.MAX_POINTS);
            StringBuilder d = new StringBuilder(kept.length * 14);
            int segment = 0;
            for (int i : kept) {
                double v = line.y()[i];
                if (!model.scale().plottable(v)) {
                    if (segment == 1) {
                        d.append("l0.01,0");
                    }
                    segment = 0;
                    continue;
                }
                d.append(segment == 0 ? 'M' : 'L').append(px(xPx(line.x()[i]))).append(',')
                        .append(px(yPx(v)));
                segment++;
            }
            if (segment == 1) {
                d.append("l0.01,0");
            }
            if (d.length() == 0) {
                continue;
            }
            svg.append("<path class=\"series\" d=\"").append(d).append("\" fill=\"none\" stroke=\"")
                    .append(line.color()).append("\" stroke-width=\"1.6\" stroke-linejoin=\"round\"")
                    .append(" stroke-linecap=\"round\"");
            if (line.dashed()) {
                svg.append(" stroke-dasharray=\"6 4\"");
            }
            svg.append(" clip-path=\"url(#clip-").append(escape(model.id())).append(")\" data-points=\"")
                    .append(kept.length).append("\"><title>").append(escape(line.label()))
                    .append("</title></path>\n");
        }
    }

    private void drawUnplottable(boolean nonFinite, boolean nonPositive) {
        double topStrip = plotTop - 9;
        double bottomStrip = plotBottom + 13;
        if (nonFinite) {
            text(plotLeft - 8, topStrip + 4, "end", "font-size=\"10\" font-weight=\"600\" fill=\""
                    + Palette.NON_FINITE + "\"", "NaN/Inf");
        }
        if (nonPositive) {
            text(plotLeft - 8, bottomStrip + 4, "end", "font-size=\"10\" font-weight=\"600\" fill=\""
                    + Palette.MUTED + "\"", "≤ 0");
        }
        for (Line line : model.lines()) {
            pinned(line, topStrip, true);
            if (model.scale() == YScale.LOG) {
                pinned(line, bottomStrip, false);
            }
        }
    }

    /**
     * Draws the points of {@code line} the axis cannot show — non-finite ones ({@code top}) or
     * finite ones ≤ 0 — pinned in a strip: a triangle for an isolated point, a bar for a stretch
     * of consecutive points (e.g. every iteration after a run went NaN), so that a long stretch
     * reads as one. Triangles in an already-used pixel column are skipped.
     */
    private void pinned(Line line, double y, boolean top) {
        String cssClass = top ? "nonfinite" : "nonpositive";
        String stroke = top ? Palette.NON_FINITE : Palette.MUTED;
        Set<Long> columns = new HashSet<>();
        int runStart = -1;
        for (int i = 0; i <= line.size(); i++) {
            boolean pinned = false;
            if (i < line.size()) {
                double v = line.y()[i];
                pinned = top ? !Double.isFinite(v) : Double.isFinite(v) && v <= 0;
            }
            if (pinned && runStart < 0) {
                runStart = i;
            } else if (!pinned && runStart >= 0) {
                long from = Math.round(xPx(line.x()[runStart]));
                long to = Math.round(xPx(line.x()[i - 1]));
                if (from != to || columns.add(from)) {
                    pinnedRun(from, to, y, top, line.color(), cssClass, stroke);
                }
                runStart = -1;
            }
        }
    }

    private void pinnedRun(long from, long to, double y, boolean top, String color, String cssClass, String stroke) {
        if (from == to) {
            svg.append("<path class=\"").append(cssClass).append("\" d=\"M").append(px(from - 4)).append(',')
                    .append(px(top ? y - 4 : y + 3)).append(top ? "h8l-4,7z" : "h8l-4,-7z").append("\" fill=\"")
                    .append(color).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"0.6\"/>\n");
            return;
        }
        svg.append("<rect class=\"").append(cssClass).append("-run\" x=\"").append(px(from - 2)).append("\" y=\"")
                .append(px(y - 3)).append("\" width=\"").append(px(to - from + 4)).append("\" height=\"6\" rx=\"3\"")
                .append(" fill=\"").append(color).append("\" stroke=\"").append(stroke)
                .append("\" stroke-width=\"0.6\"/>\n");
    }

    private record LegendItem(String kind, String color, boolean dashed, String text) {

        double width() {
            return 28 + text.length() * CHAR_WIDTH + 18;
        }
    }

    private List<LegendItem> legendItems() {
        List<LegendItem> items = new ArrayList<>();
        for (Line line : model.lines()) {
            StringBuilder text = new StringBuilder(line.label());
            int nonFinite = ChartModel.nonFiniteCount(line);
            int nonPositive = model.nonPositiveCount(line);
            if (nonFinite > 0) {
                text.append(" · ").append(nonFinite).append(" NaN/Inf");
            }
            if (nonPositive > 0) {
                text.append(" · ").append(nonPositive).append(" ≤ 0");
            }
            items.add(new LegendItem("line", line.color(), line.dashed(), text.toString()));
        }
        if (model.band() != null) {
            items.add(new LegendItem("band", Palette.BAND, false, model.band().label()));
        }
        if (!model.markers().isEmpty() && model.markerLegend() != null) {
            items.add(new LegendItem("marker", model.markers().get(0).color(), true, model.markerLegend()));
        }
        return items;
    }

    private List<List<LegendItem>> legendRows(List<LegendItem> items) {
        List<List<LegendItem>> rows = new ArrayList<>();
        List<LegendItem> row = new ArrayList<>();
        double used = 0;
        double available = plotRight - plotLeft;
        for (LegendItem item : items) {
            if (!row.isEmpty() && used + item.width() > available) {
                rows.add(row);
                row = new ArrayList<>();
                used = 0;
            }
            row.add(item);
            used += item.width();
        }
        if (!row.isEmpty()) {
            rows.add(row);
        }
        return rows;
    }

    private void drawLegend(List<List<LegendItem>> rows) {
        double y = LEGEND_TOP;
        for (List<LegendItem> row : rows) {
            double x = plotLeft;
            double mid = y + 5;
            for (LegendItem item : row) {
                switch (item.kind()) {
                    case "band" -> svg.append("<rect x=\"").append(px(x)).append("\" y=\"").append(px(mid - 6))
                            .append("\" width=\"22\" height=\"12\" fill=\"").append(item.color())
                            .append("\" fill-opacity=\"0.2\" stroke=\"").append(item.color()).append("\" stroke-opacity=\"0.5\"/>\n");
                    case "marker" -> svg.append("<line x1=\"").append(px(x + 11)).append("\" y1=\"").append(px(mid - 7))
                            .append("\" x2=\"").append(px(x + 11)).append("\" y2=\"").append(px(mid + 7))
                            .append("\" stroke=\"").append(item.color()).append("\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\"/>\n");
                    default -> svg.append("<line x1=\"").append(px(x)).append("\" y1=\"").append(px(mid))
                            .append("\" x2=\"").append(px(x + 22)).append("\" y2=\"").append(px(mid))
                            .append("\" stroke=\"").append(item.color()).append("\" stroke-width=\"2.5\"")
                            .append(item.dashed() ? " stroke-dasharray=\"6 3\"" : "").append("/>\n");
                }
                svg.append("<text class=\"legend\" x=\"").append(px(x + 28)).append("\" y=\"").append(px(mid + 4))
                        .append("\" fill=\"").append(Palette.TEXT).append("\">").append(escape(item.text()))
                        .append("</text>\n");
                x += item.width();
            }
            y += LEGEND_ROW;
        }
    }

    private void text(double x, double y, String anchor, String attributes, String content) {
        svg.append("<text x=\"").append(px(x)).append("\" y=\"").append(px(y)).append("\" text-anchor=\"")
                .append(anchor).append("\" ").append(attributes).append('>').append(escape(content))
                .append("</text>\n");
    }
}
