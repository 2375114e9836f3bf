package org.explosionlab.report;

import java.util.Locale;

/** Escaping and number formatting for the XHTML-compatible markup the reports write. */
final class Markup {

    private Markup() {
    }

    /** {@code text} with the five XML special characters escaped; null becomes "". */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters other than tab/newline are not allowed in XML 1.0.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append('?');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** A pixel coordinate with one decimal, e.g. "412.5". */
    static String px(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
