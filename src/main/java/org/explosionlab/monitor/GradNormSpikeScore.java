package org.explosionlab.monitor;

import java.util.ArrayDeque;

/**
 * The spike score of the gradient norm: how many standard deviations log ‖g‖ of this step lies above the
 * mean of its recent history,
 * <pre>
 *   z_t = (log ‖g_t‖ − mean(log ‖g‖ over the previous W steps)) / std(same W steps)
 * </pre>
 * over the previous {@value #WINDOW} recorded iterations (fewer at the start; none before
 * {@value #MIN_HISTORY}). OLMo 2 (Team OLMo 2025, arXiv 2501.00656) found gradient-norm spikes "often
 * preceded" loss spikes and counts points at least 7σ from a rolling mean as spikes. The logarithm makes a
 * 10× jump count the same at any scale. ‖g‖ is the raw global norm {@code gradL2Global} (backprop's output
 * at {@code onGradientCalculation}, before any remedy). A non-finite norm scores +∞ and is not added to the
 * history; the standard deviation has a floor of 1e-3 (a 0.1 % wobble) so a perfectly flat history does not
 * score infinity on a rounding error.
 */
final class GradNormSpikeScore {
    /** Previous recorded iterations the mean and standard deviation are taken over. */
    static final int WINDOW = 100;
    /** Finite norms needed before a score is given. */
    static final int MIN_HISTORY = 20;
    private static final double MIN_STD = 1e-3;
    private final ArrayDeque<Double> history = new ArrayDeque<>();

    /** The score of {@code norm} against the history before it (null while too short), then adds it to the history. */
    Double score(double norm) {
        if (!Double.isFinite(norm) || norm <= 0) {
            return history.size() >= MIN_HISTORY && !(norm == 0) ? Double.POSITIVE_INFINITY : null;
        }
        double x = Math.log(norm);
        Double z = null;
        int n = history.size();
        if (n >= MIN_HISTORY) {
            double mean = 0;
            for (double h : history) mean += h;
            mean /= n;
            double var = 0;
            for (double h : history) var += (h - mean) * (h - mean);
            z = (x - mean) / Math.max(Math.sqrt(var / n), MIN_STD);     // population std, as numpy's default
        }
        history.addLast(x);
        if (history.size() > WINDOW) history.removeFirst();
        return z;
    }
}
