package org.explosionlab.monitor;

/**
 * What a clipping rule did in one step.
 *
 * @param clipped   whether any element changed
 * @param threshold the global-norm threshold in force on the mean-loss scale (global_l2, autoclip), else NaN
 */
record ClipResult(boolean clipped, double threshold) {
    public static final ClipResult NOT_CLIPPED = new ClipResult(false, Double.NaN);
}
