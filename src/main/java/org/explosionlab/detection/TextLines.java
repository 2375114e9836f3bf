package org.explosionlab.detection;

/**
 * Event messages and advice broken into lines a console or log shows whole: an event with its advice ran to ~700
 * characters on one line. Every word is kept, in order (the full text stays in the verdict and summary.json); a line
 * breaks at the last space before {@code width}, and a single word longer than that stands on a line of its own.
 */
public final class TextLines {
    /** The width the CLI, the walkthroughs and the monitor's log lines wrap at. */
    public static final int WIDTH = 120;

    private TextLines() {
    }

    /**
     * {@code text} wrapped at {@value #WIDTH} columns, lines after the first starting with {@code indent}.
     *
     * @param text   the text; its leading white space stays, other runs of white space become one space
     * @param indent the start of every line after the first (counted in its width)
     */
    public static String wrap(String text, String indent) {
        return wrap(text, WIDTH, indent);
    }

    static String wrap(String text, int width, String indent) {
        String lead = text.substring(0, text.length() - text.stripLeading().length());   // the first line's own indent stays
        StringBuilder out = new StringBuilder(lead);
        int lineLength = lead.length();                       // characters on the current line, its indent included
        boolean lineHasWord = false;
        for (String word : text.strip().split("\\s+")) {
            if (lineHasWord && lineLength + 1 + word.length() > width) {
                out.append('\n').append(indent);
                lineLength = indent.length();
                lineHasWord = false;
            }
            if (lineHasWord) {
                out.append(' ');
                lineLength++;
            }
            out.append(word);
            lineLength += word.length();
            lineHasWord = true;
        }
        return out.toString();
    }
}
