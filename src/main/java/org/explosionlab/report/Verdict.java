package org.explosionlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The detector's judgement of a run (summary.json {@code verdict}).
 *
 * @param kind           "healthy", "nonfinite", "explosion", "collapse", or "not recorded"
 * @param exploded       whether the run exploded, null if not recorded
 * @param firstIteration the first flagged iteration, null if none
 * @param message        the verdict's message (or its first event's), null if none
 * @param advice         what to do about it, null if none
 * @param events         the flagged events in file order
 */
public record Verdict(String kind, Boolean exploded, Long firstIteration, String message,
        String advice, List<VerdictEvent> events) {

    /** The kind shown when summary.json holds no verdict (e.g. a run stopped mid-epoch). */
    public static final String NOT_RECORDED = "not recorded";

    public Verdict {
        events = List.copyOf(events);
    }

    /** The first flagged iteration: {@code first_iteration}, else the earliest event, else null. */
    public Long firstFlaggedIteration() {
        if (firstIteration != null) {
            return firstIteration;
        }
        return events.stream().map(VerdictEvent::iteration).min(Long::compare).orElse(null);
    }

    static Verdict of(JsonNode node) {
        if (node == null || node.isNull() || !node.isObject()) {
            return new Verdict(NOT_RECORDED, null, null, null, null, List.of());
        }
        List<VerdictEvent> events = new ArrayList<>();
        JsonNode eventsNode = node.get("events");
        if (eventsNode != null && eventsNode.isArray()) {
            for (int i = 0; i < eventsNode.size(); i++) {
                events.add(VerdictEvent.of(eventsNode.get(i), "summary.json verdict.events[" + i + "]"));
            }
        }
        Double first = JsonValues.field(node, "first_iteration", "summary.json verdict");
        String message = JsonValues.text(node, "message");
        if (message == null && !events.isEmpty()) {
            message = events.get(0).message();
        }
        String kind = JsonValues.text(node, "kind");
        return new Verdict(
                kind == null ? NOT_RECORDED : kind,
                JsonValues.bool(node, "exploded"),
                first == null || !Double.isFinite(first) ? null : first.longValue(),
                message,
                JsonValues.text(node, "advice"),
                events);
    }
}
