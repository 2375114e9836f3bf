package org.explosionlab.diagnosis;

import java.util.Map;
import java.util.Objects;

/**
 * One thing a {@link Diagnosis} saw.
 *
 * @param check    which check, by its stable id
 * @param severity how bad
 * @param where    the layer(s) or data it concerns ("layer 0 (DenseLayer)", "features", "network")
 * @param saw      what was seen, in words with its numbers
 * @param numbers  the same numbers by name, for JSON readers
 * @param why      why it matters
 * @param source   the DL4J issue or document the rule comes from
 * @param fixDl4j  the fix as a DL4J call
 * @param fixSet   the fix as this project's {@code --set KEY=VALUE}, or null when the spec cannot express it
 */
public record Finding(Check check, Severity severity, String where, String saw, Map<String, Double> numbers, String why,
                      String source, String fixDl4j, String fixSet) {
    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        numbers = numbers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(numbers));
        if (source == null) source = check.source();
    }

    /** True for {@link Severity#SEVERE}. */
    public boolean severe() {
        return severity == Severity.SEVERE;
    }
}
