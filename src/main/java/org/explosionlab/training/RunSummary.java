package org.explosionlab.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.explosionlab.detection.EpochAggregates;
import org.explosionlab.detection.Verdict;
import org.explosionlab.spec.ExperimentSpec;

/**
 * {@code summary.json}: the resolved spec, provenance, results, per-epoch gradient aggregates and the
 * detector's verdict. {@code train --spec summary.json} repeats the run: the spec is read back from
 * the {@code spec} field.
 *
 * @param metricsSha256 SHA-256 (hex) of metrics.jsonl's first {@code metricsBytes} bytes when this summary was written
 *                      (every row recorded until then; {@link MetricsDigest}), so that {@code report} refuses rows edited
 *                      since; null without a run directory and in files written before it was recorded
 * @param metricsBytes  that length
 */
public record RunSummary(
        @JsonProperty("spec") ExperimentSpec spec,
        @JsonProperty("provenance") Provenance provenance,
        @JsonProperty("results") RunResults results,
        @JsonProperty("epochs") List<EpochAggregates> epochs,
        @JsonProperty("verdict") Verdict verdict,
        @JsonProperty("metrics_sha256") String metricsSha256,
        @JsonProperty("metrics_bytes") Long metricsBytes) {

    /** A summary that records no digest of its metrics.jsonl (a run without a directory, a test's fixture). */
    public RunSummary(ExperimentSpec spec, Provenance provenance, RunResults results, List<EpochAggregates> epochs, Verdict verdict) {
        this(spec, provenance, results, epochs, verdict, null, null);
    }
}
