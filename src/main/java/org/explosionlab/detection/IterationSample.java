package org.explosionlab.detection;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the training listeners recorded for one iteration, on the mean-loss scale (the scale
 * PyTorch and Keras report: the loss is the minibatch mean, its gradient is the gradient of that
 * mean). The detector's only input.
 *
 * @param iteration           the optimizer step counter, strictly increasing within one run
 * @param epoch               the epoch the iteration belongs to (0-based)
 * @param loss                minibatch mean loss; may be NaN or ±Infinity
 * @param gradL2Global        ‖g‖₂ over the whole network, before any clipping
 * @param gradL2GlobalClipped ‖g‖₂ over the whole network after clipping (equal to the raw norm when nothing clipped)
 * @param gradL2Layer         ‖g_l‖₂ per layer (weights and bias together), index 0 = first hidden layer;
 *                            an empty array when per-layer norms were not recorded
 * @param gradMaxAbs          max |g_i| over all gradient elements
 * @param gradNonFinite       number of gradient elements that are NaN or ±Infinity
 * @param clipped             whether a clipping rule changed the gradient
 * @param skipped             whether the update was skipped (for instance a non-finite gradient)
 * @param batchAccuracy       fraction of the minibatch the network classified right in this step's forward
 *                            pass (before the update); NaN when not recorded (not a classifier)
 * @param updateRatioLayer    per layer, DL4J's update:parameter ratio mean|Δθ| / mean|θ| of the layer's
 *                            weights (its largest parameter array), as DL4J's training UI charts it; an empty
 *                            array when not recorded
 * @param lr                  the learning rate the updater used at this step (NaN when unknown)
 * @param deadUnitFraction    per ReLU-family layer ({@link NetworkFacts#deadUnitLabels()}), the fraction of its units
 *                            whose output was 0 for every example of the last {@code deadUnitWindow} recorded
 *                            minibatches (or of all recorded so far, when fewer); empty when not measured
 */
public record IterationSample(
        long iteration,
        int epoch,
        double loss,
        double gradL2Global,
        double gradL2GlobalClipped,
        double[] gradL2Layer,
        double gradMaxAbs,
        long gradNonFinite,
        boolean clipped,
        boolean skipped,
        double batchAccuracy,
        double[] updateRatioLayer,
        double lr,
        double[] deadUnitFraction) {

    /** A sample without the minibatch accuracy and the update ratios (NaN / empty). */
    public IterationSample(long iteration, int epoch, double loss, double gradL2Global, double gradL2GlobalClipped,
                           double[] gradL2Layer, double gradMaxAbs, long gradNonFinite, boolean clipped, boolean skipped) {
        this(iteration, epoch, loss, gradL2Global, gradL2GlobalClipped, gradL2Layer, gradMaxAbs, gradNonFinite,
                clipped, skipped, Double.NaN, new double[0], Double.NaN);
    }

    /** A sample without dead-unit fractions. */
    public IterationSample(long iteration, int epoch, double loss, double gradL2Global, double gradL2GlobalClipped,
                           double[] gradL2Layer, double gradMaxAbs, long gradNonFinite, boolean clipped, boolean skipped,
                           double batchAccuracy, double[] updateRatioLayer, double lr) {
        this(iteration, epoch, loss, gradL2Global, gradL2GlobalClipped, gradL2Layer, gradMaxAbs, gradNonFinite,
                clipped, skipped, batchAccuracy, updateRatioLayer, lr, new double[0]);
    }

    public IterationSample {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (gradNonFinite < 0) {
            throw new IllegalArgumentException("gradNonFinite counts elements and must be >= 0, got " + gradNonFinite);
        }
        Objects.requireNonNull(gradL2Layer,
                "gradL2Layer is null: pass an empty array when per-layer norms were not recorded");
        gradL2Layer = gradL2Layer.clone();
        updateRatioLayer = updateRatioLayer == null ? new double[0] : updateRatioLayer.clone();
        deadUnitFraction = deadUnitFraction == null ? new double[0] : deadUnitFraction.clone();
    }

    /** A copy of the per-ReLU-layer dead-unit fractions. */
    @Override
    public double[] deadUnitFraction() {
        return deadUnitFraction.clone();
    }

    /** Raw ‖g‖ / applied ‖g‖: how much the remedies shrank this step's gradient (+Infinity for a skipped step, 1 when nothing changed). */
    public double shrink() {
        if (skipped) return Double.POSITIVE_INFINITY;
        if (!clipped) return 1.0;
        return gradL2Global / gradL2GlobalClipped;
    }

    /** A copy of the per-layer update:parameter ratios. */
    @Override
    public double[] updateRatioLayer() {
        return updateRatioLayer.clone();
    }

    /** A copy of the per-layer norms (the record keeps its own copy, so it stays immutable). */
    @Override
    public double[] gradL2Layer() {
        return gradL2Layer.clone();
    }

    /** Number of per-layer norms recorded (0 when none were). */
    public int layerCount() {
        return gradL2Layer.length;
    }

    /** ‖g_l‖₂ of one layer, index 0 = first hidden layer. */
    public double layerNorm(int layer) {
        return gradL2Layer[layer];
    }

    /**
     * Whether this iteration produced a non-finite number anywhere: the loss, any gradient element,
     * the global norm (it can overflow even when every element is finite), max |g| or a layer norm.
     */
    public boolean hasNonFinite() {
        if (!Double.isFinite(loss) || gradNonFinite > 0
                || !Double.isFinite(gradL2Global) || !Double.isFinite(gradMaxAbs)) {
            return true;
        }
        for (double norm : gradL2Layer) {
            if (!Double.isFinite(norm)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IterationSample s
                && iteration == s.iteration && epoch == s.epoch
                && Double.compare(loss, s.loss) == 0
                && Double.compare(gradL2Global, s.gradL2Global) == 0
                && Double.compare(gradL2GlobalClipped, s.gradL2GlobalClipped) == 0
                && Arrays.equals(gradL2Layer, s.gradL2Layer)
                && Double.compare(gradMaxAbs, s.gradMaxAbs) == 0
                && gradNonFinite == s.gradNonFinite && clipped == s.clipped && skipped == s.skipped
                && Double.compare(batchAccuracy, s.batchAccuracy) == 0 && Arrays.equals(updateRatioLayer, s.updateRatioLayer)
                && Double.compare(lr, s.lr) == 0 && Arrays.equals(deadUnitFraction, s.deadUnitFraction);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(iteration, epoch, loss, gradL2Global, gradL2GlobalClipped, gradMaxAbs,
                gradNonFinite, clipped, skipped, batchAccuracy, lr) + Arrays.hashCode(gradL2Layer) * 17 + Arrays.hashCode(updateRatioLayer) + 7 * Arrays.hashCode(deadUnitFraction);
    }

    @Override
    public String toString() {
        return "IterationSample[iteration=" + iteration + ", epoch=" + epoch + ", loss=" + loss
                + ", gradL2Global=" + gradL2Global + ", gradL2GlobalClipped=" + gradL2GlobalClipped
                + ", gradL2Layer=" + Arrays.toString(gradL2Layer) + ", gradMaxAbs=" + gradMaxAbs
                + ", gradNonFinite=" + gradNonFinite + ", clipped=" + clipped + ", skipped=" + skipped
                + ", batchAccuracy=" + batchAccuracy + ", updateRatioLayer=" + Arrays.toString(updateRatioLayer) + ", lr=" + lr + ", deadUnitFraction=" + Arrays.toString(deadUnitFraction) + "]";
    }
}
