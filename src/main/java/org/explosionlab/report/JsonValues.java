package org.explosionlab.report;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads numbers from the run files, where non-finite values are written as the JSON strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (Jackson's default) and finite values
 * as plain numbers. Bare {@code NaN}/{@code Infinity} tokens are accepted too.
 * A field that is absent or JSON {@code null} reads as Java {@code null}, never as NaN: "not
 * recorded" and "recorded as NaN" are different facts.
 */
final class JsonValues {

    /** One mapper for all run files: lenient about non-finite number tokens. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private JsonValues() {
    }

    /** The number in {@code node}, or null when node is absent or JSON null. */
    static Double number(JsonNode node, String what) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            String text = node.textValue().trim();
            switch (text) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                case "+Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(text);
                    } catch (NumberFormatException e) {
                        throw new ReportInputException(what + " is \"" + text
                                + "\", expected a number or \"NaN\"/\"Infinity\"/\"-Infinity\"");
                    }
            }
        }
        throw new ReportInputException(what + " is " + node.getNodeType().toString().toLowerCase()
                + ", expected a number");
    }

    /** The field {@code name} of {@code object} as a number, or null when absent. */
    static Double field(JsonNode object, String name, String where) {
        return number(object.get(name), where + " field \"" + name + "\"");
    }

    /**
     * The array field {@code name} as numbers, or an empty list when absent. A null element keeps
     * its position (the index is the layer) and reads as NaN.
     */
    static List<Double> numberList(JsonNode object, String name, String where) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ReportInputException(where + " field \"" + name + "\" is not an array");
        }
        List<Double> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            Double v = number(node.get(i), where + " field \"" + name + "\"[" + i + "]");
            values.add(v == null ? Double.NaN : v);
        }
        return Collections.unmodifiableList(values);
    }

    /** The object field {@code name} as key → number in file order (null values read as NaN), or an empty map. */
    static Map<String, Double> numberMap(JsonNode object, String name, String where) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new ReportInputException(where + " field \"" + name + "\" is not an object");
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Double v = number(e.getValue(), where + " field \"" + name + "\".\"" + e.getKey() + "\"");
            values.put(e.getKey(), v == null ? Double.NaN : v);
        }
        return Collections.unmodifiableMap(values);
    }

    /** The boolean field {@code name}, or null when absent. */
    static Boolean bool(JsonNode object, String name) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.asBoolean();
    }

    /** The text of field {@code name}, or null when absent or null. */
    static String text(JsonNode object, String name) {
        if (object == null) {
            return null;
        }
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
