package org.explosionlab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.explosionlab.run.SafePaths;

/** Formats {@link ComparisonRow}s as an aligned console table, a Markdown table and CSV. */
public final class ComparisonTable {
    private static final List<String> HEADER = List.of("run", "test acc", "verdict", "first event", "max |g|",
            "median |g|", "clip rate", "seconds", "status");
    private final List<ComparisonRow> rows;

    public ComparisonTable(List<ComparisonRow> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<ComparisonRow> rows() {
        return rows;
    }

    private static List<String> cells(ComparisonRow r) {
        if (!ComparisonRow.DONE.equals(r.status())) return List.of(r.run(), "-", "-", "-", "-", "-", "-", "-", r.status());
        return List.of(r.run(), fixed(r.testAccuracy(), 4), r.verdict(),
                r.firstEventIteration() == null ? "-" : r.firstEventIteration().toString(), sci(r.maxGradNorm()),
                sci(r.medianGradNorm()), fixed(r.clipRate(), 3),
                fixed(r.seconds(), 1), r.status());
    }

    /** {@code v} with {@code digits} decimals; "-" for a run without numbers (NaN). */
    static String fixed(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : String.valueOf(v);
    }

    /** Fixed-width columns for a terminal. */
    public String console() {
        return align(HEADER, rows.stream().map(ComparisonTable::cells).toList());
    }

    /** A Markdown table; a '|' inside a cell (as in {@code max |g|}) is escaped so it does not split the cell. */
    public String markdown() {
        return markdown(HEADER, rows.stream().map(ComparisonTable::cells).toList());
    }

    /** {@code header} and {@code rows} in fixed-width columns, the first left-aligned, the others right-aligned. */
    static String align(List<String> header, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        int[] w = new int[header.size()];
        for (List<String> row : all) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (List<String> row : all) {
            for (int i = 0; i < w.length; i++) {
                String c = row.get(i);
                sb.append(i == 0 ? String.format("%-" + w[i] + "s", c) : String.format("  %" + w[i] + "s", c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code header} and {@code rows} as a Markdown table, '|' in cells escaped. */
    static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", escape(header)) + " |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append('\n');
        rows.forEach(r -> sb.append("| ").append(String.join(" | ", escape(r))).append(" |\n"));
        return sb.toString();
    }

    private static List<String> escape(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).toList();
    }

    /** A text cell: never a spreadsheet formula, RFC 4180-quoted when needed ({@link SafePaths#csvCell}). */
    static String csvField(String s) {
        return SafePaths.csvCell(s);
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("run,test_accuracy,verdict,first_event_iteration,max_grad_l2_global,median_grad_l2_global,clip_rate,train_seconds,status\n");
        for (ComparisonRow r : rows) {
            sb.append(String.join(",", csvField(r.run()), Double.toString(r.testAccuracy()), r.verdict(),
                    r.firstEventIteration() == null ? "" : r.firstEventIteration().toString(), Double.toString(r.maxGradNorm()),
                    Double.toString(r.medianGradNorm()), Double.toString(r.clipRate()), Double.toString(r.seconds()), csvField(r.status()))).append('\n');
        }
        return sb.toString();
    }
}
