package org.explosionlab.report;

/**
 * A vertical marker at an x value, e.g. an iteration the detector flagged.
 *
 * @param x     x value (iteration)
 * @param label short text drawn next to the marker
 * @param color CSS hex colour
 */
public record EventMarker(double x, String label, String color) {
}
