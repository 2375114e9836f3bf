package org.explosionlab.report;

import static org.explosionlab.report.Markup.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds XHTML-compatible HTML5: every element closed, every attribute quoted, text escaped, so
 * that the page parses with an XML parser as well as in a browser. Nothing refers to the network.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(256 * 1024);

    /** Opens {@code tag} with attributes given as name, value, name, value, … */
    Html open(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append('>');
        return this;
    }

    Html close(String tag) {
        out.append("</").append(tag).append(">\n");
        return this;
    }

    /** Elements that flow inside text: no line break after them, or the page would show a space. */
    private static final Set<String> INLINE = Set.of("a", "strong", "em", "span", "code", "b", "i", "sup", "sub");

    /** An element holding escaped text. */
    Html element(String tag, String text, String... attributes) {
        open(tag, attributes);
        out.append(escape(text));
        out.append("</").append(tag).append('>');
        if (!INLINE.contains(tag)) {
            out.append('\n');
        }
        return this;
    }

    /** An empty element, e.g. {@code <meta charset="utf-8"/>}. */
    Html empty(String tag, String... attributes) {
        out.append('<').append(tag);
        attributes(attributes);
        out.append("/>\n");
        return this;
    }

    Html text(String text) {
        out.append(escape(text));
        return this;
    }

    /** Markup that is already well-formed (e.g. a table cell built with {@link Markup#escape}). */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** A table; cells are markup fragments (escape text with {@link Markup#escape}). */
    Html table(String cssClass, List<String> headers, List<List<String>> rows, boolean[] numeric) {
        open("table", "class", cssClass);
        open("thead").open("tr");
        for (String h : headers) {
            element("th", h);
        }
        close("tr").close("thead");
        open("tbody");
        for (List<String> row : rows) {
            open("tr");
            for (int i = 0; i < row.size(); i++) {
                boolean num = numeric != null && i < numeric.length && numeric[i];
                if (num) {
                    open("td", "class", "num");
                } else {
                    open("td");
                }
                out.append(row.get(i));
                out.append("</td>");
            }
            close("tr");
        }
        close("tbody");
        close("table");
        return this;
    }

    /** A two-column key/value table of a JSON object; nested objects become nested tables. */
    Html jsonTable(JsonNode object, String cssClass) {
        if (object == null || object.isMissingNode() || !object.isObject() || object.isEmpty()) {
            element("p", "not recorded", "class", "muted");
            return this;
        }
        open("table", "class", cssClass);
        open("tbody");
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            open("tr");
            open("th", "scope", "row");
            out.append("<code>").append(escape(e.getKey())).append("</code>");
            out.append("</th>");
            open("td");
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                jsonTable(e.getValue(), "kv nested");
            } else {
                out.append(escape(jsonValue(e.getValue())));
            }
            out.append("</td>");
            close("tr");
        }
        close("tbody");
        close("table");
        return this;
    }

    /**
     * A JSON value for a table cell: numbers through {@link Numbers#format}, "NaN"/"Infinity"
     * strings as written, arrays of values as "[a, b, c]", anything else as compact JSON.
     */
    static String jsonValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "—";
        }
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        if (node.isNumber()) {
            return Numbers.format(node.doubleValue());
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            StringBuilder s = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    s.append(", ");
                }
                JsonNode item = node.get(i);
                s.append(item.isContainerNode() ? item.toString() : jsonValue(item));
            }
            return s.append(']').toString();
        }
        return node.toString();
    }

    private void attributes(String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
