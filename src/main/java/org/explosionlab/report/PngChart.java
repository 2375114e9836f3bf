package org.explosionlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws a {@link Chart} as a PNG with JFreeChart and its own axes (log y axes are {@link LogAxis}).
 * Series are drawn in the chart's order, the last on top; a gap (null, or ≤ 0 on a log axis) breaks
 * the line. Rendering is headless and the size fixed, so the same files give the same picture.
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
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private PngChart() {
    }

    /** The chart as PNG bytes of {@link #WIDTH} × {@link #HEIGHT} pixels. */
    static byte[] render(Chart model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            ChartUtils.writeChartAsPNG(out, chart(model), WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chart " + model.id() + " as PNG", e);
        }
        return out.toByteArray();
    }

    static JFreeChart chart(Chart model) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true); // one path per line, so dash patterns survive dense points
        Set<String> keys = new HashSet<>();
        int index = 0;
        for (Chart.Series line : model.series()) {
            String key = line.label();
            while (!keys.add(key)) {
                key = key + " ";
            }
            XYSeries series = new XYSeries(key, false, true);
            for (int i = 0; i < line.x().length; i++) {
                Double v = line.y()[i];
                series.add(line.x()[i], v == null || (model.log() && v <= 0) ? null : v);
            }
            dataset.addSeries(series);
            renderer.setSeriesPaint(index, color(line.color(), 255));
            float width = (float) line.width();
            renderer.setSeriesStroke(index, line.dashed()
                    ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            index++;
        }
        NumberAxis xAxis = new NumberAxis("iteration");
        double[] xRange = model.xRange();
        xAxis.setRange(xRange[0], xRange[1]);
        XYPlot plot = new XYPlot(dataset, xAxis, yAxis(model), renderer);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the last series on top, as on the page
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(color(Palette.AXIS, 255));
        plot.setDomainGridlinePaint(color(Palette.GRID, 255));
        plot.setRangeGridlinePaint(color("#d0d0d0", 255));
        if (model.band() != null) {
            IntervalMarker shaded = new IntervalMarker(model.band().low(), model.band().high());
            shaded.setPaint(color(Palette.BAND, 38));
            shaded.setLabel(model.band().label());
            shaded.setLabelFont(LABEL_FONT);
            shaded.setLabelPaint(color("#2e7d32", 255));
            shaded.setLabelAnchor(RectangleAnchor.BOTTOM_RIGHT);
            shaded.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(shaded, Layer.BACKGROUND);
        }
        if (model.guide() != null) {
            ValueMarker guide = new ValueMarker(model.guide());
            guide.setPaint(color("#2e7d32", 200));
            guide.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f));
            plot.addRangeMarker(guide, Layer.BACKGROUND);
        }
        boolean labelled = false;
        Set<Long> marked = new HashSet<>();
        for (Chart.Event e : model.events()) {
            if (!marked.add(e.x())) {
                continue;
            }
            ValueMarker marker = new ValueMarker(e.x());
            marker.setPaint(color(e.color(), 190));
            marker.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 3f}, 0f));
            if (!labelled) {
                marker.setLabel(e.label() + (model.events().size() > 1 ? " (+" + (model.events().size() - 1) + ")" : ""));
                marker.setLabelFont(LABEL_FONT);
                marker.setLabelPaint(color(e.color(), 255));
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
        return chart;
    }

    private static ValueAxis yAxis(Chart model) {
        ValueAxis axis;
        if (model.log()) {
            LogAxis log = new LogAxis(model.yLabel());
            log.setBase(10);
            log.setSmallestValue(1e-300);
            axis = log;
        } else {
            NumberAxis linear = new NumberAxis(model.yLabel());
            linear.setAutoRangeIncludesZero(false);
            axis = linear;
        }
        if (model.yMin() != null && model.yMax() != null) {
            axis.setRange(model.yMin(), model.yMax());
        } else if (model.yMin() != null) {
            axis.setLowerBound(model.yMin());
        }
        return axis;
    }

    private static Color color(String hex, int alpha) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return new Color((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, alpha);
    }
}
