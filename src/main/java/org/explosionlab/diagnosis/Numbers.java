package org.explosionlab.diagnosis;

import java.util.Locale;

/** How findings write numbers: 4 significant digits, plain or scientific, never locale-dependent. */
final class Numbers {
    private Numbers() {
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "Inf" : "-Inf";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.4g", v);
            if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            return s;
        }
        String[] parts = String.format(Locale.ROOT, "%.3e", v).split("e");          // e.g. 1.000e-04 -> 1e-4
        String mantissa = parts[0].contains(".") ? parts[0].replaceAll("0+$", "").replaceAll("\\.$", "") : parts[0];
        return mantissa + "e" + Integer.parseInt(parts[1]);
    }
}
