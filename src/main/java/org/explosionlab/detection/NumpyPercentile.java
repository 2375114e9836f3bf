package org.explosionlab.detection;

/**
 * The p-th percentile of a sorted sample as {@code np.percentile(x, p)} computes it by default
 * (method "linear", Hyndman &amp; Fan 1996 definition 7): linear interpolation between the closest
 * ranks,
 * <pre>
 *   pos = (n − 1) · p/100,  i = ⌊pos⌋,  t = pos − i
 *   P   = x[i] + (x[i+1] − x[i]) · t      (t &lt; 0.5)
 *   P   = x[i+1] − (x[i+1] − x[i]) · (1 − t)   (t ≥ 0.5; numpy's _lerp, exact at t = 1)
 *   P   = x[n−1] when pos ≥ n − 1
 * </pre>
 * so p = 50 is the median, p = 0 the minimum and p = 100 the maximum. The project's one copy of this
 * interpolation: the detector's epoch aggregates, the benchmarks and AutoClip's running percentile
 * ({@code monitor.PercentileHistory}, which keeps x[i] and x[i+1] in two heaps) all use it.
 */
public final class NumpyPercentile {

    private NumpyPercentile() {
    }

    /**
     * @param sortedAscending finite values in ascending order (not checked: the caller sorted them)
     * @param p               percentile in [0, 100]
     * @return the percentile, NaN for an empty sample
     */
    public static double of(double[] sortedAscending, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        }
        int n = sortedAscending.length;
        if (n == 0) {
            return Double.NaN;
        }
        double pos = position(n, p);
        if (pos >= n - 1) {
            return sortedAscending[n - 1];
        }
        int i = (int) Math.floor(pos);
        return between(sortedAscending[i], sortedAscending[i + 1], pos);
    }

    /** pos = (n − 1)·p/100, numpy's virtual index of the p-th percentile of n values (method "linear"). */
    public static double position(int n, double p) {
        return (n - 1) * (p / 100);
    }

    /**
     * The percentile at virtual index {@code pos} from its two neighbours x[⌊pos⌋] = {@code a} and x[⌊pos⌋+1] = {@code b}:
     * numpy's {@code _lerp(a, b, t)} with t = pos − ⌊pos⌋, a + (b − a)·t, computed from b's side when t ≥ 0.5.
     */
    public static double between(double a, double b, double pos) {
        double t = pos - Math.floor(pos);
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
