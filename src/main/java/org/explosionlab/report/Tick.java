package org.explosionlab.report;

/**
 * A labelled axis tick.
 *
 * @param value    the tick's value in data units
 * @param label    plain-text label, e.g. "0.01", "250", "1e15"
 * @param exponent for a log-axis power of ten shown as 10<sup>n</sup>, the n; otherwise null
 */
public record Tick(double value, String label, Integer exponent) {
}
