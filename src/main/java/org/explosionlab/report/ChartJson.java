package org.explosionlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The charts of a page as the JSON that {@code report.js} hands to uPlot, for a
 * {@code <script type="application/json">} element. Numbers keep six significant digits (a chart
 * needs no more); a gap is {@code null}. Every {@code <} is written as {@code \u003c}, so no string
 * can close the script element.
 */
final class ChartJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChartJson() {
    }

    /** {@code {"charts": [...]}} for {@code charts}, in page order. */
    static String of(List<Chart> charts) {
        ObjectNode root = NODES.objectNode();
        ArrayNode list = root.putArray("charts");
        for (Chart c : charts) {
            list.add(chart(c));
        }
        try {
            return RunJson.MAPPER.writeValueAsString(root).replace("<", "\\u003c").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data does not serialise", e);
        }
    }

    private static ObjectNode chart(Chart c) {
        ObjectNode node = NODES.objectNode();
        node.put("id", c.id());
        node.put("title", c.title());
        node.put("yLabel", c.yLabel());
        node.put("log", c.log());
        node.put("logSwitch", !c.id().equals("update_ratio"));
        if (c.yMin() != null) node.put("yMin", c.yMin());
        if (c.yMax() != null) node.put("yMax", c.yMax());
        double[] xr = c.xRange();
        node.putArray("xRange").add(round(xr[0])).add(round(xr[1]));
        if (c.band() != null) {
            node.putObject("band").put("low", c.band().low()).put("high", c.band().high()).put("label", c.band().label());
        }
        if (c.guide() != null) node.put("guide", c.guide());
        boolean shared = c.series().stream().allMatch(s -> java.util.Arrays.equals(s.x(), c.series().get(0).x()));
        if (shared && !c.series().isEmpty()) {
            numbers(node.putArray("x"), c.series().get(0).x());
        }
        ArrayNode series = node.putArray("series");
        for (Chart.Series s : c.series()) {
            ObjectNode sn = series.addObject();
            sn.put("label", s.label()).put("color", s.color()).put("dashed", s.dashed()).put("width", s.width());
            if (!shared) {
                numbers(sn.putArray("x"), s.x());
            }
            ArrayNode y = sn.putArray("y");
            for (Double v : s.y()) {
                if (v == null) y.addNull();
                else y.add(round(v));
            }
        }
        ArrayNode events = node.putArray("events");
        for (Chart.Event e : c.events()) {
            events.addObject().put("x", e.x()).put("label", e.label()).put("color", e.color());
        }
        return node;
    }

    private static void numbers(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(round(v));
        }
    }

    /** {@code v} to six significant digits. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
