package org.explosionlab.training;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The headline numbers of a run.
 *
 * @param testAccuracy      DL4J {@code Evaluation.accuracy()} on the test split after training
 * @param trainSeconds      wall time of the training loop (data prepared, evaluation excluded)
 * @param examplesPerSecond training examples processed per second of {@code trainSeconds}
 * @param iterations        optimizer steps taken
 * @param epochsCompleted   epochs run to their end
 * @param stoppedEarly      whether a stop rule ended training before the last epoch
 * @param stopReason        why, when it did
 * @param finalLoss         loss of the last recorded iteration
 * @param maxGradL2Global   largest raw global gradient norm recorded (mean-loss scale; NaN if any was non-finite)
 * @param skippedSteps      steps whose update a remedy dropped (skip-non-finite + spike skipping), counted by the
 *                          remedies on every step (also the ones metricsEvery does not record)
 * @param skippedNonFinite  of those, dropped by skip-non-finite (NaN/Inf gradient)
 * @param skippedSpike      of those, dropped by spike skipping (loss or raw norm &gt; σ standard deviations above the window's mean)
 * @param peakRssMiB        peak resident memory of the process when the run ended ({@code VmHWM}; Java heap,
 *                          ND4J's off-heap buffers and native libraries; -1 where /proc is unavailable)
 */
public record RunResults(
        @JsonProperty("test_accuracy") double testAccuracy,
        @JsonProperty("train_seconds") double trainSeconds,
        @JsonProperty("examples_per_second") double examplesPerSecond,
        @JsonProperty("iterations") long iterations,
        @JsonProperty("epochs_completed") int epochsCompleted,
        @JsonProperty("stopped_early") boolean stoppedEarly,
        @JsonProperty("stop_reason") String stopReason,
        @JsonProperty("final_loss") double finalLoss,
        @JsonProperty("max_grad_l2_global") double maxGradL2Global,
        @JsonProperty("skipped_steps") long skippedSteps,
        @JsonProperty("skipped_nonfinite_steps") long skippedNonFinite,
        @JsonProperty("skipped_spike_steps") long skippedSpike,
        @JsonProperty("peak_rss_mib") double peakRssMiB) {
}
