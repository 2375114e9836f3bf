package org.explosionlab.report;

/**
 * A run or sweep directory cannot be reported on: a file is missing or unreadable. The message is
 * one line that says what is wrong and what to do; the command line prints it and exits with 2.
 */
public final class ReportInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ReportInputException(String message) {
        super(message);
    }

    public ReportInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
