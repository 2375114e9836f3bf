package org.explosionlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a {@link ChartModel} as a PNG with JFreeChart, on the same axes as {@link SvgChart}
 * (log y axes are JFreeChart {@link LogAxis}). Values the axis cannot show (NaN, ±∞, and ≤ 0 on
 * a log axis) are dropped from the dataset — the line breaks there — and a subtitle counts them.
 * Rendering is headless and the image size is fixed, so the same files give the same picture.
 */
public final class PngChart {

    /** Width of every PNG, pixels. */
    public static final int WIDTH = 900;
    /** Height of every PNG, pixels. */
    public static final int HEIGHT = 400;

    static {
        // No display is needed or wanted: charts are drawn into an off-screen image.
        System.setProperty("java.awt.headless", "true");
    }

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font NOTE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private PngChart() {
    }

    /** The chart as PNG bytes of {@link #WIDTH} × {@link #HEIGHT} pixels. */
    public static byte[] render(ChartModel model) {
        JFreeChart chart = chart(model);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart " + model.id() + " as PNG", e);
        }
        return out.toByteArray();
    }

    static JFreeChart chart(ChartModel model) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true); // one path per line, so dash patterns survive dense points
        Set<String> keys = new HashSet<>();
        int index = 0;
        for (Line line : model.lines()) {
            String key = line.label();
            while (!keys.add(key)) {
                key = key + " ";
            }
            XYSeries series = new XYSeries(key, false, true);
            int[] kept = Downsampler.keep(line.y(), model.scale(), Downsampler.MAX_POINTS);
            for (int i : kept) {
                double v = line.y()[i];
                if (model.scale().plottable(v)) {
                    series.add(line.x()[i], v);
                } else {
                    series.add(line.x()[i], null); // dropped: the renderer breaks the line here
                }
            }
            dataset.addSeries(series);
            renderer.setSeriesPaint(index, color(line.color(), 255));
            renderer.setSeriesStroke(index, line.dashed()
                    ? new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            index++;
        }

        Axis x = ChartAxes.x(model);
        Axis y = ChartAxes.y(model);
        NumberAxis xAxis = new FixedTickNumberAxis(model.xLabel(), x);
        xAxis.setRange(x.drawnLow(), x.drawnHigh());
        xAxis.setTickUnit(new NumberTickUnit(x.tickStep()));
        XYPlot plot = new XYPlot(dataset, xAxis, yAxis(model, y), renderer);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // later lines on top, as in the SVG
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(color(Palette.AXIS, 255));
        plot.setDomainGridlinePaint(color(Palette.GRID, 255));
        plot.setRangeGridlinePaint(color("#d0d0d0", 255));
        plot.setRangeMinorGridlinesVisible(y.log());
        plot.setRangeMinorGridlinePaint(color(Palette.MINOR_GRID, 255));
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        Band band = model.band();
        if (band != null) {
            IntervalMarker shaded = new IntervalMarker(band.low(), band.high());
            shaded.setPaint(color(Palette.BAND, 38));
            shaded.setLabel(band.label());
            shaded.setLabelFont(LABEL_FONT);
            shaded.setLabelPaint(color("#2e7d32", 255));
            shaded.setLabelBackgroundColor(new Color(255, 255, 255, 0));
            shaded.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            shaded.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(shaded, Layer.BACKGROUND);
        }
        Set<Double> marked = new HashSet<>();
        boolean labelled = false;
        for (EventMarker m : model.markers()) {
            if (!marked.add(m.x())) {
                continue;
            }
            ValueMarker marker = new ValueMarker(m.x());
            marker.setPaint(color(m.color(), 190));
            marker.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {5f, 3f}, 0f));
            if (!labelled) {
                marker.setLabel(model.markerLegend() != null ? model.markerLegend() : m.label());
                marker.setLabelFont(LABEL_FONT);
                marker.setLabelPaint(color(m.color(), 255));
                marker.setLabelBackgroundColor(new Color(255, 255, 255, 200));
                marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
                labelled = true;
            }
            plot.addDomainMarker(marker, Layer.FOREGROUND);
        }

        JFreeChart chart = new JFreeChart(model.title(), TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        String note = droppedNote(model);
        if (!note.isEmpty()) {
            TextTitle subtitle = new TextTitle(note, NOTE_FONT);
            subtitle.setPaint(color(Palette.NON_FINITE, 255));
            chart.addSubtitle(subtitle);
        }
        return chart;
    }

    private static ValueAxis yAxis(ChartModel model, Axis y) {
        if (y.log()) {
            LogAxis axis = new FixedTickLogAxis(model.yLabel(), y);
            axis.setBase(10);
            axis.setRange(y.drawnLow(), y.drawnHigh());
            axis.setTickUnit(new NumberTickUnit(y.tickStep()));
            axis.setMinorTickCount(y.tickStep() == 1 ? 9 : 1);
            axis.setSmallestValue(y.drawnLow());
            return axis;
        }
        NumberAxis axis = new FixedTickNumberAxis(model.yLabel(), y);
        axis.setRange(y.drawnLow(), y.drawnHigh());
        axis.setTickUnit(new NumberTickUnit(y.tickStep()));
        return axis;
    }

    /** "3 NaN/Inf values dropped; 1 value ≤ 0 dropped (log scale)", or "" when all are drawn. */
    static String droppedNote(ChartModel model) {
        StringBuilder note = new StringBuilder();
        int nonFinite = model.nonFiniteCount();
        int nonPositive = model.nonPositiveCount();
        if (nonFinite > 0) {
            note.append(nonFinite).append(nonFinite == 1 ? " NaN/Inf value" : " NaN/Inf values")
                    .append(" dropped from the plot");
        }
        if (nonPositive > 0) {
            if (note.length() > 0) {
                note.append("; ");
            }
            note.append(nonPositive).append(nonPositive == 1 ? " value" : " values")
                    .append(" ≤ 0 dropped (log scale)");
        }
        if (!model.hasData()) {
            if (note.length() > 0) {
                note.append("; ");
            }
            note.append("no finite values recorded");
        }
        return note.toString();
    }

    /** Tick marks and labels for an axis edge: the same ticks as the SVG chart, with its labels. */
    private static List<ValueTick> ticks(Axis axis, RectangleEdge edge, Font font, boolean superscript) {
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        TextAnchor anchor = vertical ? TextAnchor.CENTER_RIGHT : TextAnchor.TOP_CENTER;
        List<ValueTick> ticks = new ArrayList<>();
        for (Tick t : axis.ticks()) {
            if (superscript) {
                ticks.add(new LogTick(TickType.MAJOR, t.value(), label(t, font), anchor));
            } else {
                ticks.add(new NumberTick(TickType.MAJOR, t.value(), t.label(), anchor, anchor, 0.0));
            }
        }
        for (double v : axis.minorGrid()) {
            ticks.add(superscript ? new LogTick(TickType.MINOR, v, null, anchor)
                    : new NumberTick(TickType.MINOR, v, "", anchor, anchor, 0.0));
        }
        return ticks;
    }

    /** "10" with a superscript exponent for powers of ten beyond ±3, else the plain label. */
    private static AttributedString label(Tick t, Font font) {
        String text = t.exponent() != null && Math.abs(t.exponent()) >= 4 ? "10" + t.exponent() : t.label();
        AttributedString label = new AttributedString(text);
        label.addAttributes(font.getAttributes(), 0, text.length());
        if (!text.equals(t.label())) {
            label.addAttribute(TextAttribute.SUPERSCRIPT, TextAttribute.SUPERSCRIPT_SUPER, 2, text.length());
        }
        return label;
    }

    /** A linear axis that shows exactly the ticks chosen by {@link ChartAxes}. */
    private static final class FixedTickNumberAxis extends NumberAxis {

        private static final long serialVersionUID = 1L;
        private final transient Axis axis;

        FixedTickNumberAxis(String label, Axis axis) {
            super(label);
            this.axis = axis;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            return ticks(axis, edge, getTickLabelFont(), false);
        }
    }

    /** A log axis that shows exactly the ticks chosen by {@link ChartAxes}, labelled 10ⁿ. */
    private static final class FixedTickLogAxis extends LogAxis {

        private static final long serialVersionUID = 1L;
        private final transient Axis axis;

        FixedTickLogAxis(String label, Axis axis) {
            super(label);
            this.axis = axis;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
            return ticks(axis, edge, getTickLabelFont(), true);
        }
    }

    private static Color color(String hex, int alpha) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return new Color((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, alpha);
    }
}
