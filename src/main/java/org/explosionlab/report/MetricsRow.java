package org.explosionlab.report;

import java.util.List;
import java.util.Map;

/**
 * One line of metrics.jsonl: the figures recorded for one iteration (see RUN_FILES.md). Boxed
 * fields are null when the line does not record them; a recorded non-finite value is NaN or ±∞.
 *
 * @param iteration          global iteration number
 * @param epoch              epoch number, null if not recorded
 * @param loss               mean mini-batch loss as DL4J reports it (its softmax cross-entropy clips each
 *                           probability at 1e-10, so one example adds at most 23.03)
 * @param lossExact          the exact cross-entropy of the same step ({@code loss_exact}), null if not recorded
 * @param lossSaturatedFraction fraction of the minibatch at DL4J's clip ({@code loss_saturated_fraction}),
 *                           null if not recorded
 * @param lr                 learning rate in force
 * @param gradGlobal         global gradient L2 norm before clipping, ‖g‖ = sqrt(Σ_p ‖g_p‖²)
 * @param gradGlobalClipped  global gradient L2 norm after clipping
 * @param clipThreshold      global clipping threshold in force, null when there is none
 * @param clipped            whether clipping changed the gradient this iteration
 * @param skipped            whether the update was skipped
 * @param gradNonfinite      number of non-finite gradient entries, null if not recorded
 * @param gradLayer          per-layer gradient L2 norm before clipping (index = layer)
 * @param updateRatio        per-parameter update:parameter ratio mean|Δθ| / mean|θ|
 */
public record MetricsRow(
        long iteration,
        Integer epoch,
        Double loss,
        Double lossExact,
        Double lossSaturatedFraction,
        Double lr,
        Double gradGlobal,
        Double gradGlobalClipped,
        Double clipThreshold,
        Boolean clipped,
        Boolean skipped,
        Double gradNonfinite,
        List<Double> gradLayer,
        Map<String, Double> updateRatio) {
}
