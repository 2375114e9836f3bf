package org.explosionlab.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.explosionlab.monitor.IterationMetrics;

/**
 * The one reader of a run's {@code metrics.jsonl} ({@code report} and {@code --resume}'s replay): streams it
 * through {@link BoundedLines} and hands out one {@link IterationMetrics} row at a time, after checking that
 * the row is one the monitor writes:
 * <ul>
 *   <li>every figure a row always has is there (a {@code {}} row is refused, not turned into nulls);</li>
 *   <li>iterations strictly increase and epochs never decrease (no duplicated or reordered row);</li>
 *   <li>every row has the first row's shape (layer and parameter counts), as the CSV columns and the detector
 *       need.</li>
 * </ul>
 * Only the file's last line, when it lacks its newline, may be an incomplete row (the line a killed run was writing;
 * the monitor writes each row with its newline): it is skipped and
 * {@link #skippedLastLine()} says so. Anything else ends the read with one {@link BoundedLines.LineException}
 * line naming the file, the line and what to do.
 */
public final class MetricsFile implements Closeable {
    public static final String FILE = RunFiles.METRICS;

    /**
     * Lenient about non-finite number tokens (written as "NaN" strings or bare), strict about trailing
     * garbage, tolerant of fields another version adds. FastDoubleParser (Lemire's algorithm, the same
     * results as {@code Double.parseDouble}) halves the read time of a million-line file.
     */
    private static final ObjectReader ROW = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build().readerFor(IterationMetrics.class);

    private final Path file;
    private final String remedy;
    private final BoundedLines in;
    private String line;
    private IterationMetrics previous;
    private long lineNumber;
    private long skippedLastLine;

    private MetricsFile(Path file, String remedy) throws IOException {
        this.file = file;
        this.remedy = remedy;
        this.in = BoundedLines.open(file, remedy);
    }

    /**
     * @param remedy what the user should do about a damaged file, e.g. "re-run the training"
     */
    public static MetricsFile open(Path file, String remedy) throws IOException {
        return new MetricsFile(file, remedy);
    }

    /** The next row, or null at the end of the file. */
    public IterationMetrics next() throws IOException {
        while (true) {
            String text = in.next();
            long number = in.lineNumber();
            boolean terminated = in.terminated();
            if (text == null) return null;
            if (text.isBlank()) continue;
            IterationMetrics m;
            try {
                m = ROW.readValue(text);
            } catch (JsonProcessingException e) {
                com.fasterxml.jackson.databind.JsonNode tree = tree(text);
                if (tree != null && tree.isObject()) throw damaged(number, problem(tree, e));
                if (!terminated) {                   // the file ends inside this line: the one a killed run was writing
                    skippedLastLine = number;
                    return null;
                }
                throw damaged(number, "is not a metrics row (not a JSON object); only the last line of a killed run, cut off"
                        + " before its newline, may be incomplete");
            }
            check(m, number);
            previous = m;
            line = text;
            lineNumber = number;
            return m;
        }
    }

    /** The fields every row the monitor writes holds (the others are absent when a figure does not apply). */
    private static final java.util.List<String> REQUIRED = java.util.List.of("iteration", "epoch", "loss", "lr", "grad_l2_global",
            "grad_l2_global_clipped", "grad_l2_layer", "grad_l2_layer_clipped", "grad_l2_param", "grad_l2_param_clipped",
            "grad_max_abs", "grad_max_abs_clipped", "grad_nonfinite", "clipped", "skipped", "update_l2_param",
            "update_param_ratio", "update_param_ratio_l2", "param_l2");

    private static com.fasterxml.jackson.databind.JsonNode tree(String text) {
        try {
            return ROW.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** What is wrong with a complete JSON object that is not a row: the first missing field, or the field of the wrong type. */
    private static String problem(com.fasterxml.jackson.databind.JsonNode row, JsonProcessingException e) {
        for (String f : REQUIRED) {
            if (!row.hasNonNull(f)) return "lacks the field '" + f + "' every metrics row has";
        }
        String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException jm && !jm.getPath().isEmpty()
                ? jm.getPath().get(0).getFieldName() : null;
        return field == null ? "is not a metrics row" : "has a field '" + field + "' of the wrong type";
    }

    private void check(IterationMetrics m, long number) throws BoundedLines.LineException {
        String missing = m.gradL2Layer() == null ? "grad_l2_layer" : m.gradL2LayerClipped() == null ? "grad_l2_layer_clipped"
                : m.gradL2Param() == null ? "grad_l2_param" : m.gradL2ParamClipped() == null ? "grad_l2_param_clipped"
                : m.updateL2Param() == null ? "update_l2_param" : m.updateParamRatio() == null ? "update_param_ratio"
                : m.updateParamRatioL2() == null ? "update_param_ratio_l2" : m.paramL2() == null ? "param_l2" : null;
        if (missing != null) throw damaged(number, "lacks the field '" + missing + "' every metrics row has");
        if (m.iteration() < 0 || m.epoch() < 0) {
            throw damaged(number, "has a negative " + (m.iteration() < 0 ? "'iteration' (" + m.iteration() : "'epoch' (" + m.epoch()) + ")");
        }
        if (previous == null) return;
        if (m.iteration() <= previous.iteration()) {
            throw damaged(number, "records iteration " + m.iteration() + " after iteration " + previous.iteration()
                    + " (a duplicated or reordered row); rows are written in increasing iteration order");
        }
        if (m.epoch() < previous.epoch()) {
            throw damaged(number, "records epoch " + m.epoch() + " after epoch " + previous.epoch() + " (a reordered row)");
        }
        if (m.gradL2Layer().length != previous.gradL2Layer().length || m.gradL2LayerClipped().length != previous.gradL2LayerClipped().length
                || !sameKeys(m.gradL2Param(), previous.gradL2Param()) || !sameKeys(m.gradL2ParamClipped(), previous.gradL2ParamClipped())
                || !sameKeys(m.updateL2Param(), previous.updateL2Param()) || !sameKeys(m.paramL2(), previous.paramL2())
                || !sameKeys(m.updateParamRatio(), previous.updateParamRatio())
                || !sameKeys(m.updateParamRatioL2(), previous.updateParamRatioL2())) {
            throw damaged(number, "records other layers or parameters than the rows before it (a row of another run)");
        }
    }

    private static boolean sameKeys(Map<String, Double> a, Map<String, Double> b) {
        return a.keySet().equals(b.keySet());
    }

    private BoundedLines.LineException damaged(long number, String what) {
        return new BoundedLines.LineException(file + " line " + number + " " + what + ": the file is damaged or was edited; " + remedy);
    }

    /** The text of the row {@link #next} returned last, as it is in the file. */
    public String line() {
        return line;
    }

    /** The 1-based line number of the row {@link #next} returned last. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The 1-based number of an incomplete last line that was skipped, or 0. */
    public long skippedLastLine() {
        return skippedLastLine;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
