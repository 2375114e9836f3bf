package org.explosionlab.report;

/**
 * One plotted series: y against x, in full (renderers downsample). A y of NaN or ±∞ is a
 * recorded non-finite value: it breaks the line and is shown as a pinned marker.
 *
 * @param label  legend text
 * @param color  CSS hex colour, e.g. "#1f77b4"
 * @param dashed whether the line is dashed
 * @param x      x values (iterations)
 * @param y      y values, same length as x
 */
public record Line(String label, String color, boolean dashed, double[] x, double[] y) {

    public Line {
        if (x.length != y.length) {
            throw new IllegalArgumentException("line \"" + label + "\" has " + x.length + " x values but "
                    + y.length + " y values");
        }
    }

    public int size() {
        return x.length;
    }
}
