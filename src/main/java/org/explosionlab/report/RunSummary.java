package org.explosionlab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run's summary.json: the resolved spec, provenance, results, per-epoch figures and verdict.
 * Sections the file lacks read as {@link MissingNode}; the report shows them as "not recorded".
 */
public record RunSummary(JsonNode spec, JsonNode provenance, JsonNode results, JsonNode epochs,
        Verdict verdict) {

    public static final String FILE_NAME = "summary.json";

    /** Reads {@code runDir/summary.json}. */
    public static RunSummary read(Path runDir) {
        Path file = runDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new ReportInputException("no " + FILE_NAME + " in " + runDir
                    + " — the run has not finished its first epoch; report on it after it has");
        }
        JsonNode root;
        try {
            root = JsonValues.MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new ReportInputException(file + " is not valid JSON (" + e.getOriginalMessage()
                    + ") — it is written atomically, so it was changed by hand; re-run the training", e);
        } catch (IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ReportInputException(file + " is not a JSON object — re-run the training");
        }
        return new RunSummary(section(root, "spec"), section(root, "provenance"),
                section(root, "results"), section(root, "epochs"), Verdict.of(root.get("verdict")));
    }

    private static JsonNode section(JsonNode root, String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? MissingNode.getInstance() : node;
    }

    /** The spec's name, or null. */
    public String specName() {
        return JsonValues.text(spec, "name");
    }
}
