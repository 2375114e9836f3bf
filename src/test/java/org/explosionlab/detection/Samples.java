package org.explosionlab.detection;

/** Builds {@link IterationSample}s for tests: no clipping, no skip, max|g| a tenth of the global norm. */
final class Samples {

    private Samples() {
    }

    /** A sample without per-layer norms. */
    static IterationSample global(long iteration, int epoch, double loss, double globalNorm) {
        return new IterationSample(iteration, epoch, loss, globalNorm, globalNorm, new double[0],
                globalNorm / 10, 0, false, false);
    }

    /** A sample whose global norm is given explicitly next to its layer norms. */
    static IterationSample layered(long iteration, int epoch, double loss, double globalNorm, double... layers) {
        return new IterationSample(iteration, epoch, loss, globalNorm, globalNorm, layers,
                globalNorm / 10, 0, false, false);
    }

    /** A sample whose global norm is sqrt(Σ layer²), as it is for a real network. */
    static IterationSample fromLayers(long iteration, int epoch, double loss, double... layers) {
        double sumOfSquares = 0;
        for (double l : layers) {
            sumOfSquares += l * l;
        }
        return layered(iteration, epoch, loss, Math.sqrt(sumOfSquares), layers);
    }
}
