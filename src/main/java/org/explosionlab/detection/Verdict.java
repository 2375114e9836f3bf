package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The judgement of one run: the events found, earliest first, and what follows from them.
 * Everything but {@code events} is derived from the events, so it cannot disagree with them.
 *
 * <p>JSON shape (snake_case):
 * <pre>
 * {"exploded": bool, "kind": "healthy"|"nonfinite"|"explosion"|"collapse", "first_iteration": long|null,
 *  "events": [{"kind": ..., "iteration": n, "epoch": n, "layer_first": int|null, "layer_most": int|null,
 *              "trigger": {"name": number}, "message": "..."}],
 *  "advice": "..."}
 * </pre>
 * The derived keys are written but ignored when reading a verdict back.
 *
 * @param events the detected events, sorted by iteration (events on the same iteration keep their order)
 */
@JsonPropertyOrder({"exploded", "kind", "first_iteration", "events", "advice"})
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(value = {"exploded", "kind", "first_iteration", "advice"}, allowGetters = true)
public record Verdict(@JsonProperty("events") List<ExplosionEvent> events) {

    /** The {@link #kind()} of a run without events. */
    public static final String HEALTHY = "healthy";

    public Verdict {
        events = Objects.requireNonNull(events, "events").stream()
                .sorted(Comparator.comparingLong(ExplosionEvent::iteration))
                .toList();
    }

    /** True when the run failed in any of the detected ways. */
    @JsonProperty("exploded")
    public boolean exploded() {
        return !events.isEmpty();
    }

    /** The kind of the first event, or {@value #HEALTHY}. */
    @JsonProperty("kind")
    public String kind() {
        return events.isEmpty() ? HEALTHY : events.get(0).kind().label();
    }

    /** The iteration of the first event, or null for a healthy run. */
    @JsonProperty("first_iteration")
    public Long firstIteration() {
        return events.isEmpty() ? null : events.get(0).iteration();
    }

    /** One line on what to do, for the first event's kind (the later events are usually its consequences). */
    @JsonProperty("advice")
    public String advice() {
        if (events.isEmpty()) {
            return "No action needed: no non-finite value, gradient explosion or collapse was detected.";
        }
        ExplosionEvent first = events.get(0);
        return "The run failed first by " + first.kind().label() + " at iteration " + first.iteration()
                + ". " + first.kind().remedy();
    }
}
