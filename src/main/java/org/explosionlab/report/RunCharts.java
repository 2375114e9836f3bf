package org.explosionlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the five charts of a run report from its metrics and verdict: loss, global gradient
 * norm before/after clipping, per-layer gradient norms, update:parameter ratios and learning
 * rate. Each chart's id is the base name of its PNG.
 */
public final class RunCharts {

    /**
     * Healthy update:parameter ratio band, 10^-4 … 10^-2. The Deeplearning4j UI guide ("Using the
     * UI to Tune Your Network") puts the ratio mean|Δθ| / mean|θ| at "around 1:1000" (log10 −3) and
     * calls values above −2 or below −4 a significant divergence; Karpathy's CS231n notes ("Neural
     * Networks 3", ratio of weights:updates) give the same 1e-3 rule of thumb.
     */
    public static final double HEALTHY_RATIO_LOW = 1e-4;
    public static final double HEALTHY_RATIO_HIGH = 1e-2;

    /** A linear axis switches to log when its positive values span more than this factor. */
    static final double AUTO_LOG_SPAN = 1e3;

    static final String X_LABEL = "iteration";
    private static final Pattern PARAM_KEY = Pattern.compile("(\\d{1,6})_(.+)");

    private RunCharts() {
    }

    /** The report's figures, in page order: loss, grad_norm, layer_grad_norm, update_ratio, lr. */
    public static List<Figure> figures(RunData run) {
        List<MetricsRow> rows = run.metrics().rows();
        List<EventMarker> events = eventMarkers(run.summary().verdict());
        String eventLegend = eventLegend(run.summary().verdict());
        return List.of(loss(rows, events, eventLegend), gradNorm(rows, events, eventLegend),
                layerGradNorm(rows, events, eventLegend, run.summary().spec()),
                updateRatio(rows, events, eventLegend), learningRate(rows));
    }

    static Figure loss(List<MetricsRow> rows, List<EventMarker> events, String eventLegend) {
        Line loss = line("loss (DL4J)", Palette.series(0), false, rows, MetricsRow::loss);
        boolean hasExact = rows.stream().anyMatch(r -> r.lossExact() != null);
        List<Line> lines = new ArrayList<>(List.of(loss));
        if (hasExact) lines.add(line("loss_exact", Palette.series(1), true, rows, MetricsRow::lossExact));
        YScale scale = autoScale(lines);
        ChartModel chart = new ChartModel("loss", "Training loss", X_LABEL,
                scale == YScale.LOG ? "loss (log scale)" : "loss", scale, true, lines, null,
                events, eventLegend);
        long saturated = rows.stream().filter(r -> r.lossSaturatedFraction() != null && r.lossSaturatedFraction() > 0).count();
        String exact = !hasExact ? ""
                : " Dashed: the exact cross-entropy (log-softmax of the output layer's pre-activations, same L1/L2 term)."
                        + " DL4J clips each softmax probability at 1e-10, so one example adds at most 23.03 to its loss;"
                        + (saturated == 0 ? " no recorded iteration reached that clip, so the two lines coincide."
                                : " in " + saturated + " of " + rows.size() + " recorded iterations some examples did,"
                                        + " and there DL4J's loss under-reads the explosion.");
        return new Figure(chart, "Mean mini-batch loss at each recorded iteration."
                + (scale == YScale.LOG ? " The loss spans more than three decades, so the axis is logarithmic." : "")
                + exact
                + " A loss that turns NaN marks the iteration at which the weights stopped being numbers.");
    }

    static Figure gradNorm(List<MetricsRow> rows, List<EventMarker> events, String eventLegend) {
        List<Line> lines = new ArrayList<>();
        lines.add(line("before clipping", Palette.series(0), false, rows, MetricsRow::gradGlobal));
        boolean clippingChanges = rows.stream().anyMatch(r -> r.gradGlobalClipped() != null
                && r.gradGlobal() != null && Double.compare(r.gradGlobalClipped(), r.gradGlobal()) != 0);
        boolean hasThreshold = rows.stream().anyMatch(r -> r.clipThreshold() != null);
        if (clippingChanges || hasThreshold) {
            lines.add(line("after clipping", Palette.series(1), false, rows, MetricsRow::gradGlobalClipped));
        }
        if (hasThreshold) {
            lines.add(line("clip threshold", Palette.THRESHOLD, true, rows, MetricsRow::clipThreshold));
        }
        ChartModel chart = new ChartModel("grad_norm", "Global gradient norm ‖g‖₂", X_LABEL,
                "‖g‖₂ (log scale)", YScale.LOG, false, lines, null, events, eventLegend);
        String clipping = hasThreshold
                ? " Dashed grey: the clipping threshold in force; after clipping the norm is at most the threshold."
                : clippingChanges ? "" : " No clipping was in force, so the norm after clipping equals the norm before and is not drawn.";
        return new Figure(chart, "Global L2 norm of the gradient, ‖g‖₂ = √(Σₚ ‖gₚ‖²), on the mean-loss scale."
                + clipping + (events.isEmpty() ? " The detector flagged no iteration."
                        : " Dashed verticals mark the iterations the detector flagged."));
    }

    static Figure layerGradNorm(List<MetricsRow> rows, List<EventMarker> events, String eventLegend,
            JsonNode spec) {
        int layers = rows.stream().mapToInt(r -> r.gradLayer().size()).max().orElse(0);
        List<String> names = layerNames(layers, spec);
        List<Line> lines = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            int index = layer;
            lines.add(line(names.get(layer), Palette.series(layer), false, rows,
                    r -> index < r.gradLayer().size() ? r.gradLayer().get(index) : null));
        }
        ChartModel chart = new ChartModel("layer_grad_norm", "Per-layer gradient norm (before clipping)",
                X_LABEL, "‖g_layer‖₂ (log scale)", YScale.LOG, false, lines, null, events, eventLegend);
        return new Figure(chart, "L2 norm of each layer's gradient (weights and biases together) before"
                + " clipping. The layer whose norm leaves the pack first is where an explosion starts.");
    }

    static Figure updateRatio(List<MetricsRow> rows, List<EventMarker> events, String eventLegend) {
        Set<String> keys = new LinkedHashSet<>();
        for (MetricsRow row : rows) {
            keys.addAll(row.updateRatio().keySet());
        }
        List<String> ordered = new ArrayList<>(keys);
        ordered.sort(Comparator.comparingInt(RunCharts::layerOf).thenComparing(Function.identity()));
        List<Line> lines = new ArrayList<>();
        int unnamed = 0;
        for (String key : ordered) {
            int layer = layerOf(key);
            String color = Palette.series(layer == Integer.MAX_VALUE ? 5 + unnamed++ : layer);
            Matcher m = PARAM_KEY.matcher(key);
            boolean dashed = m.matches() && !m.group(2).equals("W");
            lines.add(line(key, color, dashed, rows, r -> r.updateRatio().get(key)));
        }
        Band band = new Band(HEALTHY_RATIO_LOW, HEALTHY_RATIO_HIGH, "healthy band 1e-4 … 1e-2");
        ChartModel chart = new ChartModel("update_ratio", "Update : parameter ratio", X_LABEL,
                "mean|Δθ| / mean|θ| (log10 scale)", YScale.LOG, false, lines, band, events, eventLegend);
        return new Figure(chart, "mean|Δθ| / mean|θ| of each parameter array per iteration (solid: weights W,"
                + " dashed: biases b). Healthy training keeps it near 1e-3, inside the shaded band"
                + " 1e-4 … 1e-2 (log10 −4 … −2); well above the band, each step rewrites a large part of the"
                + " weights. Biases start at zero, so their first ratios can be infinite.");
    }

    static Figure learningRate(List<MetricsRow> rows) {
        Line lr = line("learning rate", Palette.series(2), false, rows, MetricsRow::lr);
        YScale scale = autoScale(lr);
        ChartModel chart = new ChartModel("lr", "Learning rate", X_LABEL,
                scale == YScale.LOG ? "learning rate (log scale)" : "learning rate", scale, true, List.of(lr),
                null, List.of(), null);
        return new Figure(chart, "Learning rate in force at each recorded iteration.");
    }

    /** One point per row that records the value; absent values are left out, NaN kept. */
    static Line line(String label, String color, boolean dashed, List<MetricsRow> rows,
            Function<MetricsRow, Double> value) {
        double[] x = new double[rows.size()];
        double[] y = new double[rows.size()];
        int n = 0;
        for (MetricsRow row : rows) {
            Double v = value.apply(row);
            if (v != null) {
                x[n] = row.iteration();
                y[n] = v;
                n++;
            }
        }
        return new Line(label, color, dashed, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
    }

    /** LOG when all finite values are positive and span more than {@link #AUTO_LOG_SPAN}. */
    static YScale autoScale(Line line) {
        return autoScale(List.of(line));
    }

    /** {@link #autoScale(Line)} over the values of all {@code lines} together. */
    static YScale autoScale(List<Line> lines) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Line line : lines) {
            for (double v : line.y()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min > 0 && max / min > AUTO_LOG_SPAN ? YScale.LOG : YScale.LINEAR;
    }

    /** Vertical markers at the verdict's events, coloured by kind. */
    static List<EventMarker> eventMarkers(Verdict verdict) {
        List<EventMarker> markers = new ArrayList<>();
        for (VerdictEvent e : verdict.events()) {
            String kind = e.kind() == null ? "event" : e.kind();
            markers.add(new EventMarker(e.iteration(), kind + " @ " + e.iteration(), eventColor(kind)));
        }
        return markers;
    }

    static String eventLegend(Verdict verdict) {
        if (verdict.events().isEmpty()) {
            return null;
        }
        Map<String, Integer> byKind = new TreeMap<>();
        for (VerdictEvent e : verdict.events()) {
            byKind.merge(e.kind() == null ? "event" : e.kind(), 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        byKind.forEach((kind, count) -> text.append(text.length() > 0 ? ", " : "").append(count).append(' ')
                .append(kind));
        return text.append(verdict.events().size() == 1 ? " event" : " events").append(" flagged").toString();
    }

    static String eventColor(String kind) {
        return switch (kind) {
            case "nonfinite" -> "#7b1fa2";
            case "collapse" -> "#e65100";
            default -> Palette.EVENT;
        };
    }

    /** "layer 0 (784→128)", …, "layer 2 (64→10, output)" when the spec's layer sizes fit. */
    static List<String> layerNames(int layers, JsonNode spec) {
        List<Integer> sizes = new ArrayList<>();
        JsonNode node = spec == null ? null : spec.get("layerSizes");
        if (node != null && node.isArray()) {
            node.forEach(n -> sizes.add(n.asInt()));
        }
        List<String> names = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            StringBuilder name = new StringBuilder("layer ").append(i);
            String output = i == layers - 1 ? "output" : null;
            String shape = null;
            if (sizes.size() == layers + 1) {
                shape = sizes.get(i) + "→" + sizes.get(i + 1);
            } else if (sizes.size() == layers) {
                shape = sizes.get(i) + " units";
            }
            if (shape != null || output != null) {
                name.append(" (").append(shape == null ? output : output == null ? shape : shape + ", " + output)
                        .append(')');
            }
            names.add(name.toString());
        }
        return names;
    }

    /** The layer index of a DL4J parameter key "1_W", or {@link Integer#MAX_VALUE}. */
    static int layerOf(String key) {
        Matcher m = PARAM_KEY.matcher(key);
        return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }
}
