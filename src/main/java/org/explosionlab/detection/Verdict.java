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
 * <p>The one-word {@link #kind()} is that of the <b>deciding event</b>: the earliest blow-up (an explosion
 * training did not recover from, or a non-finite value), else the most severe of collapse &gt; vanishing
 * &gt; stalled. A blow-up outranks the slow failures because it is usually their cause (a dead network
 * after a spike), and the earliest blow-up wins because a NaN after an explosion is its consequence. A run
 * whose only events are explosions it recovered from is {@value #RECOVERED} (it still carries them); a run
 * without events is {@value #HEALTHY}. So {@code high-lr}, which stalls early and explodes later, is an
 * explosion, and {@code bad-init-max-norm}, flagged at its first step and fine afterwards, is recovered.
 *
 * <p>JSON shape (snake_case):
 * <pre>
 * {"exploded": bool, "kind": "healthy"|"recovered"|"nonfinite"|"explosion"|"collapse"|"vanishing"|"stalled",
 *  "first_iteration": long|null,
 *  "events": [{"kind": ..., "iteration": n, "epoch": n, "layer_first": int|null, "layer_most": int|null,
 *              "trigger": {"name": number}, "message": "...", "recovered_at": long|null}],
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
    /** The {@link #kind()} of a run whose only events are explosions it recovered from. */
    public static final String RECOVERED = "recovered";

    /** The slow failures, most severe first (they decide only when nothing blew up). */
    private static final List<EventKind> SEVERITY = List.of(EventKind.COLLAPSE, EventKind.VANISHING, EventKind.STALLED);

    public Verdict {
        events = Objects.requireNonNull(events, "events").stream()
                .sorted(Comparator.comparingLong(ExplosionEvent::iteration))
                .toList();
    }

    /**
     * The event that decides the kind: the earliest unrecovered explosion or non-finite event; else the
     * earliest event of the most severe slow kind; when all events are recovered explosions, the first of
     * them; null for a healthy run.
     */
    public ExplosionEvent decidingEvent() {
        for (ExplosionEvent e : events) {
            if ((e.kind() == EventKind.EXPLOSION || e.kind() == EventKind.NONFINITE) && !e.recovered()) return e;
        }
        for (EventKind kind : SEVERITY) {
            for (ExplosionEvent e : events) {
                if (e.kind() == kind && !e.recovered()) return e;
            }
        }
        return events.isEmpty() ? null : events.get(0);
    }

    /** True when the gradient blew up at some point: an explosion (recovered or not) or a non-finite value. */
    @JsonProperty("exploded")
    public boolean exploded() {
        return events.stream().anyMatch(e -> e.kind() == EventKind.EXPLOSION || e.kind() == EventKind.NONFINITE);
    }

    /** True when the run failed: any event other than an explosion it recovered from. */
    public boolean failed() {
        return events.stream().anyMatch(e -> !e.recovered());
    }

    /** {@value #HEALTHY}, {@value #RECOVERED}, or the label of the deciding event's kind. */
    @JsonProperty("kind")
    public String kind() {
        ExplosionEvent d = decidingEvent();
        if (d == null) return HEALTHY;
        return d.recovered() ? RECOVERED : d.kind().label();
    }

    /** The iteration of the deciding event, or null for a healthy run. */
    @JsonProperty("first_iteration")
    public Long firstIteration() {
        ExplosionEvent d = decidingEvent();
        return d == null ? null : d.iteration();
    }

    /** One line on what happened and what to do, for the deciding event (the others are usually its consequences). */
    @JsonProperty("advice")
    public String advice() {
        ExplosionEvent d = decidingEvent();
        if (d == null) {
            return "No action needed: no non-finite value, gradient explosion, collapse, vanishing update or stall was detected.";
        }
        if (d.recovered()) {
            return "The gradient exploded at iteration " + d.iteration() + " and training recovered: normal steps from"
                    + " iteration " + d.recoveredAt() + " on. To avoid the spike: " + d.kind().remedy();
        }
        return "The run failed by " + d.kind().label() + " at iteration " + d.iteration() + ". " + d.kind().remedy();
    }
}
