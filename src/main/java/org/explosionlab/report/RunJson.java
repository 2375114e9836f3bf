package org.explosionlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.explosionlab.monitor.IterationMetrics;
import org.explosionlab.training.RunSummary;

/**
 * The one Jackson configuration the reports read run files with, into the records training writes:
 * {@link IterationMetrics} (a line of metrics.jsonl) and {@link RunSummary} (summary.json, holding the
 * detector's {@code Verdict} and its {@code ExplosionEvent}s). Non-finite numbers arrive as the strings
 * "NaN", "Infinity", "-Infinity" (Jackson's default {@code WRITE_NAN_AS_STRINGS} on the writing side) or
 * as bare tokens; both read back into {@code double}. Fields a newer or older writer adds are ignored;
 * a file that is not JSON or has the wrong types is a {@link ReportInputException}.
 */
public final class RunJson {

    /**
     * The mapper: lenient about non-finite number tokens, strict about trailing garbage. Jackson's
     * FastDoubleParser (Lemire's algorithm, same results as {@code Double.parseDouble}) halves the time
     * a million-line metrics.jsonl takes to read (bench/report-1m.md).
     */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /** Reads one metrics.jsonl line into the record training wrote. */

    public static final String SUMMARY_FILE = "summary.json";
    public static final String METRICS_FILE = "metrics.jsonl";

    private RunJson() {
    }

    /** Reads {@code runDir/summary.json}. */
    public static RunSummary summary(Path runDir) {
        Path file = runDir.resolve(SUMMARY_FILE);
        String kind = org.explosionlab.run.SafePaths.kindOf(file);
        if (kind != null) {
            throw new ReportInputException(file + " is " + kind + ", not a " + SUMMARY_FILE + " file (the JSON the train"
                    + " command writes); give a run directory as train wrote it, or re-run the training");
        }
        if (!Files.isRegularFile(file)) {
            throw new ReportInputException("no " + SUMMARY_FILE + " in " + runDir
                    + " — the run has not finished its first epoch; report on it after it has");
        }
        try {
            RunSummary summary = MAPPER.readValue(file.toFile(), RunSummary.class);
            if (summary == null || summary.spec() == null) {
                throw new ReportInputException(file + " holds no spec — re-run the training");
            }
            return summary;
        } catch (JsonProcessingException e) {
            throw new ReportInputException(file + " does not follow the summary.json format ("
                    + e.getOriginalMessage().lines().findFirst().orElse("")
                            .replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")   // no parser internals
                            .replaceAll("\\s*at \\[Source: [^\\]]*\\]", "")
                    + ") — it is written atomically, so it"
                    + " was changed by hand; re-run the training", e);
        } catch (IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code dir} holds both run files. */
    static boolean isRunDirectory(Path dir) {
        return Files.isRegularFile(dir.resolve(METRICS_FILE)) && Files.isRegularFile(dir.resolve(SUMMARY_FILE));
    }
}
