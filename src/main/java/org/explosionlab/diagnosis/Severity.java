package org.explosionlab.diagnosis;

/** How bad a {@link Finding} is. Only {@link #SEVERE} fails {@code explosion-lab diagnose} (exit code 3). */
public enum Severity {
    /** Seen and worth knowing; nothing to change. */
    INFO,
    /** Likely to slow or hurt training; worth changing. */
    WARNING,
    /** Likely to make training fail (NaN, explosion, nothing learned): change it before training. */
    SEVERE;

    /** Lower-case name, as written in text and JSON output. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
