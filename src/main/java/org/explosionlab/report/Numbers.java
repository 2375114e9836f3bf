package org.explosionlab.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Formats numbers for people: a few significant digits, non-finite values by name. */
final class Numbers {

    private static final MathContext FOUR_DIGITS = new MathContext(4, RoundingMode.HALF_EVEN);

    private Numbers() {
    }

    /**
     * Four significant digits; plain notation for 1e-4 ≤ |v| &lt; 1e6, otherwise "1.5e15";
     * NaN and ±∞ as "NaN", "Infinity", "-Infinity" (the spelling of the run files).
     */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return "0";
        }
        double abs = Math.abs(v);
        if (abs >= 1e-4 && abs < 1e6) {
            return new BigDecimal(v).round(FOUR_DIGITS).stripTrailingZeros().toPlainString();
        }
        return scientific(v, 3);
    }

    /** Like {@link #format}, but "—" for NaN: for figures that are NaN because nothing was recorded. */
    static String formatOrDash(double v) {
        return Double.isNaN(v) ? "—" : format(v);
    }

    /** {@code v} as mantissa "e" exponent with at most {@code decimals} mantissa decimals: "2.5e-7". */
    static String scientific(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "e", v);
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        int exponent = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + exponent;
    }

    /** A fraction as a percentage with one decimal: 0.937 → "93.7 %". */
    static String percent(double fraction) {
        if (!Double.isFinite(fraction)) {
            return format(fraction);
        }
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }
}
