package org.explosionlab.training;

import java.util.Locale;

/**
 * The one estimate of time left, for a run's progress bar (work = iterations) and a sweep's progress line (work =
 * points): ETA = (mean seconds per unit of work done) × (work left). Runs of one sweep differ mostly in how soon
 * they blow up, so there the mean is a rough guide; it is refined after every run.
 */
public final class Eta {
    private Eta() {
    }

    /**
     * Seconds left when {@code progress} of {@code total} units of work (a sweep's finished points plus the finished
     * share of running ones; a run's iterations) took {@code elapsedSeconds}: elapsed / progress × (total − progress).
     * With K workers the elapsed time already reflects the parallelism. NaN before any progress.
     */
    public static double secondsLeft(double elapsedSeconds, double progress, double total) {
        if (!(progress > 0)) return Double.NaN;
        return elapsedSeconds / progress * Math.max(0, total - progress);
    }

    /** {@code 1h02m03s}, {@code 4m05s}, {@code 7s}, or {@code ?} for NaN. */
    public static String format(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}
