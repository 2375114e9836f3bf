package org.explosionlab.sweep.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.sweep.SweepPoint;

/**
 * What one Spark task needs to train one point, sent to the executor as a JSON string (never as a
 * Java object).
 *
 * @param label         the point's label in the comparison table
 * @param specJson      the resolved spec, as {@link SpecJson#write} writes spec.json
 * @param dataSource    what the executor hands to DatasetResolver: the data set's name, or for an IDX
 *                      directory its absolute path (it must exist on every executor)
 * @param datasetSha256 file name → SHA-256 of the data the driver read; the executor's must match
 * @param maxBatches    stop each epoch after this many minibatches; 0 = whole epochs
 * @param command       the command line, recorded in the run's provenance
 */
record PointTask(String label, String specJson, String dataSource, Map<String, String> datasetSha256, int maxBatches,
                 String command) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);   // one JSON document, nothing after it

    SweepPoint point() {
        ExperimentSpec spec = SpecJson.parse(specJson, "the spec of sweep point " + label);
        return new SweepPoint(label, spec);
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a sweep task does not serialise", e);
        }
    }

    static PointTask fromJson(String json) {
        try {
            return JSON.readValue(json, PointTask.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a sweep task: " + e.getOriginalMessage(), e);
        }
    }
}
