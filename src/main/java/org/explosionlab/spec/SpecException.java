package org.explosionlab.spec;

/**
 * A spec value is wrong. The message is one line that names the field, says what is wrong and what
 * would be accepted, so the command line can print it as is.
 */
public final class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }

    public SpecException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code field must be ..., got value} — the one shape every validation message takes. */
    static SpecException field(String field, String requirement, Object got) {
        return new SpecException(field + " must be " + requirement + ", got " + got);
    }
}
