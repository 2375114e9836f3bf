package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An early warning: one instrument crossed the line beyond which the literature sees a loss spike coming
 * ({@link WarningRule}). A warning is not a verdict: it never makes a run fail, and a run with warnings and
 * no explosion stays {@code healthy}.
 *
 * @param iteration the iteration whose figure crossed the threshold
 * @param signal    which instrument: {@code sharpness}, {@code update_rms}, {@code update_cos} or
 *                  {@code grad_norm_spike} ({@link WarningRule})
 * @param value     its figure at that iteration
 * @param threshold the line it crossed (for {@code update_cos}: the value fell to or below it; else rose to or above it)
 * @param advice    what to do before the loss shows it; null in a summary that kept only iteration and signal
 */
@JsonPropertyOrder({"iteration", "signal", "value", "threshold", "advice"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Warning(@JsonProperty("iteration") long iteration,
                      @JsonProperty("signal") String signal,
                      @JsonProperty("value") Double value,
                      @JsonProperty("threshold") Double threshold,
                      @JsonProperty("advice") String advice) {

    /** One line for a log or the console. */
    public String message() {
        return "warning at iteration " + iteration + ": " + signal + " = " + NetworkFacts.number(value == null ? Double.NaN : value)
                + (threshold == null ? "" : " (threshold " + NetworkFacts.number(threshold) + ")")
                + (advice == null ? "" : ". " + advice);
    }
}
