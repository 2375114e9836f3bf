package org.explosionlab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.explosionlab.spec.EventKind;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Warning;
import org.explosionlab.detection.WarningRule;
import org.explosionlab.detection.Verdict;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.spec.ExperimentSpec;

/**
 * Builds the five charts of a run report while metrics.jsonl streams past, following the
 * Deeplearning4j training UI ("Visualizing Network Training", deeplearning4j.konduit.ai): loss,
 * global gradient norm before/after clipping with the threshold, per-layer gradient norms, the
 * log10 update:parameter ratio per parameter with DL4J's guidance band, and the learning rate.
 * Memory is bounded: every column goes through one {@link MinMaxBuckets}.
 */
final class RunCharts implements Consumer<IterationMetrics> {

    /**
     * DL4J's guidance for the update:parameter ratio mean|Δθ| / mean|θ|: "around 1:1000 = 0.001. On
     * the log10 chart, this corresponds to a value of -3", values above -2 or below -4 are "a
     * significant divergence" (DL4J UI guide, "Using the UI to Tune Your Network"; CS231n, "Neural
     * Networks 3", gives the same 1e-3 rule).
     */
    static final double RATIO_GUIDE_LOG10 = -3;
    static final double RATIO_BAND_LOW_LOG10 = -4;
    static final double RATIO_BAND_HIGH_LOG10 = -2;
    /** The ratio axis ends here (1e-10): a ratio below is a frozen parameter, named in the caption. */
    static final double RATIO_FLOOR_LOG10 = -10;
    /** Buckets per chart: 1,000 … 2,000, so 2,000 … 4,000 points per line at most. */
    static final int BUCKETS = 1000;
    /** The colour of an early warning's marker (amber: not an event). */
    static final String WARNING_COLOR = "#f9a825";
    /** Markers drawn per chart; the events table lists them all. */
    static final int MAX_MARKERS = 50;
    /** A linear axis starts logarithmic when its positive values span more than this factor. */
    static final double AUTO_LOG_SPAN = 1e2;

    private final ExperimentSpec spec;
    private final List<String> names = new ArrayList<>();
    private final List<Function<IterationMetrics, Double>> columns = new ArrayList<>();
    private List<String> ratioKeys = List.of();
    private int layers;
    private long undefinedRatios;
    private MinMaxBuckets buckets;

    RunCharts(ExperimentSpec spec) {
        this.spec = spec;
    }

    @Override
    public void accept(IterationMetrics m) {
        if (buckets == null) {
            defineColumns(m);
            buckets = new MinMaxBuckets(columns.size(), BUCKETS);
        }
        Double[] values = new Double[columns.size()];
        for (int c = 0; c < values.length; c++) {
            values[c] = columns.get(c).apply(m);
        }
        buckets.add(m.iteration(), values);
    }

    private void defineColumns(IterationMetrics first) {
        column("loss", m -> m.loss());
        column("loss_exact", IterationMetrics::lossExact);
        column("before", m -> m.gradL2Global());
        column("after", m -> m.gradL2GlobalClipped());
        column("threshold", IterationMetrics::clipThreshold);
        column("lr", m -> m.lr());
        layers = first.gradL2Layer() == null ? 0 : first.gradL2Layer().length;
        for (int i = 0; i < layers; i++) {
            int layer = i;
            column("layer" + i, m -> m.gradL2Layer() != null && layer < m.gradL2Layer().length ? m.gradL2Layer()[layer] : null);
        }
        WarningRule.Thresholds t = WarningRule.Thresholds.defaults();
        column("sharpness_ratio", m -> m.sharpness() == null || m.sharpnessLimit() == null ? null : m.sharpness() / m.sharpnessLimit());
        column("update_rms_ratio", m -> m.updateRms() == null ? null : m.updateRms() / t.updateRms());
        column("spike_ratio", m -> m.gradNormZ() == null || Double.isInfinite(m.gradNormZ()) ? null : m.gradNormZ() / t.gradNormZ());
        column("update_cos", IterationMetrics::updateCos);
        List<String> keys = new ArrayList<>(first.updateParamRatio() == null ? List.of() : first.updateParamRatio().keySet());
        keys.sort(Comparator.comparingInt(RunCharts::layerOf).thenComparing(Function.identity()));
        ratioKeys = List.copyOf(keys);
        for (String key : ratioKeys) {
            column("ratio " + key, m -> log10Ratio(m, key));
        }
    }

    /**
     * log10(mean|Δθ| / mean|θ|) of parameter {@code key}; null where it is undefined because θ was
     * exactly zero (biases start at zero, so their first ratio is ∞: expected, not an alarm) or the
     * update was zero (a skipped step).
     */
    private Double log10Ratio(IterationMetrics m, String key) {
        Map<String, Double> ratios = m.updateParamRatio();
        Double ratio = ratios == null ? null : ratios.get(key);
        if (ratio == null) {
            return null;
        }
        Double theta = m.paramL2() == null ? null : m.paramL2().get(key);
        if (theta != null && theta == 0) {
            undefinedRatios++;
            return null;
        }
        if (ratio == 0) {
            return null;
        }
        return Math.log10(ratio);
    }

    private void column(String name, Function<IterationMetrics, Double> value) {
        names.add(name);
        columns.add(value);
    }

    /** The charts, in page order: loss, grad_norm, layer_grad_norm, update_ratio, lr. */
    List<Chart> charts(Verdict verdict) {
        if (buckets == null) {
            buckets = new MinMaxBuckets(0, BUCKETS);
        }
        List<Chart.Event> events = events(verdict);
        List<Chart> charts = new ArrayList<>(List.of(loss(events), gradNorm(events), layerGradNorm(events), updateRatio(events),
                learningRate()));
        Chart warning = earlyWarning(events);
        if (warning != null) charts.add(1, warning);          // next to the loss it warns about
        return List.copyOf(charts);
    }

    /** The early-warning instruments, each divided by its warning line (so 1 is the line), or null when none was recorded. */
    private Chart earlyWarning(List<Chart.Event> events) {
        WarningRule.Thresholds t = WarningRule.Thresholds.defaults();
        List<Chart.Series> lines = new ArrayList<>();
        if (present("sharpness_ratio")) {                 // measured every k-th iteration: joined across the others, not gaps
            lines.add(measuredOnly(series("sharpness_ratio", "sharpness ÷ stability limit", Palette.series(0), false, 1.5)));
        }
        if (present("update_rms_ratio")) lines.add(series("update_rms_ratio", "Adam update RMS ÷ " + Numbers.format(t.updateRms()), Palette.series(1), false, 1.2));
        if (present("spike_ratio")) lines.add(series("spike_ratio", "spike score ÷ " + Numbers.format(t.gradNormZ()), Palette.series(2), false, 1.0));
        if (present("update_cos")) lines.add(series("update_cos", "cos(update, −gradient)", Palette.series(3), true, 1.0));
        if (lines.isEmpty()) return null;
        return new Chart("early_warning", "Early-warning instruments", "fraction of the warning line", false, null, null, lines,
                null, 1.0, events, "Each instrument divided by the line at which the monitor's WarningRule warns (the guide at 1):"
                        + " the directional sharpness on a probe minibatch against its optimizer's stability limit (2/η for SGD,"
                        + " 38/η for Adam's preconditioned value; Cohen et al. 2021, 2022), Adam's update RMS against "
                        + Numbers.format(t.updateRms()) + " (Wortsman et al. 2023), the spike score of log ‖g‖ against "
                        + Numbers.format(t.gradNormZ()) + "σ (OLMo 2); dashed, the cosine between the applied update and −g"
                        + " (Molybog et al. 2023; 1 for plain SGD). Amber verticals mark the warnings: they are not events, and"
                        + " a run with warnings and no event is healthy." + nonFiniteNote(lines));
    }

    private Chart loss(List<Chart.Event> events) {
        List<Chart.Series> lines = new ArrayList<>();
        lines.add(series("loss", "loss (DL4J)", Palette.series(0), false, 1.5));
        boolean exact = present("loss_exact");
        if (exact) {
            lines.add(series("loss_exact", "loss_exact", Palette.series(1), true, 1.5));
        }
        boolean log = spansDecades(lines);
        return new Chart("loss", "Training loss", "loss", log, null, null, lines, null, null, events,
                "Mean minibatch loss at each recorded iteration: DL4J's score, which clips each softmax probability"
                        + " at 1e-10 so one example adds at most 23.03"
                        + (exact ? "; dashed, loss_exact, the same cross-entropy without that clip (they coincide"
                                + " until examples saturate, then DL4J's loss under-reads the explosion)." : ".")
                        + nonFiniteNote(lines));
    }

    private Chart gradNorm(List<Chart.Event> events) {
        boolean threshold = present("threshold");
        boolean changes = threshold || differs("before", "after");
        List<Chart.Series> lines = new ArrayList<>();
        if (threshold) {
            lines.add(series("threshold", "clip threshold", Palette.THRESHOLD, true, 1));
        }
        lines.add(series("before", "before clipping", Palette.series(0), false, 1.5));
        if (changes) {
            // Last, so it is drawn on top: clipped, it runs along the threshold and must not hide under it.
            lines.add(series("after", "after clipping", Palette.series(1), false, 2.5));
        }
        return new Chart("grad_norm", "Global gradient norm ‖g‖₂", "‖g‖₂", true, null, null, lines, null, null, events,
                "Global L2 norm of the gradient, ‖g‖₂ = √(Σₚ ‖gₚ‖²), on the mean-loss scale, before and after"
                        + " clipping" + (threshold ? "; dashed grey: the threshold in force (after clipping the norm is"
                        + " at most the threshold)." : changes ? "." : "; no clipping was in force, so only the norm"
                        + " before clipping is drawn.") + markerNote(events) + nonFiniteNote(lines));
    }

    private Chart layerGradNorm(List<Chart.Event> events) {
        List<Chart.Series> lines = new ArrayList<>();
        List<Integer> sizes = spec == null || spec.layers().layerSizes() == null ? List.of() : spec.layers().layerSizes();
        for (int i = 0; i < layers; i++) {
            String shape = sizes.size() == layers + 1 ? " (" + sizes.get(i) + "→" + sizes.get(i + 1) + ")" : "";
            lines.add(series("layer" + i, "layer " + i + shape, Palette.series(i), false, 1.5));
        }
        return new Chart("layer_grad_norm", "Per-layer gradient norm (before clipping)", "‖g_layer‖₂", true, null, null,
                lines, null, null, events, "L2 norm of each layer's gradient (weights and biases together) before"
                        + " clipping. The layer whose norm leaves the pack first is where an explosion starts."
                        + nonFiniteNote(lines));
    }

    private Chart updateRatio(List<Chart.Event> events) {
        List<Chart.Series> lines = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String key : ratioKeys) {
            int layer = layerOf(key);
            Chart.Series s = series("ratio " + key, key, Palette.series(layer == Integer.MAX_VALUE ? 9 : layer),
                    !key.endsWith("_W"), key.endsWith("_W") ? 1.5 : 1);
            lines.add(s);
            for (Double v : s.y()) {
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        double yMin = Math.max(RATIO_FLOOR_LOG10, Math.min(RATIO_BAND_LOW_LOG10 - 1, Math.floor(lo)));
        double yMax = Math.max(RATIO_BAND_HIGH_LOG10 + 1, Double.isInfinite(hi) ? 0 : Math.ceil(hi));
        String floor = lo < RATIO_FLOOR_LOG10 ? " Some ratios fall below 1e-10 (log10 −10, the axis's lower end,"
                + " down to 1e" + (int) Math.floor(lo) + "): those parameters no longer move." : "";
        String undefined = undefinedRatios == 0 ? "" : " " + undefinedRatios + (undefinedRatios == 1 ? " ratio is" : " ratios are")
                + " undefined and not drawn: the parameter was exactly 0 (biases start at zero), so mean|θ| = 0.";
        return new Chart("update_ratio", "Update : parameter ratio (log10)", "log10(mean|Δθ| / mean|θ|)", false,
                yMin, yMax, lines, new Chart.Band(RATIO_BAND_LOW_LOG10, RATIO_BAND_HIGH_LOG10, "DL4J guidance −4 … −2"),
                RATIO_GUIDE_LOG10, events, "log10 of mean|Δθ| / mean|θ| per parameter array and iteration, as DL4J's"
                        + " training UI charts it (solid: weights W, dashed: biases b). DL4J's guidance: about −3"
                        + " (1:1000, the dotted line), inside the shaded band −4 … −2; far above it each step rewrites"
                        + " a large part of the weights, far below it they barely move." + floor + undefined
                        + nonFiniteNote(lines));
    }

    private Chart learningRate() {
        Chart.Series lr = series("lr", "learning rate", Palette.series(2), false, 2);
        List<Chart.Series> lines = List.of(lr);
        boolean log = spansDecades(lines);
        double max = Double.NEGATIVE_INFINITY;
        for (Double v : lr.y()) {
            if (v != null) {
                max = Math.max(max, v);
            }
        }
        // A constant rate drawn on an axis fitted to it would sit on the top border: start at 0, leave headroom.
        Double yMax = log || Double.isInfinite(max) ? null : max * 1.25;
        return new Chart("lr", "Learning rate", "learning rate", log, log ? null : 0.0, yMax, lines, null, null, List.of(),
                "Learning rate in force at each recorded iteration (the updater's schedule applied).");
    }

    private Chart.Series series(String column, String label, String color, boolean dashed, double width) {
        int c = names.indexOf(column);
        if (c < 0) {
            return new Chart.Series(label, color, dashed, width, new double[0], new Double[0], 0, -1);
        }
        return new Chart.Series(label, color, dashed, width, buckets.x(), buckets.y(c), buckets.nonFinite(c),
                buckets.firstNonFiniteX(c));
    }

    /**
     * The series without the points where it was not measured (null), so a figure recorded every k-th iteration is
     * drawn as a line through its measurements instead of isolated points between gaps.
     */
    private static Chart.Series measuredOnly(Chart.Series s) {
        int n = 0;
        for (Double y : s.y()) if (y != null) n++;
        double[] x = new double[n];
        Double[] y = new Double[n];
        for (int i = 0, j = 0; i < s.y().length; i++) {
            if (s.y()[i] == null) continue;
            x[j] = s.x()[i];
            y[j++] = s.y()[i];
        }
        return new Chart.Series(s.label(), s.color(), s.dashed(), s.width(), x, y, s.nonFinite(), s.firstNonFiniteX());
    }

    private boolean present(String column) {
        int c = names.indexOf(column);
        return c >= 0 && buckets.present(c) > 0;
    }

    /** Whether two columns differ anywhere (compared bucket by bucket: clipping changes the extremes). */
    private boolean differs(String a, String b) {
        int ca = names.indexOf(a);
        int cb = names.indexOf(b);
        if (ca < 0 || cb < 0) {
            return false;
        }
        Double[] ya = buckets.y(ca);
        Double[] yb = buckets.y(cb);
        for (int i = 0; i < ya.length; i++) {
            if (ya[i] == null ? yb[i] != null : !ya[i].equals(yb[i])) {
                return true;
            }
        }
        return false;
    }

    /** Whether all finite values of {@code lines} are positive and span more than {@link #AUTO_LOG_SPAN}. */
    static boolean spansDecades(List<Chart.Series> lines) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Chart.Series s : lines) {
            for (Double v : s.y()) {
                if (v != null) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        return min > 0 && max / min > AUTO_LOG_SPAN;
    }

    private static String nonFiniteNote(List<Chart.Series> lines) {
        StringBuilder note = new StringBuilder();
        for (Chart.Series s : lines) {
            if (s.nonFinite() > 0) {
                note.append(" ").append(s.label()).append(": ").append(s.nonFinite())
                        .append(s.nonFinite() == 1 ? " NaN/Inf value" : " NaN/Inf values")
                        .append(" from iteration ").append(s.firstNonFiniteX()).append(" on, not drawn (a gap).");
            }
        }
        return note.toString();
    }

    private static String markerNote(List<Chart.Event> events) {
        return events.isEmpty() ? " The detector flagged no iteration."
                : " Dashed verticals mark the iterations the detector flagged.";
    }

    /** Vertical markers at the verdict's events (the first {@link #MAX_MARKERS}), coloured by kind. */
    static List<Chart.Event> events(Verdict verdict) {
        List<Chart.Event> markers = new ArrayList<>();
        if (verdict == null) {
            return markers;
        }
        for (ExplosionEvent e : verdict.events()) {
            if (markers.size() == MAX_MARKERS) {
                break;
            }
            markers.add(new Chart.Event(e.iteration(), e.kind().label() + " @ " + e.iteration(), eventColor(e.kind())));
        }
        int warnings = 0;
        for (Warning w : verdict.warnings()) {
            if (warnings++ == MAX_MARKERS) break;
            markers.add(new Chart.Event(w.iteration(), "warning: " + w.signal() + " @ " + w.iteration(), WARNING_COLOR));
        }
        return markers;
    }

    static String eventColor(EventKind kind) {
        return switch (kind) {
            case NONFINITE -> "#7b1fa2";
            case COLLAPSE -> "#e65100";
            case VANISHING -> "#1565c0";
            case STALLED -> "#6d4c41";
            default -> Palette.EVENT;
        };
    }

    /** The layer index of a DL4J parameter key "1_W", or {@link Integer#MAX_VALUE}. */
    static int layerOf(String key) {
        int underscore = key.indexOf('_');
        try {
            return underscore > 0 ? Integer.parseInt(key.substring(0, underscore)) : Integer.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
