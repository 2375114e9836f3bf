package org.explosionlab.report;

import static org.explosionlab.report.Markup.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.Clipping;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.run.SafePaths;
import org.explosionlab.training.RunResults;

/**
 * The comparison of the runs of a sweep: {@code sweep.html}, one table row per run in the order of
 * the plan, with the spec fields the sweep varied as columns, and the runs' global gradient norms
 * (before clipping) overlaid on log charts. Up to four runs share one chart; more become small
 * multiples on one y range: one panel per value of the slower axes, overlaying the fastest-changing
 * axis (the grid's last), at most four lines a panel. Each panel also gets a PNG copy,
 * {@code sweep_grad_norm.png} (one panel) or {@code sweep_grad_norm_1.png}, … (JFreeChart).
 */
public final class SweepReport {

    public static final String HTML_FILE = "sweep.html";
    public static final String PNG_FILE = "sweep_grad_norm.png";
    /** Most runs overlaid on one chart. */
    static final int MAX_OVERLAID = 4;
    /** The file the sweep writes its table to, in plan order (see {@code Sweep.CSV}). */
    static final String COMPARISON_CSV = "comparison.csv";
    /** Spec fields every run has its own value of, never an axis. */
    private static final List<String> NOT_AXES = List.of("name", "description");

    private SweepReport() {
    }

    /**
     * The runs of a sweep directory, in plan order.
     *
     * @param dir     the sweep directory
     * @param runs    its run sub-directories
     * @param skipped sub-directories that hold only one of the two run files, with the reason
     */
    record Sweep(Path dir, List<RunData> runs, List<String> skipped) {
    }

    /** True when {@code dir} has at least one sub-directory holding both run files. */
    static boolean isSweepDirectory(Path dir) {
        return subDirectories(dir).stream().anyMatch(RunJson::isRunDirectory);
    }

    /**
     * Reads every run of the sweep; fails if any run's files are damaged or there is no run.
     *
     * @param order run directory names in plan order (from the sweep itself), or null: then the order of
     *              comparison.csv when its run names are the directories' names, else the runs' start times
     */
    static Sweep load(Path sweepDir, List<String> order) {
        if (!Files.isDirectory(sweepDir)) {
            throw new ReportInputException(sweepDir + " is not a directory — give a sweep directory"
                    + " (one sub-directory per run)");
        }
        List<RunData> runs = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path sub : subDirectories(sweepDir)) {
            boolean metrics = Files.isRegularFile(sub.resolve(RunJson.METRICS_FILE));
            boolean summary = Files.isRegularFile(sub.resolve(RunJson.SUMMARY_FILE));
            if (metrics || summary) {
                SafePaths.requireInside(sweepDir, sub);    // its report.html would be written through the link
            }
            if (metrics && summary) {
                runs.add(RunData.load(sub));
            } else if (metrics || summary) {
                skipped.add(sub.getFileName() + ": has " + (metrics ? RunJson.METRICS_FILE : RunJson.SUMMARY_FILE)
                        + " but no " + (metrics ? RunJson.SUMMARY_FILE : RunJson.METRICS_FILE));
            }
        }
        if (runs.isEmpty()) {
            throw new ReportInputException(sweepDir + " has no run sub-directories (each with "
                    + RunJson.METRICS_FILE + " and " + RunJson.SUMMARY_FILE + ") — give a sweep directory");
        }
        List<String> planOrder = order != null ? order : csvOrder(sweepDir);
        Comparator<RunData> byStart = Comparator.comparing(r -> r.summary().provenance() == null
                || r.summary().provenance().started() == null ? "" : r.summary().provenance().started());
        Comparator<RunData> byPlan = Comparator.comparingInt(r -> {
            int i = planOrder.indexOf(r.name());
            return i < 0 ? Integer.MAX_VALUE : i;
        });
        runs.sort(byPlan.thenComparing(byStart).thenComparing(RunData::name));
        return new Sweep(sweepDir, runs, skipped);
    }

    /** The run column of comparison.csv, in file order (the plan's), or empty. */
    private static List<String> csvOrder(Path sweepDir) {
        Path csv = sweepDir.resolve(COMPARISON_CSV);
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try (org.explosionlab.run.BoundedLines in = org.explosionlab.run.BoundedLines.open(csv, "run report again")) {
            List<String> runs = new java.util.ArrayList<>();
            in.next();                                                  // the header
            for (String l; (l = in.next()) != null; ) runs.add(l.split(",", 2)[0]);
            return runs;
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** A sweep's repeats over seeds, summarised per group (header and rows, already formatted), shown above the runs. */
    public record GroupTable(List<String> header, List<List<String>> rows) {
    }

    static RenderedFiles render(Sweep sweep) {
        return render(sweep, null);
    }

    static RenderedFiles render(Sweep sweep, GroupTable groups) {
        List<String> axes = variedFields(sweep.runs());
        List<Chart> panels = panels(sweep.runs(), axes);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Chart c : panels) {
            files.put(c.id() + ".png", PngChart.render(c));
        }
        files.put(HTML_FILE, html(sweep, axes, panels, groups).getBytes(StandardCharsets.UTF_8));
        return new RenderedFiles(sweep.dir(), files);
    }

    /** The top-level spec fields whose values differ between runs, fastest-changing (in plan order) last. */
    static List<String> variedFields(List<RunData> runs) {
        List<JsonNode> specs = runs.stream().map(r -> (JsonNode) RunJson.MAPPER.valueToTree(r.summary().spec())).toList();
        List<String> varied = new ArrayList<>();
        Map<String, Integer> changes = new LinkedHashMap<>();
        specs.get(0).fieldNames().forEachRemaining(field -> {
            if (NOT_AXES.contains(field)) {
                return;
            }
            int n = 0;
            boolean differs = false;
            for (int i = 1; i < specs.size(); i++) {
                JsonNode previous = specs.get(i - 1).get(field);
                JsonNode current = specs.get(i).get(field);
                if (previous == null ? current != null : !previous.equals(current)) {
                    n++;
                }
                differs |= !String.valueOf(specs.get(0).get(field)).equals(String.valueOf(current));
            }
            if (differs) {
                varied.add(field);
                changes.put(field, n);
            }
        });
        varied.sort(Comparator.comparingInt(changes::get));
        return varied;
    }

    /** The panels: all runs on one chart up to {@link #MAX_OVERLAID}, else small multiples on one y range. */
    static List<Chart> panels(List<RunData> runs, List<String> axes) {
        String fast = axes.isEmpty() ? null : axes.get(axes.size() - 1);
        List<String> slow = axes.isEmpty() ? List.of() : axes.subList(0, axes.size() - 1);
        Map<String, List<RunData>> groups = new LinkedHashMap<>();
        if (runs.size() <= MAX_OVERLAID) {
            groups.put("", runs);
        } else {
            for (RunData run : runs) {
                String key = slow.isEmpty() ? (axes.isEmpty() ? run.name() : assignments(run, axes))
                        : assignments(run, slow);
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
            }
        }
        // One colour per line of a panel: per run when all runs share one chart (runs differing only in a slow
        // axis must not share a colour there), per value of the fastest axis across small multiples.
        boolean overlaid = runs.size() <= MAX_OVERLAID || fast == null;
        List<String> colourKeys = new ArrayList<>();
        for (RunData run : runs) {
            String key = overlaid ? run.name() : value(run, fast);
            if (!colourKeys.contains(key)) {
                colourKeys.add(key);
            }
        }
        double[] yRange = yRange(runs);
        List<Chart> panels = new ArrayList<>();
        int number = 0;
        int count = groups.values().stream().mapToInt(g -> (g.size() + MAX_OVERLAID - 1) / MAX_OVERLAID).sum();
        for (Map.Entry<String, List<RunData>> group : groups.entrySet()) {
            List<RunData> members = group.getValue();
            for (int from = 0; from < members.size(); from += MAX_OVERLAID) {
                number++;
                List<Chart.Series> lines = new ArrayList<>();
                List<Chart.Event> events = new ArrayList<>();
                for (RunData run : members.subList(from, Math.min(members.size(), from + MAX_OVERLAID))) {
                    String v = fast == null ? run.name() : value(run, fast);
                    String color = Palette.series(colourKeys.indexOf(overlaid ? run.name() : v));
                    Chart.Series before = run.chart("grad_norm").series().stream()
                            .filter(s -> s.label().equals("before clipping")).findFirst().orElseThrow();
                    String label = overlaid ? run.name() : fast + " = " + v;
                    lines.add(new Chart.Series(label, color, false, 1.5, before.x(), before.y(), before.nonFinite(),
                            before.firstNonFiniteX()));
                    Verdict verdict = run.summary().verdict();
                    if (verdict != null && verdict.firstIteration() != null) {
                        events.add(new Chart.Event(verdict.firstIteration(), label + ": " + verdict.kind() + " @ "
                                + verdict.firstIteration(), color));
                    }
                }
                String title = group.getKey().isEmpty() ? "Global gradient norm ‖g‖₂ before clipping" : group.getKey();
                String id = count == 1 ? "sweep_grad_norm" : "sweep_grad_norm_" + number;
                panels.add(new Chart(id, title, "‖g‖₂", true, yRange[0], yRange[1], lines, null, null, events,
                        "Global L2 norm of the gradient before clipping, one line per run; a dashed vertical in a"
                                + " run's colour marks the iteration that decided its verdict."));
            }
        }
        return panels;
    }

    /** One log y range over every run (finite positive values), so small multiples compare at a glance. */
    private static double[] yRange(List<RunData> runs) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (RunData run : runs) {
            for (Chart.Series s : run.chart("grad_norm").series()) {
                for (Double v : s.y()) {
                    if (v != null && v > 0) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (lo > hi) {
            return new double[] {1e-3, 1};
        }
        return new double[] {Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi)))};
    }

    private static String assignments(RunData run, List<String> fields) {
        List<String> parts = new ArrayList<>();
        for (String f : fields) {
            parts.add(f + " = " + value(run, f));
        }
        return String.join(", ", parts);
    }

    /** The spec field {@code field} of {@code run} as text. */
    static String value(RunData run, String field) {
        JsonNode node = ((JsonNode) RunJson.MAPPER.valueToTree(run.summary().spec())).get(field);
        return node == null || node.isNull() ? "—" : node.isValueNode() ? node.asText() : node.toString();
    }

    static String html(Sweep sweep, List<String> axes, List<Chart> panels) {
        return html(sweep, axes, panels, null);
    }

    static String html(Sweep sweep, List<String> axes, List<Chart> panels, GroupTable groups) {
        Html html = new Html();
        Path name = sweep.dir().toAbsolutePath().normalize().getFileName();
        String sweepName = name == null ? sweep.dir().toString() : name.toString();
        ReportStyle.head(html, "Sweep report — " + sweepName, "wide");   // room for a column per varied field
        html.open("header");
        html.element("h1", "Sweep " + sweepName);
        html.element("p", sweep.runs().size() + (sweep.runs().size() == 1 ? " run" : " runs") + " in plan order"
                + (axes.isEmpty() ? "" : ", varying " + String.join(", ", axes))
                + "; each rebuilt from its metrics.jsonl and summary.json.", "class", "sub");
        html.close("header");
        if (!sweep.skipped().isEmpty()) {
            html.open("ul", "class", "notes");
            for (String s : sweep.skipped()) {
                html.element("li", "Skipped " + s + ".");
            }
            html.close("ul");
        }
        if (groups != null && !groups.rows().isEmpty()) {
            html.element("h2", "Groups (repeats over seeds)");
            boolean[] numericGroup = new boolean[groups.header().size()];
            List<List<String>> escaped = groups.rows().stream().map(r -> r.stream().map(Markup::escape).toList()).toList();
            html.open("div", "class", "scroll");
            html.table("groups", groups.header(), escaped, numericGroup);
            html.close("div");
            html.element("p", "Per group: the runs that differ only in their seed; mean and min–max test accuracy,"
                    + " the explosion rate (runs with an explosion or non-finite event) and the median iteration of the first one.",
                    "class", "muted");
        }
        html.element("h2", "Runs");
        List<String> headers = new ArrayList<>(List.of("run"));
        headers.addAll(axes);
        headers.addAll(List.of("remedy", "test acc", "verdict", "first event", "max ‖g‖₂",
                "median ‖g‖₂", "NaN ‖g‖₂ rows", "clip rate", "rows"));
        boolean[] numeric = new boolean[headers.size()];
        for (int i = axes.size() + 2; i < numeric.length; i++) {        // test acc onwards, all but the verdict
            numeric[i] = i != axes.size() + 3;
        }
        List<List<String>> rows = new ArrayList<>();
        for (RunData run : sweep.runs()) {
            rows.add(row(sweep.dir(), run, axes));
        }
        html.open("div", "class", "scroll");
        html.table("runs", headers, rows, numeric);
        html.close("div");
        html.element("p", "first event: the first flagged iteration; max and median are over the finite global gradient norms"
                + " before clipping; NaN ‖g‖₂ rows: the recorded iterations whose norm was NaN or infinite; clip rate is the share"
                + " of recorded iterations with clipped = true; rows: the recorded iterations.", "class", "muted");
        html.element("h2", "Global gradient norm");
        html.open("div", "class", panels.size() > 1 ? "panels" : "single");
        for (Chart c : panels) {
            RunReport.figure(html, c, true);
        }
        html.close("div");
        html.open("footer");
        html.text("Rebuilt by explosion-lab report. Charts drawn with uPlot 1.6.32 (MIT), inlined; PNG copies drawn"
                + " with JFreeChart.");
        html.close("footer");
        ReportStyle.tail(html, ChartJson.of(panels));
        return html.toString();
    }

    private static List<String> row(Path sweepDir, RunData run, List<String> axes) {
        RunStats stats = run.stats();
        Verdict verdict = run.summary().verdict();
        RunResults results = run.summary().results();
        String kind = run.verdictLabel();
        Long first = verdict == null ? null : verdict.firstIteration();
        String href = runLink(sweepDir, run.dir());
        List<String> cells = new ArrayList<>();
        cells.add(href == null ? breakable(run.name())
                : "<a href=\"" + escape(href) + "\">" + breakable(run.name()) + "</a>");
        for (String axis : axes) {
            cells.add(breakable(value(run, axis)));
        }
        cells.add(escape(clipping(run.summary().spec())));
        cells.add(escape(results == null ? "—" : Numbers.percent(results.testAccuracy())));
        cells.add("<span class=\"" + ReportStyle.kindClass("kind-", kind) + "\">" + escape(kind) + "</span>");
        cells.add(escape(first == null ? "—" : first.toString()));
        cells.add(escape(Numbers.formatOrDash(stats.maxGlobal())));
        cells.add(escape(Numbers.formatOrDash(stats.medianGlobal())));
        cells.add(escape(String.valueOf(stats.nonFiniteGlobal())));
        cells.add(escape(Double.isNaN(stats.clipRate()) ? "—" : Numbers.percent(stats.clipRate())));
        cells.add(escape(String.valueOf(stats.rows())));
        return cells;
    }

    /**
     * A cell's text, escaped, that may break after {@code _} and {@code ,} ({@code <wbr/>}): run names such as
     * {@code seed-baseline_seed-42}, {@code XAVIER_UNIFORM} and an init distribution's JSON then wrap at those points
     * rather than mid-word, so the runs table fits the page.
     */
    static String breakable(String text) {
        return escape(text).replace("_", "_<wbr/>").replace(",", ",<wbr/>");
    }

    /**
     * The link from sweep.html to a run's report: a relative path {@code ./<name>/report.html} with the
     * directory name percent-encoded (RFC 3986: every byte outside {@code A-Z a-z 0-9 - . _ ~}), so no
     * directory name can become a scheme ({@code javascript:}), a query or a path out of the sweep; null
     * (no link) when the run directory is not a direct sub-directory of the sweep directory after
     * resolving symbolic links.
     */
    static String runLink(Path sweepDir, Path runDir) {
        try {
            Path sweepReal = sweepDir.toRealPath();
            Path runReal = runDir.toRealPath();
            if (!sweepReal.equals(runReal.getParent())) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        String name = runDir.getFileName().toString();
        StringBuilder encoded = new StringBuilder("./");
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.append('/').append(RunReport.HTML_FILE).toString();
    }

    /** The spec's remedy in a few words: "global_l2 ≤ 1", "none", or DL4J's gradient normalization. */
    static String clipping(ExperimentSpec spec) {
        List<String> parts = new ArrayList<>();
        if (spec.clip().clipping() != null && spec.clip().clipping() != Clipping.NONE) {
            parts.add(spec.clip().clipping().json()
                    + (spec.clip().clipping() == Clipping.GLOBAL_L2 ? " ≤ " + Numbers.format(spec.clip().clipThreshold()) : ""));
        }
        if (spec.regularization().gradientNormalization() != null && !spec.regularization().gradientNormalization().name().equalsIgnoreCase("none")) {
            parts.add(spec.regularization().gradientNormalization().name() + " " + Numbers.format(spec.regularization().gradientNormalizationThreshold()));
        }
        if (spec.skip().skipNonFinite()) {
            parts.add("skip non-finite");
        }
        if (spec.skip().spikeSkip()) {
            parts.add("spike skipping");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
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
