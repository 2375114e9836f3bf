package org.explosionlab.cli;

/** A command-line input the user must fix (output directory, option combination); one line. */
public final class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }
}
