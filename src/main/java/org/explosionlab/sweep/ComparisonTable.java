package org.explosionlab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats {@link ComparisonRow}s as an aligned console table, a Markdown table and CSV. */
public final class ComparisonTable {
    private static final List<String> HEADER = List.of("run", "test acc", "verdict", "first event", "max |g|",
            "median |g|", "clip rate", "seconds");
    private final List<ComparisonRow> rows;

    public ComparisonTable(List<ComparisonRow> rows) {
        this.rows = List.copyOf(rows);
    }

    public List<ComparisonRow> rows() {
        return rows;
    }

    private static List<String> cells(ComparisonRow r) {
        return List.of(r.run(), String.format(Locale.ROOT, "%.4f", r.testAccuracy()), r.verdict(),
                r.firstEventIteration() == null ? "-" : r.firstEventIteration().toString(), sci(r.maxGradNorm()),
                sci(r.medianGradNorm()), String.format(Locale.ROOT, "%.3f", r.clipRate()),
                String.format(Locale.ROOT, "%.1f", r.seconds()));
    }

    private static String sci(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : String.valueOf(v);
    }

    /** Fixed-width columns for a terminal. */
    public String console() {
        List<List<String>> all = new ArrayList<>();
        all.add(HEADER);
        rows.forEach(r -> all.add(cells(r)));
        int[] w = new int[HEADER.size()];
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

    /** A Markdown table; a '|' inside a cell (as in {@code max |g|}) is escaped so it does not split the cell. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", escape(HEADER)) + " |\n|");
        HEADER.forEach(h -> sb.append("---|"));
        sb.append('\n');
        rows.forEach(r -> sb.append("| ").append(String.join(" | ", escape(cells(r)))).append(" |\n"));
        return sb.toString();
    }

    private static List<String> escape(List<String> cells) {
        return cells.stream().map(c -> c.replace("|", "\\|")).toList();
    }

    public String csv() {
        StringBuilder sb = new StringBuilder("run,test_accuracy,verdict,first_event_iteration,max_grad_l2_global,median_grad_l2_global,clip_rate,train_seconds\n");
        for (ComparisonRow r : rows) {
            sb.append(String.join(",", r.run(), Double.toString(r.testAccuracy()), r.verdict(),
                    r.firstEventIteration() == null ? "" : r.firstEventIteration().toString(), Double.toString(r.maxGradNorm()),
                    Double.toString(r.medianGradNorm()), Double.toString(r.clipRate()), Double.toString(r.seconds()))).append('\n');
        }
        return sb.toString();
    }
}
