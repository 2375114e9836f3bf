package org.explosionlab.sweep;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.explosionlab.monitor.IterationMetrics;

/**
 * Per-layer raw gradient L2 norms of a run, summarised over its first iterations: for each layer l,
 * the median over the first {@code n} recorded iterations of ‖∂L/∂θ_l‖₂ (W and b together, mean-loss
 * scale; non-finite values left out). The median keeps one spike from deciding a layer's value.
 *
 * <p>Backpropagation multiplies the error by Wᵀ·diag(f'(z)) once per layer on its way to the input
 * (Bengio, Simard & Frasconi 1994; Glorot & Bengio 2010, eq. 6), so in a deep stack with weights a bit
 * too large the norms grow geometrically toward layer 0 — the {@link #factorPerLayer() factor per
 * layer} is then > 1 — and with weights too small they vanish (factor < 1).
 *
 * @param iterations number of iterations the medians are taken over
 * @param medianNorm median raw gradient L2 norm per layer, index 0 = the layer next to the input
 */
public record LayerGradientProfile(int iterations, double[] medianNorm) {
    private static final int BAR_WIDTH = 40;

    public LayerGradientProfile {
        medianNorm = medianNorm.clone();
    }

    /** The profile of the first {@code firstN} recorded iterations of a run. */
    public static LayerGradientProfile of(List<IterationMetrics> metrics, int firstN) {
        if (metrics.isEmpty()) throw new IllegalArgumentException("no recorded iterations to profile");
        if (firstN < 1) throw new IllegalArgumentException("firstN must be >= 1, got " + firstN);
        int n = Math.min(firstN, metrics.size());
        int layers = metrics.get(0).gradL2Layer().length;
        double[] medians = new double[layers];
        for (int l = 0; l < layers; l++) {
            double[] v = new double[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                double x = metrics.get(i).gradL2Layer()[l];
                if (Double.isFinite(x)) v[k++] = x;
            }
            medians[l] = median(Arrays.copyOf(v, k));
        }
        return new LayerGradientProfile(n, medians);
    }

    /** Median of the values (mean of the two middle ones for an even count); NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    public int layers() {
        return medianNorm.length;
    }

    /** Layer 0's norm over the last hidden layer's (layer L−2): > 1 means growth toward the input. */
    public double inputOverLastHidden() {
        return medianNorm[0] / medianNorm[layers() - 2];
    }

    /** Geometric mean growth per layer from the last hidden layer down to layer 0: ratio^(1/(L−2)). */
    public double factorPerLayer() {
        int steps = layers() - 2;
        return steps < 1 ? Double.NaN : Math.pow(inputOverLastHidden(), 1.0 / steps);
    }

    /**
     * One line per layer, the input side first, with a bar on a log scale so that geometric growth
     * shows as a straight slope: length = 1 + round((W − 1) · log(v / min) / log(max / min)), W = 40
     * characters (the largest norm gets the full width).
     *
     * @param layerSizes the spec's layer sizes, to label each layer {@code nIn→nOut}
     */
    public String bars(List<Integer> layerSizes) {
        double min = Arrays.stream(medianNorm).filter(v -> v > 0 && Double.isFinite(v)).min().orElse(1);
        double max = Arrays.stream(medianNorm).filter(v -> v > 0 && Double.isFinite(v)).max().orElse(1);
        double logRange = Math.log(max / min);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "median raw gradient L2 per layer over the first %d iterations (bars: log scale)%n", iterations));
        for (int l = 0; l < layers(); l++) {
            double v = medianNorm[l];
            int len = !(v > 0 && Double.isFinite(v)) ? 0
                    : logRange == 0 ? BAR_WIDTH : 1 + (int) Math.round((BAR_WIDTH - 1) * Math.log(v / min) / logRange);
            sb.append(String.format(Locale.ROOT, "  layer %2d %5d->%-4d %10.3g  %s%n", l, layerSizes.get(l), layerSizes.get(l + 1),
                    v, "#".repeat(len)));
        }
        sb.append(String.format(Locale.ROOT, "  layer 0 / last hidden = %.3g  (x%.3g per layer toward the input)%n",
                inputOverLastHidden(), factorPerLayer()));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerGradientProfile p && p.iterations == iterations && Arrays.equals(p.medianNorm, medianNorm);
    }

    @Override
    public int hashCode() {
        return 31 * iterations + Arrays.hashCode(medianNorm);
    }

    @Override
    public String toString() {
        return "LayerGradientProfile[iterations=" + iterations + ", medianNorm=" + Arrays.toString(medianNorm) + "]";
    }
}
