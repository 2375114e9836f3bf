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
 */
public record RunSummary(
        @JsonProperty("spec") ExperimentSpec spec,
        @JsonProperty("provenance") Provenance provenance,
        @JsonProperty("results") RunResults results,
        @JsonProperty("epochs") List<EpochAggregates> epochs,
        @JsonProperty("verdict") Verdict verdict) {
}
