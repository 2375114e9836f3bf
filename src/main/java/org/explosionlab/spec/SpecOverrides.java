package org.explosionlab.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Command-line overrides {@code key=value} on top of a spec, checked against the field's type by the
 * same JSON binding that reads spec files. Keys are spec field names, dotted for nested objects
 * ({@code lrSchedule.decayRate=0.5}); values are JSON literals ({@code 0.1}, {@code true},
 * {@code {"type":"normal","mean":0,"std":1}}) or bare words; list fields also take
 * {@code 784,256,10}.
 */
public final class SpecOverrides {
    private SpecOverrides() {
    }

    /** Names of every spec field, in declaration order. */
    public static List<String> fieldNames() {
        return List.copyOf(SpecJson.FIELDS.keySet());
    }

    /** Applies {@code key=value} assignments in order; the result is validated like any spec. */
    public static ExperimentSpec apply(ExperimentSpec spec, List<String> assignments) {
        if (assignments.isEmpty()) return spec;
        ObjectNode tree = SpecJson.toTree(spec);
        for (String a : assignments) set(tree, a);
        String source = "--set " + String.join(" --set ", assignments);
        return SpecJson.bind(tree, assignments.size() == 1 ? source : "--set");
    }

    /** One override applied to a spec, for code (walkthroughs, sweeps). */
    public static ExperimentSpec with(ExperimentSpec spec, String key, Object value) {
        ObjectNode tree = SpecJson.toTree(spec);
        put(tree, key, SpecJson.MAPPER.valueToTree(value), "with(" + key + ")");
        return SpecJson.bind(tree, key);
    }

    static void set(ObjectNode tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new SpecException("--set " + assignment + ": expected key=value, e.g. --set learningRate=0.1");
        }
        String key = assignment.substring(0, eq).trim();
        String raw = assignment.substring(eq + 1).trim();
        String top = key.split("\\.", 2)[0];
        RecordComponent field = SpecJson.FIELDS.get(top);
        if (field == null) {
            throw new SpecException("--set " + assignment + ": unknown spec field '" + top + "'; fields: " + String.join(", ", fieldNames()));
        }
        boolean list = List.class.isAssignableFrom(field.getType()) && !key.contains(".");
        put(tree, key, parseValue(raw, list), "--set " + assignment);
    }

    private static void put(ObjectNode tree, String key, JsonNode value, String source) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                throw new SpecException(source + ": '" + String.join(".", Arrays.copyOf(parts, i + 1))
                        + "' is not set, so it has no field '" + parts[i + 1] + "'; set the whole object, e.g. --set "
                        + parts[i] + "={\"type\":...}");
            }
            if (!child.isObject()) throw new SpecException(source + ": '" + parts[i] + "' is not an object");
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], value);
    }

    /** A JSON literal when the text is one, a comma list for list fields, else a string. */
    static JsonNode parseValue(String raw, boolean listField) {
        if (listField && !raw.startsWith("[")) {
            ArrayNode arr = JsonNodeFactory.instance.arrayNode();
            if (!raw.isEmpty()) {
                for (String part : raw.split(",")) arr.add(parseValue(part.trim(), false));
            }
            return arr;
        }
        Function<String, JsonNode> literal = s -> {
            try {
                return SpecJson.MAPPER.readTree(s);
            } catch (JsonProcessingException e) {
                return null;
            }
        };
        JsonNode parsed = raw.isEmpty() ? null : literal.apply(raw);
        return parsed == null || parsed.isMissingNode() ? TextNode.valueOf(raw) : parsed;
    }
}
