package org.explosionlab.report;

import static org.explosionlab.report.Markup.escape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Warning;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.spec.UpdaterKind;
import org.explosionlab.training.RunResults;
import org.explosionlab.training.RunSummary;

/**
 * The report of one run: {@code report.html} — the verdict once, at the top, with its events; key
 * figures; five interactive charts (uPlot, inlined); the per-epoch table; spec and provenance — plus
 * PNG copies of the charts ({@code loss.png}, {@code grad_norm.png}, {@code layer_grad_norm.png},
 * {@code update_ratio.png}, {@code lr.png}, JFreeChart), all rebuilt from metrics.jsonl and
 * summary.json. The page is self-contained: it loads nothing.
 */
public final class RunReport {

    public static final String HTML_FILE = "report.html";
    /** Events listed in the verdict table; the rest are counted. */
    static final int MAX_EVENT_ROWS = 20;

    private RunReport() {
    }

    /** Renders the report of {@code run} in memory. */
    static RenderedFiles render(RunData run) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Chart c : run.charts()) {
            files.put(c.id() + ".png", PngChart.render(c));
        }
        files.put(HTML_FILE, html(run).getBytes(StandardCharsets.UTF_8));
        return new RenderedFiles(run.dir(), files);
    }

    /** The PNG file names a run report always writes, in page order ({@code early_warning.png} too when the run recorded an instrument). */
    public static List<String> pngFiles() {
        return List.of("loss.png", "grad_norm.png", "layer_grad_norm.png", "update_ratio.png", "lr.png");
    }

    static String html(RunData run) {
        RunSummary summary = run.summary();
        Html html = new Html();
        ReportStyle.head(html, "Run report — " + run.name());
        html.open("header");
        html.element("h1", run.name());
        html.element("p", facts(summary), "class", "sub", "id", "facts");
        html.close("header");

        verdict(html, summary.verdict(), run.unconfirmed());
        notes(html, run);
        keyFigures(html, summary.results(), run.stats());

        html.element("h2", "Charts");
        html.element("p", "Drag across a chart to zoom, double-click to zoom out, hover for values, click a legend"
                + " entry to hide its line.", "class", "muted");
        for (Chart c : run.charts()) {
            figure(html, c, true);
        }

        epochs(html, summary.epochs());
        html.element("h2", "Results");
        html.jsonTable(RunJson.MAPPER.valueToTree(summary.results()), "kv");
        html.open("div", "class", "two");
        html.open("section");
        html.element("h2", "Spec");
        html.jsonTable(specShown(summary.spec()), "kv");
        html.close("section");
        html.open("section");
        html.element("h2", "Provenance");
        html.jsonTable(RunJson.MAPPER.valueToTree(summary.provenance()), "kv");
        html.close("section");
        html.close("div");

        html.open("footer");
        html.text("Rebuilt by explosion-lab report from metrics.jsonl (" + run.stats().rows() + " rows) and"
                + " summary.json. Charts drawn with uPlot 1.6.32 (MIT), inlined; PNG copies drawn with JFreeChart.");
        html.close("footer");
        ReportStyle.tail(html, ChartJson.of(run.charts()));
        return html.toString();
    }

    /**
     * The spec as the report's table shows it: every field but the optimizer fields the run's updater does not read
     * ({@link UpdaterKind#reads}: an SGD run shows no β1, β2, ε, momentum or rmsDecay). The
     * summary.json keeps them all, so the run can be repeated from it.
     */
    static JsonNode specShown(ExperimentSpec spec) {
        ObjectNode tree = SpecJson.toTree(spec);
        UpdaterKind updater = spec.optimizer().updater();
        if (updater != null) {
            tree.remove(UpdaterKind.OPTIMIZER_FIELDS.stream().filter(f -> !updater.reads(f)).toList());
        }
        return tree;
    }

    /**
     * "seed-baseline · 20 of 20 epochs · 1,200 iterations · adam, lr 0.001 · clipping none": what was
     * run, from the resolved spec and the results (the preset's description may name other values).
     */
    static String facts(RunSummary summary) {
        ExperimentSpec spec = summary.spec();
        RunResults results = summary.results();
        List<String> parts = new ArrayList<>();
        parts.add("spec " + spec.name());
        if (results != null) {
            parts.add(results.epochsCompleted() + " of " + spec.training().epochs() + (spec.training().epochs() == 1 ? " epoch" : " epochs")
                    + (results.stoppedEarly() ? " (stopped early)" : ""));
            parts.add(results.iterations() + " iterations");
        } else {
            parts.add(spec.training().epochs() + (spec.training().epochs() == 1 ? " epoch" : " epochs") + " planned, not finished");
        }
        parts.add(String.valueOf(spec.optimizer().updater()).toLowerCase() + ", lr " + Numbers.format(spec.optimizer().learningRate()));
        parts.add("batch " + spec.training().batchSize());
        parts.add("clipping " + SweepReport.clipping(spec));
        return String.join(" · ", parts);
    }

    /** @param unconfirmed why a healthy verdict is not shown as such ({@link RunData#unconfirmed}), or null */
    private static void verdict(Html html, Verdict verdict, String unconfirmed) {
        String kind = verdict == null ? "not recorded" : unconfirmed != null ? RunData.UNCONFIRMED : verdict.kind().label();
        html.open("section", "id", "verdict", "class", "verdict " + ReportStyle.kindClass("verdict-", kind));
        html.element("div", "Verdict", "class", "label");
        html.element("div", kind, "class", "kind");
        if (verdict == null) {
            html.element("p", "summary.json holds no verdict: the run stopped before it was judged.", "class", "message");
            html.close("section");
            return;
        }
        if (unconfirmed != null) {
            html.element("p", unconfirmed + ".", "class", "message");
            html.close("section");
            return;
        }
        html.element("p", verdict.advice(), "class", "advice");
        List<ExplosionEvent> events = verdict.events();
        if (!events.isEmpty()) {
            html.open("p", "class", "first").text("First flagged iteration: ")
                    .element("strong", String.valueOf(events.get(0).iteration()), "class", "first-iteration")
                    .text(" · " + events.size() + (events.size() == 1 ? " event" : " events")).close("p");
            List<List<String>> rows = new ArrayList<>();
            for (ExplosionEvent e : events.subList(0, Math.min(MAX_EVENT_ROWS, events.size()))) {
                rows.add(List.of(
                        escape(String.valueOf(e.iteration())),
                        escape(String.valueOf(e.epoch())),
                        "<span class=\"" + ReportStyle.kindClass("kind-", e.kind().label()) + "\">"
                                + escape(e.kind().label()) + "</span>",
                        escape(e.layerFirst() == null ? "—" : e.layerFirst().toString()),
                        escape(e.layerMost() == null ? "—" : e.layerMost().toString()),
                        escape(e.recoveredAt() == null ? "—" : e.recoveredAt().toString()),
                        "<code>" + escape(trigger(e.trigger())) + "</code>"));
            }
            html.open("div", "class", "scroll");
            html.table("events", List.of("iteration", "epoch", "kind", "first layer", "most layer", "recovered at",
                    "trigger"), rows, new boolean[] {true, true, false, true, true, true, false});
            html.close("div");
            if (events.size() > MAX_EVENT_ROWS) {
                html.element("p", "… and " + (events.size() - MAX_EVENT_ROWS) + " more events.", "class", "muted");
            }
        }
        warnings(html, verdict);
        html.close("section");
    }

    /** The early warnings: marked, listed, and said not to be a verdict. */
    private static void warnings(Html html, Verdict verdict) {
        List<Warning> warnings = verdict.warnings();
        if (warnings.isEmpty()) {
            return;
        }
        html.open("p", "class", "warnings").text("Early warnings: ")
                .element("strong", String.valueOf(warnings.size()), "class", "warning-count")
                .text(", first at iteration " + warnings.get(0).iteration() + " (" + warnings.get(0).signal() + ")."
                        + (verdict.healthy() ? " A warning is not a verdict: no explosion followed, so the run is healthy."
                        : " A warning is not a verdict: the verdict above comes from the detected events alone."))
                .close("p");
        List<List<String>> rows = new ArrayList<>();
        for (Warning w : warnings.subList(0, Math.min(MAX_EVENT_ROWS, warnings.size()))) {
            rows.add(List.of(escape(String.valueOf(w.iteration())), "<span class=\"kind-warning\">" + escape(w.signal()) + "</span>",
                    escape(w.value() == null ? "—" : Numbers.format(w.value())),
                    escape(w.threshold() == null ? "—" : Numbers.format(w.threshold())), escape(w.advice() == null ? "" : w.advice())));
        }
        html.open("div", "class", "scroll");
        html.table("warnings", List.of("iteration", "warning", "value", "threshold", "advice"), rows,
                new boolean[] {true, false, true, true, false});
        html.close("div");
        if (warnings.size() > MAX_EVENT_ROWS) {
            html.element("p", "… and " + (warnings.size() - MAX_EVENT_ROWS) + " more warnings.", "class", "muted");
        }
    }

    /** "grad_l2_global = 312.2, ceiling = 100". */
    static String trigger(Map<String, Double> trigger) {
        StringBuilder text = new StringBuilder();
        trigger.forEach((k, v) -> text.append(text.length() > 0 ? ", " : "").append(k).append(" = ")
                .append(Numbers.format(v)));
        return text.toString();
    }

    private static void notes(Html html, RunData run) {
        List<String> notes = new ArrayList<>(run.notes());
        RunStats stats = run.stats();
        if (stats.nonFiniteGlobal() > 0) {
            notes.add(stats.nonFiniteGlobal() + " of " + stats.rows() + " recorded iterations have a NaN/Inf"
                    + " global gradient norm.");
        }
        if (stats.nonFiniteLoss() > 0) {
            notes.add(stats.nonFiniteLoss() + " of " + stats.rows() + " recorded iterations have a NaN/Inf loss.");
        }
        if (stats.saturatedRows() > 0) {
            notes.add(stats.saturatedRows() + " of " + stats.rows() + " recorded iterations had examples whose"
                    + " true-class probability hit DL4J's clip (p ≤ 1e-10; up to " + Numbers.percent(stats.maxSaturated())
                    + " of a minibatch): DL4J's loss counts each at 23.03 and under-reads the cross-entropy there;"
                    + " loss_exact (dashed in the loss chart) is the exact value.");
        }
        RunResults results = run.summary().results();
        if (results != null && results.stoppedEarly()) {
            notes.add("Training stopped early" + (results.stopReason() == null ? "." : ": " + results.stopReason()));
        }
        if (notes.isEmpty()) {
            return;
        }
        html.open("ul", "class", "notes");
        for (String note : notes) {
            html.element("li", note);
        }
        html.close("ul");
    }

    private static void keyFigures(Html html, RunResults results, RunStats stats) {
        html.open("div", "class", "cards");
        if (results != null) {
            card(html, "test accuracy", Numbers.percent(results.testAccuracy()));
            card(html, "final loss", Numbers.format(results.finalLoss()));
        }
        if (!Double.isNaN(stats.finalLossExact())) {
            card(html, "final exact loss", Numbers.format(stats.finalLossExact()));
        }
        card(html, "recorded iterations", String.valueOf(stats.rows()));
        card(html, "max ‖g‖₂ (finite)", Numbers.formatOrDash(stats.maxGlobal()));
        card(html, "median ‖g‖₂", Numbers.formatOrDash(stats.medianGlobal()));
        card(html, "clipped iterations", Double.isNaN(stats.clipRate()) ? "—" : Numbers.percent(stats.clipRate()));
        card(html, "NaN/Inf ‖g‖₂ rows", String.valueOf(stats.nonFiniteGlobal()));
        if (results != null) {
            card(html, "training time", Numbers.format(results.trainSeconds()) + " s");
        }
        html.close("div");
    }

    private static void card(Html html, String key, String value) {
        html.open("div", "class", "card").element("div", value, "class", "v").element("div", key, "class", "k")
                .close("div");
    }

    /** A chart's figure: the uPlot container, its tools (log switch, PNG link) and its caption. */
    static void figure(Html html, Chart c, boolean pngLink) {
        html.open("figure", "id", "figure-" + c.id());
        html.open("div", "class", "chart").close("div");
        html.open("noscript").empty("img", "src", c.id() + ".png", "alt", c.title(), "width", "100%").close("noscript");
        html.open("div", "class", "chart-tools");
        if (!c.id().equals("update_ratio")) {
            html.open("label").empty("input", "type", "checkbox", "class", "log-switch").text(" log scale").close("label");
        }
        if (pngLink) {
            html.element("a", c.id() + ".png", "href", c.id() + ".png");
        }
        html.close("div");
        html.element("figcaption", c.caption());
        html.close("figure");
    }

    /** The per-epoch figures, a column each, headers that wrap, so the table fits its card. */
    private static void epochs(Html html, List<EpochAggregates> epochs) {
        if (epochs == null || epochs.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (EpochAggregates e : epochs) {
            rows.add(List.of(String.valueOf(e.epoch()), String.valueOf(e.iterations()), Numbers.format(e.meanLoss()),
                    Numbers.format(e.gradL2GlobalMedian()), Numbers.format(e.gradL2GlobalP99()),
                    Numbers.format(e.gradL2GlobalMax()), Numbers.percent(e.clipFraction()),
                    String.valueOf(e.nonfiniteIterations()), String.valueOf(e.skippedIterations())));
        }
        html.element("h2", "Per epoch");
        html.open("div", "class", "scroll");
        boolean[] numeric = new boolean[9];
        java.util.Arrays.fill(numeric, true);
        html.table("epochs", List.of("epoch", "recorded iterations", "mean loss", "median ‖g‖₂", "p99 ‖g‖₂",
                "max ‖g‖₂", "clipped", "NaN/Inf iterations", "skipped"), rows.stream()
                .map(r -> r.stream().map(Markup::escape).toList()).toList(), numeric);
        html.close("div");
    }
}
