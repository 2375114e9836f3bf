package org.explosionlab.data;

/**
 * Bad or missing data: a one-line message that says what is wrong and what to do about it.
 * The command line turns it into one stderr line and exit code 2.
 */
public final class DataException extends RuntimeException {

    public DataException(String message) {
        super(oneLine(message));
    }

    public DataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Collapses line breaks (some library messages carry them) so the message stays one line. */
    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
