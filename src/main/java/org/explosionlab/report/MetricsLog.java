package org.explosionlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a run's metrics.jsonl. The training listener appends and flushes one line per
 * recorded iteration, so a killed run may leave its last line cut off: that line is skipped and
 * a note says so. A broken line anywhere else means the file is damaged and is an error.
 *
 * @param rows  the complete rows, in file order
 * @param notes what a reader should know about the file (e.g. a skipped last line)
 */
public record MetricsLog(List<MetricsRow> rows, List<String> notes) {

    public static final String FILE_NAME = "metrics.jsonl";

    public MetricsLog {
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    /** Reads {@code runDir/metrics.jsonl}. */
    public static MetricsLog read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ReportInputException("no " + FILE_NAME + " in " + runDir
                    + " — give a run directory written by the train command");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(lines, file.toString());
    }

    /** Parses the lines of a metrics.jsonl file; {@code source} names it in messages. */
    static MetricsLog parse(List<String> lines, String source) {
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<MetricsRow> rows = new ArrayList<>(Math.max(0, last + 1));
        List<String> notes = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = JsonValues.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                if (i == last) {
                    notes.add(FILE_NAME + ": the last line (line " + (i + 1) + ") is incomplete — the run"
                            + " was probably stopped while writing it — and was skipped.");
                    break;
                }
                throw new ReportInputException(source + " line " + (i + 1) + " is not valid JSON ("
                        + e.getOriginalMessage() + "); only the last line of a killed run may be"
                        + " incomplete, so the file is damaged — re-run the training");
            }
            if (node == null || !node.isObject()) {
                if (i == last) {
                    notes.add(FILE_NAME + ": the last line (line " + (i + 1) + ") is not a JSON object"
                            + " and was skipped.");
                    break;
                }
                throw new ReportInputException(source + " line " + (i + 1)
                        + " is not a JSON object — re-run the training");
            }
            rows.add(row(node, source + " line " + (i + 1)));
        }
        if (rows.isEmpty()) {
            notes.add(FILE_NAME + " holds no complete rows: the run stopped before its first recorded"
                    + " iteration, so the charts are empty.");
        }
        return new MetricsLog(Collections.unmodifiableList(rows), notes);
    }

    private static MetricsRow row(JsonNode node, String where) {
        Double iteration = JsonValues.field(node, "iteration", where);
        if (iteration == null || !Double.isFinite(iteration)) {
            throw new ReportInputException(where + " has no \"iteration\" number — the file does not"
                    + " follow the metrics.jsonl format");
        }
        Double epoch = JsonValues.field(node, "epoch", where);
        return new MetricsRow(
                iteration.longValue(),
                epoch == null || !Double.isFinite(epoch) ? null : epoch.intValue(),
                JsonValues.field(node, "loss", where),
                JsonValues.field(node, "loss_exact", where),
                JsonValues.field(node, "loss_saturated_fraction", where),
                JsonValues.field(node, "lr", where),
                JsonValues.field(node, "grad_l2_global", where),
                JsonValues.field(node, "grad_l2_global_clipped", where),
                JsonValues.field(node, "clip_threshold", where),
                JsonValues.bool(node, "clipped"),
                JsonValues.bool(node, "skipped"),
                JsonValues.field(node, "grad_nonfinite", where),
                JsonValues.numberList(node, "grad_l2_layer", where),
                JsonValues.numberMap(node, "update_param_ratio", where));
    }
}
