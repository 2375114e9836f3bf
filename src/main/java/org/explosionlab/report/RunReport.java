package org.explosionlab.report;

import static org.explosionlab.report.Markup.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report of one run: {@code report.html} — verdict, key results, charts as inline SVG, the
 * per-epoch table, spec and provenance — plus PNG copies of the charts ({@code loss.png},
 * {@code grad_norm.png}, {@code layer_grad_norm.png}, {@code update_ratio.png}, {@code lr.png}),
 * all rebuilt from metrics.jsonl and summary.json. The page is self-contained: it loads nothing.
 */
public final class RunReport {

    public static final String HTML_FILE = "report.html";
    /** Events listed in the verdict table; the rest are counted. */
    static final int MAX_EVENT_ROWS = 20;

    private RunReport() {
    }

    /** Reads {@code runDir}, writes report.html and the PNGs into it, and returns their paths. */
    public static List<Path> write(Path runDir) {
        return render(RunData.load(runDir)).write();
    }

    /** Renders the report of {@code run} in memory. */
    static RenderedFiles render(RunData run) {
        List<Figure> figures = RunCharts.figures(run);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Figure f : figures) {
            files.put(f.chart().id() + ".png", PngChart.render(f.chart()));
        }
        files.put(HTML_FILE, html(run, figures).getBytes(StandardCharsets.UTF_8));
        return new RenderedFiles(run.dir(), files);
    }

    /** The PNG file names a run report writes, in page order. */
    public static List<String> pngFiles() {
        return List.of("loss.png", "grad_norm.png", "layer_grad_norm.png", "update_ratio.png", "lr.png");
    }

    static String html(RunData run, List<Figure> figures) {
        RunSummary summary = run.summary();
        Verdict verdict = summary.verdict();
        RunStats stats = RunStats.of(run.metrics());
        Html html = new Html();
        ReportStyle.head(html, "Run report — " + run.name());

        html.open("header");
        html.element("h1", run.name());
        String specName = summary.specName();
        String description = JsonValues.text(summary.spec(), "description");
        StringBuilder sub = new StringBuilder();
        if (specName != null) {
            sub.append("spec ").append(specName);
        }
        if (description != null && !description.isBlank()) {
            sub.append(sub.length() > 0 ? " — " : "").append(description);
        }
        if (sub.length() > 0) {
            html.element("p", sub.toString(), "class", "sub");
        }
        html.close("header");

        verdictSection(html, verdict);
        notes(html, run, stats);
        keyFigures(html, summary.results(), stats);

        html.element("h2", "Charts");
        for (Figure f : figures) {
            figure(html, f);
        }

        html.element("h2", "Results");
        html.jsonTable(summary.results(), "kv");
        epochs(html, summary.epochs());

        html.open("div", "class", "two");
        html.open("section");
        html.element("h2", "Spec");
        html.jsonTable(summary.spec(), "kv");
        html.close("section");
        html.open("section");
        html.element("h2", "Provenance");
        html.jsonTable(summary.provenance(), "kv");
        html.close("section");
        html.close("div");

        html.open("footer");
        html.text("Rebuilt by explosion-lab report from metrics.jsonl (" + stats.rows() + " rows) and "
                + "summary.json. PNG copies of the charts: ");
        boolean first = true;
        for (Figure f : figures) {
            if (!first) {
                html.text(", ");
            }
            html.element("a", f.chart().id() + ".png", "href", f.chart().id() + ".png");
            first = false;
        }
        html.text(".");
        html.close("footer");
        ReportStyle.tail(html);
        return html.toString();
    }

    private static void verdictSection(Html html, Verdict verdict) {
        html.open("section", "id", "verdict", "class", "verdict " + ReportStyle.kindClass("verdict-", verdict.kind()));
        html.element("div", "Verdict", "class", "label");
        html.element("div", verdict.kind(), "class", "kind");
        if (verdict.message() != null) {
            html.element("p", verdict.message(), "class", "message");
        } else if (verdict.events().isEmpty() && !Verdict.NOT_RECORDED.equals(verdict.kind())) {
            html.element("p", "The detector flagged no iteration.", "class", "message");
        }
        if (verdict.advice() != null) {
            html.open("p", "class", "advice").element("strong", "What to do: ").text(verdict.advice()).close("p");
        }
        Long firstIteration = verdict.firstFlaggedIteration();
        if (firstIteration != null) {
            html.open("p", "class", "first").text("First flagged iteration: ")
                    .element("strong", String.valueOf(firstIteration), "class", "first-iteration")
                    .text(" · " + verdict.events().size() + (verdict.events().size() == 1 ? " event" : " events"))
                    .close("p");
        }
        if (!verdict.events().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (VerdictEvent e : verdict.events().subList(0, Math.min(MAX_EVENT_ROWS, verdict.events().size()))) {
                rows.add(List.of(
                        escape(String.valueOf(e.iteration())),
                        escape(e.epoch() == null ? "—" : e.epoch().toString()),
                        escape(e.kind() == null ? "—" : e.kind()),
                        escape(e.layerFirst() == null ? "—" : e.layerFirst().toString()),
                        escape(e.layerMost() == null ? "—" : e.layerMost().toString()),
                        escape(e.recoveredAt() == null ? "—" : e.recoveredAt().toString()),
                        "<code>" + escape(e.trigger()) + "</code>",
                        escape(e.message())));
            }
            html.open("div", "class", "scroll");
            html.table("events", List.of("iteration", "epoch", "kind", "first layer", "most layer", "recovered at",
                    "trigger", "message"), rows, new boolean[] {true, true, false, true, true, true, false, false});
            html.close("div");
            if (verdict.events().size() > MAX_EVENT_ROWS) {
                html.element("p", "… and " + (verdict.events().size() - MAX_EVENT_ROWS) + " more events.",
                        "class", "muted");
            }
        }
        html.close("section");
    }

    private static void notes(Html html, RunData run, RunStats stats) {
        List<String> notes = new ArrayList<>(run.metrics().notes());
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
        String stopReason = JsonValues.text(run.summary().results(), "stop_reason");
        if (run.summary().results().path("stopped_early").asBoolean(false)) {
            notes.add("Training stopped early" + (stopReason == null ? "." : ": " + stopReason));
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

    private static void keyFigures(Html html, JsonNode results, RunStats stats) {
        html.open("div", "class", "cards");
        JsonNode accuracy = results.get("test_accuracy");
        if (accuracy != null && accuracy.isNumber()) {
            card(html, "test accuracy", Numbers.percent(accuracy.doubleValue()));
        }
        JsonNode finalLoss = results.get("final_loss");
        if (finalLoss != null && !finalLoss.isNull()) {
            card(html, "final loss", Html.jsonValue(finalLoss));
        }
        if (!Double.isNaN(stats.finalLossExact())) {
            card(html, "final exact loss", Numbers.formatOrDash(stats.finalLossExact()));
        }
        if (!Double.isNaN(stats.maxSaturated())) {
            card(html, "iterations at DL4J's loss clip", String.valueOf(stats.saturatedRows()));
        }
        card(html, "recorded iterations", String.valueOf(stats.rows()));
        card(html, "max ‖g‖₂ (finite)", Numbers.formatOrDash(stats.maxGlobal()));
        card(html, "median ‖g‖₂", Numbers.formatOrDash(stats.medianGlobal()));
        if (!Double.isNaN(stats.clipRate())) {
            card(html, "clipped iterations", Numbers.percent(stats.clipRate()));
        }
        card(html, "NaN/Inf ‖g‖₂ rows", String.valueOf(stats.nonFiniteGlobal()));
        JsonNode seconds = results.get("train_seconds");
        if (seconds != null && seconds.isNumber()) {
            card(html, "training time", Numbers.format(seconds.doubleValue()) + " s");
        }
        html.close("div");
    }

    private static void card(Html html, String key, String value) {
        html.open("div", "class", "card").element("div", value, "class", "v").element("div", key, "class", "k")
                .close("div");
    }

    static void figure(Html html, Figure f) {
        html.open("figure", "id", "figure-" + f.chart().id());
        html.raw(SvgChart.render(f.chart())).raw("\n");
        html.open("figcaption").text(f.caption());
        int nonFinite = f.chart().nonFiniteCount();
        int nonPositive = f.chart().nonPositiveCount();
        if (nonFinite > 0) {
            html.text(" ").element("span", nonFinite + (nonFinite == 1 ? " NaN/Inf value is" : " NaN/Inf values are")
                    + " pinned at the top edge, in the NaN/Inf strip, and ignored for the axis range.",
                    "class", "nonfinite-note", "data-count", String.valueOf(nonFinite));
        }
        if (nonPositive > 0) {
            html.text(" ").element("span", nonPositive + (nonPositive == 1 ? " value ≤ 0 is" : " values ≤ 0 are")
                    + " pinned at the bottom edge, in the ≤ 0 strip: a log axis cannot place them.",
                    "class", "nonpositive-note", "data-count", String.valueOf(nonPositive));
        }
        html.close("figcaption");
        html.close("figure");
    }

    private static void epochs(Html html, JsonNode epochs) {
        if (epochs == null || !epochs.isArray() || epochs.isEmpty()) {
            return;
        }
        Set<String> columns = new LinkedHashSet<>();
        epochs.forEach(e -> e.fieldNames().forEachRemaining(columns::add));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : epochs) {
            List<String> row = new ArrayList<>();
            for (String c : columns) {
                row.add(escape(Html.jsonValue(e.get(c))));
            }
            rows.add(row);
        }
        boolean[] numeric = new boolean[columns.size()];
        Iterator<String> it = columns.iterator();
        for (int i = 0; it.hasNext(); i++) {
            String c = it.next();
            JsonNode sample = epochs.get(0).get(c);
            numeric[i] = sample != null && sample.isNumber();
        }
        html.element("h3", "Per epoch");
        html.open("div", "class", "scroll");
        html.table("epochs", new ArrayList<>(columns), rows, numeric);
        html.close("div");
    }
}
