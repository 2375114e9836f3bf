package org.explosionlab.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The reports' inline stylesheet and scripts: uPlot 1.6.32 (MIT; {@code uPlot.iife.min.js},
 * {@code uPlot.min.css}, see {@code uPlot.VERSION.md} beside them) and {@code report.js}, read from
 * the classpath and written into the page, so it loads nothing and works offline.
 */
final class ReportStyle {

    static final String CSS = String.join("\n",
            "body{margin:0;background:#f3f4f6;color:#1f2328;font:14px/1.45 -apple-system,Segoe UI,Roboto,Helvetica Neue,Arial,DejaVu Sans,Liberation Sans,sans-serif}",
            "main{max-width:1000px;margin:0 auto;padding:24px 28px 40px}main.wide{max-width:1320px}",
            "h1{font-size:24px;margin:0 0 4px}",
            "h2{font-size:18px;margin:32px 0 12px;padding-bottom:4px;border-bottom:1px solid #d8dadf}",
            "h3{font-size:15px;margin:16px 0 8px}",
            ".sub{color:#57606a;margin:0}",
            ".muted{color:#6e7781}",
            ".verdict{background:#fff;border-left:10px solid #8c959f;border-radius:6px;padding:16px 20px;margin:20px 0;box-shadow:0 1px 3px rgba(0,0,0,.12)}",
            ".verdict .label{font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:#57606a}",
            ".verdict .kind{font-size:30px;font-weight:700;text-transform:uppercase;letter-spacing:.03em;margin:2px 0 6px}",
            ".verdict .message{font-size:16px;margin:6px 0}",
            ".verdict .advice{font-size:15px;margin:8px 0;padding:8px 12px;background:#f6f8fa;border-radius:4px}",
            ".verdict-healthy{border-left-color:#2e7d32}.verdict-healthy .kind{color:#2e7d32}",
            ".verdict-explosion{border-left-color:#c62828}.verdict-explosion .kind{color:#c62828}",
            ".verdict-nonfinite{border-left-color:#7b1fa2}.verdict-nonfinite .kind{color:#7b1fa2}",
            ".verdict-collapse{border-left-color:#e65100}.verdict-collapse .kind{color:#e65100}",
            ".verdict-vanishing{border-left-color:#1565c0}.verdict-vanishing .kind{color:#1565c0}",
            ".verdict-stalled{border-left-color:#6d4c41}.verdict-stalled .kind{color:#6d4c41}",
            ".verdict-recovered{border-left-color:#9e9d24}.verdict-recovered .kind{color:#827717}",
            ".verdict-contained{border-left-color:#ef6c00}.verdict-contained .kind{color:#ef6c00}",
            ".verdict-dead_units,.verdict-large_updates,.verdict-not_learning{border-left-color:#ad1457}",
            ".verdict-dead_units .kind,.verdict-large_updates .kind,.verdict-not_learning .kind{color:#ad1457}",
            ".verdict-no_data,.verdict-unwatched,.verdict-too_short{border-left-color:#6e7781}",
            ".verdict-no_data .kind,.verdict-unwatched .kind,.verdict-too_short .kind{color:#57606a}",
            ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}",
            ".card{background:#fff;border-radius:6px;padding:10px 14px;min-width:120px;box-shadow:0 1px 2px rgba(0,0,0,.1)}",
            ".card .v{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}",
            ".card .k{font-size:12px;color:#57606a}",
            ".notes{background:#fff8e1;border:1px solid #f0d58c;border-radius:6px;padding:8px 14px 8px 30px;margin:12px 0}",
            "figure{background:#fff;margin:0 0 20px;padding:12px 12px 6px;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.1)}",
            ".chart{min-height:300px}",
            ".chart-tools{font-size:12px;color:#57606a;margin:2px 8px}",
            ".chart-tools a{margin-left:12px}",
            ".panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:14px}",
            ".panels figure{margin:0}",
            "table.events td,table.epochs td{white-space:nowrap}",
            "table.events td:last-child{white-space:normal;overflow-wrap:anywhere}",
            "table.epochs th{white-space:normal;font-size:12px}",
            ".verdict table{margin-top:10px}",
            "figcaption{color:#424a53;font-size:13px;margin:6px 8px 6px}",
            ".nonfinite-note{color:#b00020;font-weight:600}",
            "table{border-collapse:collapse;background:#fff;width:100%;font-size:13px;margin:6px 0 14px}",
            "th,td{border-bottom:1px solid #eaecef;padding:5px 8px;text-align:left;vertical-align:top}",
            "thead th{background:#eef0f3;font-weight:600}",
            "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
            "table.kv th{width:34%;font-weight:normal;background:#fafbfc}",
            "table.kv td{overflow-wrap:anywhere}",
            "table.nested{margin:0;font-size:12px}table.nested th{width:auto}",
            ".scroll{overflow-x:auto}",
            // sweep.html: text cells wrap at spaces and at the <wbr/> after _ and , (run names, init distributions' JSON), and
            // only then anywhere, rather than push the runs and groups tables past the page: they fit 1,400 px unscrolled
            "table.runs td,table.groups td{overflow-wrap:break-word}table.runs th,table.groups th{font-size:12px}",
            "table.runs td span{white-space:nowrap}",
            "code{font-family:DejaVu Sans Mono,Menlo,Consolas,monospace;font-size:12px}",
            ".two{display:grid;grid-template-columns:1fr 1fr;gap:20px}",
            "@media (max-width:800px){.two{grid-template-columns:1fr}}",
            ".kind-healthy{color:#2e7d32;font-weight:600}.kind-explosion{color:#c62828;font-weight:600}",
            ".kind-nonfinite{color:#7b1fa2;font-weight:600}.kind-collapse{color:#e65100;font-weight:600}",
            ".kind-vanishing{color:#1565c0;font-weight:600}.kind-stalled{color:#6d4c41;font-weight:600}",
            ".kind-recovered{color:#827717;font-weight:600}.kind-contained{color:#ef6c00;font-weight:600}",
            ".kind-dead_units,.kind-large_updates,.kind-not_learning{color:#ad1457;font-weight:600}",
            ".kind-warning{color:#b8860b;font-weight:600}",
            ".kind-no_data,.kind-unwatched,.kind-too_short{color:#57606a;font-weight:600}",
            "footer{color:#6e7781;font-size:12px;margin-top:30px}");

    private ReportStyle() {
    }

    /** The start of a report page, up to and including {@code <main>}. */
    static void head(Html html, String title) {
        head(html, title, null);
    }

    /** The start of a report page, up to and including {@code <main class="mainClass">} (null: no class). */
    static void head(Html html, String title, String mainClass) {
        html.raw("<!DOCTYPE html>\n");
        html.open("html", "lang", "en");
        html.open("head");
        html.empty("meta", "charset", "utf-8");
        html.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
        html.element("title", title);
        // Style text is not entity-decoded by HTML parsers, so it must need no escaping at all.
        String css = CSS + "\n" + resource("uPlot.min.css");
        if (css.contains("<") || css.contains("&")) {
            throw new IllegalStateException("the report stylesheet must not contain < or &");
        }
        html.open("style").raw(css).close("style");
        html.close("head");
        html.open("body");
        if (mainClass == null) html.open("main");
        else html.open("main", "class", mainClass);
    }

    /**
     * The end of a report page: the charts' data as JSON (see {@link ChartJson}), uPlot and
     * {@code report.js}, which draws them. The scripts sit in commented CDATA sections, so the page
     * still parses as XML.
     */
    static void tail(Html html, String chartJson) {
        if (chartJson.contains("<") || chartJson.contains("&")) {
            throw new IllegalStateException("chart JSON must escape < and &");
        }
        html.open("script", "type", "application/json", "id", "chart-data").raw(chartJson).close("script");
        for (String script : List.of("uPlot.iife.min.js", "report.js")) {
            String code = resource(script);
            if (code.contains("]]>")) {
                throw new IllegalStateException(script + " contains ]]> and cannot sit in a CDATA section");
            }
            html.open("script").raw("//<![CDATA[\n").raw(code).raw("\n//]]>").close("script");
        }
        html.close("main");
        html.close("body");
        html.close("html");
    }

    /** A text resource of this package, e.g. the inlined uPlot. */
    static String resource(String name) {
        try (InputStream in = ReportStyle.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    /** CSS class for a verdict kind: "verdict-explosion", or "verdict-other". */
    static String kindClass(String prefix, String kind) {
        return switch (kind) {
            case "healthy", "recovered", "contained", "explosion", "nonfinite", "collapse", "dead_units", "large_updates",
                 "vanishing", "stalled", "not_learning", "no_data", "unwatched", "too_short" -> prefix + kind;
            default -> prefix + "other";
        };
    }
}
