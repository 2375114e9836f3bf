package org.explosionlab.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Everything recorded for one iteration — one line of {@code metrics.jsonl}. All gradient figures are
 * on the <b>mean-loss scale</b> (what PyTorch and Keras report): DL4J's raw minibatch-sum gradient
 * divided by the minibatch size k. Where in DL4J's step each figure is taken:
 *
 * @param iteration          DL4J's iteration counter (0-based) of this step
 * @param epoch              DL4J's epoch counter (0-based)
 * @param loss               minibatch loss DL4J computed in the forward pass ({@code model.score()}: mean
 *                           cross-entropy + L1/L2 terms), before the update. For softmax + MCXENT / NLL
 *                           DL4J clips each probability to [1e-10, 1 − 1e-10], so one example adds at most
 *                           −ln 1e-10 = 23.03: with exploded logits this under-reads the loss
 * @param lossExact          the same minibatch loss without the clip: mean cross-entropy from the output
 *                           layer's pre-activations z = a·W + b of this step's forward pass (parameters before
 *                           the update, labels of the minibatch), computed in double with the max-subtracted
 *                           log-sum-exp, Σ_i (lse(z_i) − z_i,true) / k, <em>plus the same L1/L2 term DL4J's
 *                           {@code loss} holds</em> (0 without regularisation), so it equals {@code loss}
 *                           to float32 rounding (~1e-6 relative) whenever no example saturates. Taken at
 *                           {@code onBackwardPass}, after backprop and DL4J's score, before the updater, from
 *                           the output layer's input (after its dropout); no second forward pass
 *                           ({@link ExactLoss}). Null (absent from metrics.jsonl) when the output layer is not
 *                           a DL4J {@code OutputLayer} with softmax and MCXENT / NEGATIVELOGLIKELIHOOD
 * @param lossSaturatedFraction fraction of the minibatch's k examples whose true-class probability hit
 *                           DL4J's clip: p_true ≤ (float) softmaxClipEps (1e-10 by default), p = the float32
 *                           softmax of the same z, compared in float32 as DL4J compares it. Such an example's
 *                           term in {@code loss} is exactly 23.03 whatever its true value
 *                           ({@code lossExact} − {@code loss} is what the clip hid). Same point, same null
 *                           case as {@code lossExact}
 * @param batchAccuracy      fraction of the minibatch whose largest output-layer pre-activation is the true
 *                           class (argmax z = argmax y), from this step's forward pass before the update: the
 *                           training accuracy on the minibatch. Taken at {@code onBackwardPass} from the same z
 *                           as {@code lossExact} ({@link BatchAccuracy}). Null (absent) when the output layer is
 *                           not a DL4J {@code OutputLayer} with ≥ 2 outputs and softmax, sigmoid, tanh or identity
 * @param lr                 learning rate the updater used at this iteration/epoch (schedule applied)
 * @param gradL2Global       ‖g‖₂ of the <em>raw</em> gradient (backprop output, before any clipping), whole network
 * @param gradL2GlobalClipped ‖g‖₂ of the gradient the optimizer received: after this project's remedies,
 *                           DL4J's ÷k and DL4J's GradientNormalization (before L1/L2 and the optimizer)
 * @param gradL2Layer        raw ‖g‖₂ per layer (W and b together)
 * @param gradL2LayerClipped the same after clipping/normalization
 * @param gradL2Param        raw ‖g‖₂ per parameter key
 * @param gradL2ParamClipped the same after clipping/normalization
 * @param gradMaxAbs         raw max |g| over finite elements
 * @param gradMaxAbsClipped  max |g| after clipping/normalization
 * @param gradNonFinite      raw count of NaN/±Inf gradient elements
 * @param clipped            whether any clipping or normalization rule changed the gradient this step
 * @param skipped            whether a remedy dropped this step's update (skip-non-finite or spike skipping)
 * @param skipReason         why, when {@code skipped}: {@code nonfinite} (skip-non-finite), {@code loss_spike},
 *                           {@code grad_norm_spike} or {@code loss_and_grad_norm_spike} (spike skipping); else null
 * @param clipThreshold      global-norm threshold in force (global_l2, autoclip), else null
 * @param updateL2Param      ‖Δθ‖₂ per parameter of the update DL4J applied (params −= Δθ), read at
 *                           {@code iterationDone}
 * @param updateParamRatio   mean|Δθ| / mean|θ| per parameter (the ratio DL4J's training UI charts;
 *                           ~1e-3 is healthy), θ = the parameters the step started from
 * @param updateParamRatioL2 ‖Δθ‖₂ / ‖θ‖₂ per parameter, same θ
 * @param paramL2            ‖θ‖₂ per parameter, the parameters the step started from
 * @param activationMean     mean activation per layer output (forward pass), when enabled
 * @param activationStd      standard deviation of activations per layer output, when enabled
 * @param deadUnitFraction   per ReLU-family layer (ReLU, ReLU6, rectified tanh, thresholded ReLU; not the output
 *                           layer), in DL4J's layer order: the fraction of its units (dense: columns; convolution,
 *                           recurrent: channels) whose output was 0 for every example of the last
 *                           {@code deadUnitWindow} (50) recorded minibatches, or of all recorded so far while fewer.
 *                           Read at {@code onForwardPass} from the activations DL4J hands the listeners (this step's
 *                           forward pass, parameters before the update). Null (absent) when the network has no such
 *                           layer
 */
public record IterationMetrics(
        @JsonProperty("iteration") long iteration,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("loss") double loss,
        @JsonProperty("loss_exact") @JsonInclude(JsonInclude.Include.NON_NULL) Double lossExact,
        @JsonProperty("loss_saturated_fraction") @JsonInclude(JsonInclude.Include.NON_NULL) Double lossSaturatedFraction,
        @JsonProperty("batch_accuracy") @JsonInclude(JsonInclude.Include.NON_NULL) Double batchAccuracy,
        @JsonProperty("lr") double lr,
        @JsonProperty("grad_l2_global") double gradL2Global,
        @JsonProperty("grad_l2_global_clipped") double gradL2GlobalClipped,
        @JsonProperty("grad_l2_layer") double[] gradL2Layer,
        @JsonProperty("grad_l2_layer_clipped") double[] gradL2LayerClipped,
        @JsonProperty("grad_l2_param") Map<String, Double> gradL2Param,
        @JsonProperty("grad_l2_param_clipped") Map<String, Double> gradL2ParamClipped,
        @JsonProperty("grad_max_abs") double gradMaxAbs,
        @JsonProperty("grad_max_abs_clipped") double gradMaxAbsClipped,
        @JsonProperty("grad_nonfinite") long gradNonFinite,
        @JsonProperty("clipped") boolean clipped,
        @JsonProperty("skipped") boolean skipped,
        @JsonProperty("skip_reason") String skipReason,
        @JsonProperty("clip_threshold") Double clipThreshold,
        @JsonProperty("update_l2_param") Map<String, Double> updateL2Param,
        @JsonProperty("update_param_ratio") Map<String, Double> updateParamRatio,
        @JsonProperty("update_param_ratio_l2") Map<String, Double> updateParamRatioL2,
        @JsonProperty("param_l2") Map<String, Double> paramL2,
        @JsonProperty("activation_mean") @JsonInclude(JsonInclude.Include.NON_NULL) double[] activationMean,
        @JsonProperty("activation_std") @JsonInclude(JsonInclude.Include.NON_NULL) double[] activationStd,
        @JsonProperty("dead_unit_fraction") @JsonInclude(JsonInclude.Include.NON_NULL) double[] deadUnitFraction) {
}
