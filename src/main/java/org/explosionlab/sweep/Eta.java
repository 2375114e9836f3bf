package org.explosionlab.sweep;

import java.util.Locale;

/**
 * Estimated time left in a sweep from the runs finished so far: ETA = (mean seconds per finished run) ×
 * (runs left). Runs of one sweep differ mostly in how soon they blow up, so the mean is a rough guide;
 * it is refined after every run.
 */
public final class Eta {
    private Eta() {
    }

    /** Seconds left after {@code done} of {@code total} runs took {@code elapsedSeconds}; NaN before the first run ends. */
    public static double secondsLeft(double elapsedSeconds, int done, int total) {
        if (done <= 0) return Double.NaN;
        return elapsedSeconds / done * (total - done);
    }

    /**
     * Seconds left when {@code progress} points' worth of work (finished points plus the finished share
     * of running ones) took {@code elapsedSeconds}: elapsed / progress × (total − progress). With K
     * workers the elapsed time already reflects the parallelism. NaN before any progress.
     */
    public static double secondsLeft(double elapsedSeconds, double progress, int total) {
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
