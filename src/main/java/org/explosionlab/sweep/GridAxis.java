package org.explosionlab.sweep;

import java.util.ArrayList;
import java.util.List;
import org.explosionlab.spec.SpecException;
import org.explosionlab.spec.SpecOverrides;

/**
 * One axis of a grid sweep, parsed from {@code key=v1,v2,...}: a spec field (dotted for nested objects,
 * as in {@code --set}) and the values it takes. Values are split on commas that are not inside
 * {@code {...}}, {@code [...]} or a quoted string, so JSON objects work as values:
 * {@code lrSchedule={"type":"step","decayRate":0.5,"step":100},{"type":"fixed"}}.
 *
 * @param key    spec field name, e.g. {@code learningRate} or {@code weightInitDistribution.std}
 * @param values the raw values, each one a {@code --set key=value} right-hand side
 */
public record GridAxis(String key, List<String> values) {

    public GridAxis {
        values = List.copyOf(values);
    }

    /** Parses {@code key=v1,v2,...}; throws a one-line {@link SpecException} on bad syntax or an unknown field. */
    public static GridAxis parse(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new SpecException("--grid " + text + ": expected key=v1,v2,..., e.g. --grid learningRate=0.01,0.1,1.0");
        }
        String key = text.substring(0, eq).trim();
        String top = key.split("\\.", 2)[0];
        if (!SpecOverrides.fieldNames().contains(top)) {
            throw new SpecException("--grid " + text + ": unknown spec field '" + top + "'; fields: "
                    + String.join(", ", SpecOverrides.fieldNames()));
        }
        List<String> values = splitTopLevel(text.substring(eq + 1), text);
        if (values.stream().distinct().count() != values.size()) {
            throw new SpecException("--grid " + text + ": a value is listed twice; list each value once");
        }
        return new GridAxis(key, values);
    }

    /** The {@code --set} assignment of value {@code i}. */
    public String assignment(int i) {
        return key + "=" + values.get(i);
    }

    /** Splits on commas at nesting depth 0, outside quotes; no empty parts. */
    static List<String> splitTopLevel(String raw, String source) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"' && (i == 0 || raw.charAt(i - 1) != '\\')) quoted = !quoted;
            if (!quoted) {
                if (c == '{' || c == '[') depth++;
                if (c == '}' || c == ']') depth--;
                if (depth < 0) throw new SpecException("--grid " + source + ": unbalanced '" + c + "'");
                if (c == ',' && depth == 0) {
                    parts.add(part(cur, source));
                    cur.setLength(0);
                    continue;
                }
            }
            cur.append(c);
        }
        if (depth != 0 || quoted) throw new SpecException("--grid " + source + ": unbalanced brackets or quotes");
        parts.add(part(cur, source));
        return parts;
    }

    private static String part(StringBuilder cur, String source) {
        String p = cur.toString().trim();
        if (p.isEmpty()) throw new SpecException("--grid " + source + ": empty value; write key=v1,v2 without empty items");
        return p;
    }
}
