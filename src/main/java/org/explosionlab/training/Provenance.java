package org.explosionlab.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Where a result came from (Tribuo-style provenance): library and runtime versions, machine, seed,
 * data set and its checksums, and when. Written into {@code summary.json} beside the full spec.
 */
public record Provenance(
        @JsonProperty("dl4j") String dl4j,
        @JsonProperty("java") String java,
        @JsonProperty("os") String os,
        @JsonProperty("cores") int cores,
        @JsonProperty("omp_num_threads") String ompNumThreads,
        @JsonProperty("seed") long seed,
        @JsonProperty("dataset") String dataset,
        @JsonProperty("dataset_location") String datasetLocation,
        @JsonProperty("dataset_train_examples") int trainExamples,
        @JsonProperty("dataset_test_examples") int testExamples,
        @JsonProperty("dataset_sha256") Map<String, String> datasetSha256,
        @JsonProperty("max_batches_per_epoch") int maxBatches,
        @JsonProperty("started") String started,
        @JsonProperty("finished") String finished,
        @JsonProperty("command") String command) {

    /** DL4J version on the classpath. */
    public static final String DL4J_VERSION = "1.0.0-M2.1";

    static String osDescription() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }
}
