package org.explosionlab.report;

import static org.explosionlab.report.Markup.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The comparison of the runs of a sweep: {@code sweep.html} with one table row per run (test
 * accuracy, verdict, first flagged iteration, max/median ‖g‖₂ and clip rate computed from each
 * run's metrics.jsonl) and all runs' global gradient norms overlaid on one log chart — "with vs.
 * without remedy" in one picture — plus {@code sweep_grad_norm.png}. A sweep directory holds one
 * sub-directory per run and optionally the sweep's own {@code sweep.csv}, shown as written.
 */
public final class SweepReport {

    public static final String HTML_FILE = "sweep.html";
    public static final String PNG_FILE = "sweep_grad_norm.png";
    static final String CHART_ID = "sweep_grad_norm";
    /** Rows of sweep.csv shown; the rest are counted. */
    static final int MAX_CSV_ROWS = 200;

    private SweepReport() {
    }

    /**
     * The runs of a sweep directory, in name order.
     *
     * @param dir     the sweep directory
     * @param runs    its run sub-directories
     * @param skipped sub-directories that hold only one of the two run files, with the reason
     * @param csv     the records of sweep.csv (header first), empty when absent
     */
    public record Sweep(Path dir, List<RunData> runs, List<String> skipped, List<List<String>> csv) {
    }

    /** Reads {@code sweepDir}, writes sweep.html and sweep_grad_norm.png into it, returns their paths. */
    public static List<Path> write(Path sweepDir) {
        return render(load(sweepDir)).write();
    }

    /** True when {@code dir} has at least one sub-directory holding both run files. */
    public static boolean isSweepDirectory(Path dir) {
        return !runDirectories(dir).isEmpty();
    }

    /** Reads every run of the sweep; fails if any run's files are damaged or there is no run. */
    public static Sweep load(Path sweepDir) {
        if (!Files.isDirectory(sweepDir)) {
            throw new ReportInputException(sweepDir + " is not a directory — give a sweep directory"
                    + " (one sub-directory per run)");
        }
        List<RunData> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path sub : subDirectories(sweepDir)) {
            boolean metrics = Files.isRegularFile(sub.resolve(MetricsLog.FILE_NAME));
            boolean summary = Files.isRegularFile(sub.resolve(RunSummary.FILE_NAME));
            if (metrics && summary) {
                runs.add(RunData.load(sub));
            } else if (metrics || summary) {
                skipped.add(sub.getFileName() + ": has " + (metrics ? MetricsLog.FILE_NAME : RunSummary.FILE_NAME)
                        + " but no " + (metrics ? RunSummary.FILE_NAME : MetricsLog.FILE_NAME));
            }
        }
        if (runs.isEmpty()) {
            throw new ReportInputException(sweepDir + " has no run sub-directories (each with "
                    + MetricsLog.FILE_NAME + " and " + RunSummary.FILE_NAME + ") — give a sweep directory");
        }
        return new Sweep(sweepDir, runs, skipped, SweepCsv.read(sweepDir));
    }

    static RenderedFiles render(Sweep sweep) {
        Figure figure = figure(sweep.runs());
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(PNG_FILE, PngChart.render(figure.chart()));
        files.put(HTML_FILE, html(sweep, figure).getBytes(StandardCharsets.UTF_8));
        return new RenderedFiles(sweep.dir(), files);
    }

    static Figure figure(List<RunData> runs) {
        List<Line> lines = new ArrayList<>();
        List<EventMarker> markers = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunData run = runs.get(i);
            String color = Palette.series(i);
            boolean dashed = i >= Palette.SERIES.length;
            lines.add(RunCharts.line(run.name(), color, dashed, run.metrics().rows(), MetricsRow::gradGlobal));
            Long first = run.summary().verdict().firstFlaggedIteration();
            if (first != null) {
                markers.add(new EventMarker(first, run.name() + " @ " + first, color));
            }
        }
        ChartModel chart = new ChartModel(CHART_ID, "Global gradient norm ‖g‖₂ of every run (before clipping)",
                RunCharts.X_LABEL, "‖g‖₂ (log scale)", YScale.LOG, false, lines, null, markers,
                markers.isEmpty() ? null : "first flagged iteration (" + markers.size()
                        + (markers.size() == 1 ? " run)" : " runs)"));
        return new Figure(chart, "Global L2 norm of the gradient before clipping, one line per run, on one"
                + " log axis. Dashed verticals in a run's colour mark its first flagged iteration.");
    }

    static String html(Sweep sweep, Figure figure) {
        Html html = new Html();
        Path name = sweep.dir().toAbsolutePath().normalize().getFileName();
        String sweepName = name == null ? sweep.dir().toString() : name.toString();
        ReportStyle.head(html, "Sweep report — " + sweepName);
        html.open("header");
        html.element("h1", "Sweep " + sweepName);
        html.element("p", sweep.runs().size() + (sweep.runs().size() == 1 ? " run" : " runs")
                + ", each rebuilt from its metrics.jsonl and summary.json.", "class", "sub");
        html.close("header");
        if (!sweep.skipped().isEmpty()) {
            html.open("ul", "class", "notes");
            for (String s : sweep.skipped()) {
                html.element("li", "Skipped " + s + ".");
            }
            html.close("ul");
        }

        html.element("h2", "Runs");
        List<List<String>> rows = new ArrayList<>();
        for (RunData run : sweep.runs()) {
            rows.add(row(run));
        }
        html.open("div", "class", "scroll");
        html.table("runs", List.of("run", "clipping", "test accuracy", "verdict", "first flagged iteration",
                        "max ‖g‖₂", "median ‖g‖₂", "NaN/Inf ‖g‖₂ rows", "clip rate", "rows"), rows,
                new boolean[] {false, false, true, false, true, true, true, true, true, true});
        html.close("div");
        html.element("p", "max and median are over the finite global gradient norms before clipping;"
                + " clip rate is the share of recorded iterations with clipped = true.", "class", "muted");

        html.element("h2", "Global gradient norm");
        RunReport.figure(html, figure);

        if (!sweep.csv().isEmpty()) {
            html.element("h2", SweepCsv.FILE_NAME);
            List<String> header = sweep.csv().get(0);
            List<List<String>> csvRows = new ArrayList<>();
            for (List<String> record : sweep.csv().subList(1, Math.min(sweep.csv().size(), MAX_CSV_ROWS + 1))) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < header.size(); i++) {
                    cells.add(escape(i < record.size() ? record.get(i) : ""));
                }
                csvRows.add(cells);
            }
            html.open("div", "class", "scroll");
            html.table("csv", header, csvRows, null);
            html.close("div");
            if (sweep.csv().size() - 1 > MAX_CSV_ROWS) {
                html.element("p", "… and " + (sweep.csv().size() - 1 - MAX_CSV_ROWS) + " more rows.", "class", "muted");
            }
        }
        html.open("footer");
        html.text("Rebuilt by explosion-lab report. PNG copy of the chart: ");
        html.element("a", PNG_FILE, "href", PNG_FILE);
        html.text(".");
        html.close("footer");
        ReportStyle.tail(html);
        return html.toString();
    }

    private static List<String> row(RunData run) {
        RunStats stats = RunStats.of(run.metrics());
        Verdict verdict = run.summary().verdict();
        JsonNode accuracy = run.summary().results().get("test_accuracy");
        Long first = verdict.firstFlaggedIteration();
        String link = "<a href=\"" + escape(run.name() + "/" + RunReport.HTML_FILE) + "\">" + escape(run.name()) + "</a>";
        return List.of(
                link,
                escape(clipping(run.summary().spec())),
                escape(accuracy == null || accuracy.isNull() ? "—" : Html.jsonValue(accuracy)),
                "<span class=\"" + ReportStyle.kindClass("kind-", verdict.kind()) + "\">" + escape(verdict.kind()) + "</span>",
                escape(first == null ? "—" : first.toString()),
                escape(Numbers.formatOrDash(stats.maxGlobal())),
                escape(Numbers.formatOrDash(stats.medianGlobal())),
                escape(String.valueOf(stats.nonFiniteGlobal())),
                escape(Double.isNaN(stats.clipRate()) ? "—" : Numbers.percent(stats.clipRate())),
                escape(String.valueOf(stats.rows())));
    }

    /** The spec's remedy in a few words: "global_l2 ≤ 1", "none", or DL4J's gradient normalization. */
    static String clipping(JsonNode spec) {
        String clipping = JsonValues.text(spec, "clipping");
        String threshold = JsonValues.text(spec, "clipThreshold");
        String normalization = JsonValues.text(spec, "gradientNormalization");
        String normThreshold = JsonValues.text(spec, "gradientNormalizationThreshold");
        List<String> parts = new ArrayList<>();
        if (clipping != null && !clipping.equalsIgnoreCase("none")) {
            parts.add(clipping + (threshold == null ? "" : " ≤ " + threshold));
        }
        if (normalization != null && !normalization.equalsIgnoreCase("none")) {
            parts.add(normalization + (normThreshold == null ? "" : " " + normThreshold));
        }
        if (parts.isEmpty()) {
            return clipping == null && normalization == null ? "—" : "none";
        }
        return String.join(", ", parts);
    }

    static List<Path> runDirectories(Path sweepDir) {
        return subDirectories(sweepDir).stream().filter(RunData::isRunDirectory).toList();
    }

    private static List<Path> subDirectories(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
