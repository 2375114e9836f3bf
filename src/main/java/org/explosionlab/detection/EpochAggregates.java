package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One epoch of a run in a few numbers, from its recorded iterations.
 *
 * <p>Median and p99 are {@link NumpyPercentile} (numpy's default linear interpolation between closest
 * ranks) over the finite raw global norms; non-finite norms are left out of them and counted in
 * {@code nonfiniteIterations}. The max is taken over all norms but NaN, so it is +Infinity when a
 * norm overflowed. A statistic with no value to take it over is NaN, which Jackson writes as the
 * string {@code "NaN"}.
 *
 * @param epoch                 the epoch (0-based)
 * @param iterations            recorded iterations in the epoch
 * @param gradL2GlobalMedian    median of the finite global norms (before clipping)
 * @param gradL2GlobalP99       99th percentile of the finite global norms
 * @param gradL2GlobalMax       largest global norm, NaN ignored
 * @param clipFraction          fraction of iterations where clipping changed the gradient
 * @param nonfiniteIterations   iterations with a non-finite loss, gradient element or norm ({@link IterationSample#hasNonFinite()})
 * @param skippedIterations     iterations whose update was skipped
 * @param meanLoss              mean of the finite losses
 */
@JsonPropertyOrder({"epoch", "iterations", "grad_l2_global_median", "grad_l2_global_p99", "grad_l2_global_max",
        "clip_fraction", "nonfinite_iterations", "skipped_iterations", "mean_loss"})
public record EpochAggregates(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("iterations") long iterations,
        @JsonProperty("grad_l2_global_median") double gradL2GlobalMedian,
        @JsonProperty("grad_l2_global_p99") double gradL2GlobalP99,
        @JsonProperty("grad_l2_global_max") double gradL2GlobalMax,
        @JsonProperty("clip_fraction") double clipFraction,
        @JsonProperty("nonfinite_iterations") long nonfiniteIterations,
        @JsonProperty("skipped_iterations") long skippedIterations,
        @JsonProperty("mean_loss") double meanLoss) {

    /**
     * {@link #perEpoch} fed one sample at a time, for samples in run order (epochs never decrease): it holds the
     * samples of the epoch in progress only, the finished epochs as their aggregates, so a run's memory for them
     * is bounded by one epoch. {@link #aggregates()} equals {@code perEpoch} of every sample added.
     */
    public static final class Accumulator {
        private final List<EpochAggregates> done = new ArrayList<>();
        private final List<IterationSample> current = new ArrayList<>();

        public void add(IterationSample s) {
            if (!current.isEmpty() && s.epoch() != current.get(0).epoch()) {
                if (s.epoch() < current.get(0).epoch()) {
                    throw new IllegalArgumentException("iteration " + s.iteration() + " of epoch " + s.epoch() + " after epoch "
                            + current.get(0).epoch() + ": feed samples in run order");
                }
                done.add(of(current.get(0).epoch(), current));
                current.clear();
            }
            current.add(s);
        }

        /** Aggregates per epoch so far, in ascending epoch order (the epoch in progress included). */
        public List<EpochAggregates> aggregates() {
            List<EpochAggregates> all = new ArrayList<>(done);
            if (!current.isEmpty()) all.add(of(current.get(0).epoch(), current));
            return all;
        }
    }

    /** Aggregates per epoch, in ascending epoch order. */
    public static List<EpochAggregates> perEpoch(Collection<IterationSample> samples) {
        Map<Integer, List<IterationSample>> byEpoch = new TreeMap<>();
        for (IterationSample s : samples) {
            byEpoch.computeIfAbsent(s.epoch(), e -> new ArrayList<>()).add(s);
        }
        List<EpochAggregates> result = new ArrayList<>(byEpoch.size());
        byEpoch.forEach((epoch, list) -> result.add(of(epoch, list)));
        return result;
    }

    /**
     * Aggregates of one epoch.
     *
     * @throws IllegalArgumentException when there are no samples or one belongs to another epoch
     */
    public static EpochAggregates of(int epoch, Collection<IterationSample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("epoch " + epoch + " has no recorded iterations to aggregate");
        }
        double[] finiteNorms = new double[samples.size()];
        int finiteCount = 0;
        double max = Double.NaN;
        long clipped = 0;
        long nonFinite = 0;
        long skipped = 0;
        double lossSum = 0;
        long lossCount = 0;
        for (IterationSample s : samples) {
            if (s.epoch() != epoch) {
                throw new IllegalArgumentException("iteration " + s.iteration() + " belongs to epoch " + s.epoch()
                        + ", not " + epoch + ": group samples by epoch first (see perEpoch)");
            }
            double g = s.gradL2Global();
            if (Double.isFinite(g)) {
                finiteNorms[finiteCount++] = g;
            }
            if (!Double.isNaN(g)) {
                max = Double.isNaN(max) ? g : Math.max(max, g);
            }
            clipped += s.clipped() ? 1 : 0;
            skipped += s.skipped() ? 1 : 0;
            nonFinite += s.hasNonFinite() ? 1 : 0;
            if (Double.isFinite(s.loss())) {
                lossSum += s.loss();
                lossCount++;
            }
        }
        double[] sorted = Arrays.copyOf(finiteNorms, finiteCount);
        Arrays.sort(sorted);
        long n = samples.size();
        return new EpochAggregates(epoch, n, NumpyPercentile.of(sorted, 50), NumpyPercentile.of(sorted, 99), max,
                (double) clipped / n, nonFinite, skipped, lossCount == 0 ? Double.NaN : lossSum / lossCount);
    }
}
