package org.explosionlab.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event the detector flagged (summary.json {@code verdict.events[]}).
 *
 * @param kind       "explosion", "nonfinite", ...
 * @param iteration  the iteration it happened at
 * @param epoch      the epoch, null if not recorded
 * @param layerFirst the first layer whose norm jumped, null if not recorded
 * @param layerMost  the layer whose norm jumped most, null if not recorded
 * @param trigger    the figures that triggered it, as "name = value, …" (empty when absent)
 * @param message    the detector's explanation
 * @param recoveredAt for an explosion training recovered from, the iteration normal steps began; else null
 */
public record VerdictEvent(String kind, long iteration, Integer epoch, Integer layerFirst,
        Integer layerMost, String trigger, String message, Long recoveredAt) {

    static VerdictEvent of(JsonNode node, String where) {
        Double iteration = JsonValues.field(node, "iteration", where);
        if (iteration == null || !Double.isFinite(iteration)) {
            throw new ReportInputException(where + " has no \"iteration\" — summary.json does not follow"
                    + " the run-file format");
        }
        JsonNode trigger = node.get("trigger");
        return new VerdictEvent(
                JsonValues.text(node, "kind"),
                iteration.longValue(),
                integer(node, "epoch", where),
                integer(node, "layer_first", where),
                integer(node, "layer_most", where),
                trigger(trigger),
                JsonValues.text(node, "message"),
                node.hasNonNull("recovered_at") && node.get("recovered_at").canConvertToLong()
                        ? node.get("recovered_at").asLong() : null);
    }

    private static String trigger(JsonNode trigger) {
        if (trigger == null || trigger.isNull()) {
            return "";
        }
        if (!trigger.isObject()) {
            return Html.jsonValue(trigger);
        }
        StringBuilder text = new StringBuilder();
        trigger.fields().forEachRemaining(e -> text.append(text.length() > 0 ? ", " : "")
                .append(e.getKey()).append(" = ").append(Html.jsonValue(e.getValue())));
        return text.toString();
    }

    private static Integer integer(JsonNode node, String name, String where) {
        Double v = JsonValues.field(node, name, where);
        return v == null || !Double.isFinite(v) ? null : v.intValue();
    }
}
