package org.explosionlab.report;

/**
 * Colours of the charts: the Tableau 10 palette (distinguishable, print-safe), plus fixed
 * colours for the things every chart shares (events, thresholds, the healthy band).
 */
final class Palette {

    static final String[] SERIES = {
        "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
        "#b07aa1", "#edc948", "#ff9da7", "#9c755f", "#bab0ac"
    };
    static final String EVENT = "#d62728";
    static final String THRESHOLD = "#555555";
    static final String BAND = "#2ca02c";
    static final String NON_FINITE = "#b00020";
    static final String GRID = "#e6e6e6";
    static final String MINOR_GRID = "#f3f3f3";
    static final String AXIS = "#888888";
    static final String TEXT = "#222222";
    static final String MUTED = "#666666";

    private Palette() {
    }

    /** The i-th series colour, cycling after ten. */
    static String series(int i) {
        return SERIES[Math.floorMod(i, SERIES.length)];
    }
}
