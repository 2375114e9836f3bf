package org.explosionlab.detection;

import java.util.Arrays;
import java.util.Locale;

/** Small helpers the watches share: medians of held values and number formatting for messages. */
final class Windows {
    private Windows() {
    }

    /** The median of the finite values (NaN when there are none). */
    static double median(double[] values, int n) {
        double[] c = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) if (!Double.isNaN(values[i])) c[m++] = values[i];
        if (m == 0) return Double.NaN;
        Arrays.sort(c, 0, m);
        return m % 2 == 1 ? c[m / 2] : (c[m / 2 - 1] + c[m / 2]) / 2;
    }

    static String num(double x) {
        return String.format(Locale.ROOT, "%.3g", x);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * fraction);
    }
}
