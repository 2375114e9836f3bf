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
 * @param updateRms          Adam's update RMS (Wortsman et al. 2023, arXiv 2304.13013, the signal of their
 *                           StableAdamW): RMS = sqrt(mean_i g_i² / max(v̂_i, ε²)) over every parameter the
 *                           Adam-family updater (Adam, Nadam, AMSGrad) moves, g = the gradient the optimizer received
 *                           this step (mean-loss scale, after the remedies and DL4J's normalization, before L1/L2),
 *                           v̂ = the bias-corrected second moment v_t / (1 − β₂^t) read from the updater block's
 *                           {@code V} state at {@code iterationDone} (it already holds this step's g²), ε the
 *                           updater's epsilon. About 1 while v tracks g²; far above 1 when v under-estimates g²,
 *                           which Wortsman et al. see 1–8 iterations before a loss spike ({@link AdamUpdateRms}).
 *                           Null (absent) for other updaters and on a skipped step
 * @param updateRmsLayer     the same per layer, in {@link #gradL2Layer} order (NaN for a layer without Adam state)
 * @param updateCos          cos(−Δθ, −g) = Δθ·g / (‖Δθ‖ ‖g‖) between the step DL4J applied (θ ← θ − Δθ, read at
 *                           {@code iterationDone}) and the descent direction −g of the raw gradient (read at
 *                           {@code onGradientCalculation}): 1 for plain SGD, below 1 where momentum, Adam's
 *                           preconditioning, clipping or L1/L2 turn the step away from the descent direction.
 *                           Molybog et al. 2023 (arXiv 2304.09871) see the update become "essentially uncorrelated
 *                           with the direction of descent" before an instability ({@link UpdateCosine}). Null
 *                           (absent) on a skipped step or when an instrument is off
 * @param updateCosLayer     the same per layer
 * @param sharpness          directional sharpness of the loss on a fixed probe minibatch, d·Hd / d·Pd, by a
 *                           finite-difference Hessian-vector product Hd ≈ (∇L(θ + εd) − ∇L(θ)) / ε
 *                           ({@link DirectionalSharpness}): for SGD and momentum d = g (P = I: gᵀHg / ‖g‖², Cohen
 *                           et al. 2021); for Adam-family updaters the preconditioned value along the
 *                           preconditioned gradient, d = P⁻¹g with P = diag(sqrt(v̂) + ε) (Cohen et al. 2022, Bai
 *                           et al. 2025). Measured at {@code iterationDone} (θ after the step) every
 *                           {@code sharpnessEvery} recorded iterations; null (absent) otherwise
 * @param sharpnessLimit     the stability limit the sharpness is held against: 2/η for SGD, (2 + 2μ)/η for
 *                           Nesterov momentum μ, (2 + 2β₁)/((1 − β₁)η) for Adam (38/η at β₁ = 0.9); null when
 *                           no limit is known (other updaters) or with {@code sharpness}
 * @param gradNormZ          the spike score: (log ‖g‖ − mean) / std of log ‖g‖ over the previous
 *                           {@link GradNormSpikeScore#WINDOW} recorded iterations (raw gradient,
 *                           {@code gradL2Global}); OLMo 2 (arXiv 2501.00656) counts ≥ 7σ as a spike. Null (absent)
 *                           until {@link GradNormSpikeScore#MIN_HISTORY} finite norms were seen
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
        @JsonProperty("dead_unit_fraction") @JsonInclude(JsonInclude.Include.NON_NULL) double[] deadUnitFraction,
        @JsonProperty("update_rms") @JsonInclude(JsonInclude.Include.NON_NULL) Double updateRms,
        @JsonProperty("update_rms_layer") @JsonInclude(JsonInclude.Include.NON_NULL) double[] updateRmsLayer,
        @JsonProperty("update_cos") @JsonInclude(JsonInclude.Include.NON_NULL) Double updateCos,
        @JsonProperty("update_cos_layer") @JsonInclude(JsonInclude.Include.NON_NULL) double[] updateCosLayer,
        @JsonProperty("sharpness") @JsonInclude(JsonInclude.Include.NON_NULL) Double sharpness,
        @JsonProperty("sharpness_limit") @JsonInclude(JsonInclude.Include.NON_NULL) Double sharpnessLimit,
        @JsonProperty("grad_norm_z") @JsonInclude(JsonInclude.Include.NON_NULL) Double gradNormZ) {

    /** A row without the early-warning instruments (files and tests from before they existed). */
    public IterationMetrics(long iteration, int epoch, double loss, Double lossExact, Double lossSaturatedFraction,
                            Double batchAccuracy, double lr, double gradL2Global, double gradL2GlobalClipped,
                            double[] gradL2Layer, double[] gradL2LayerClipped, Map<String, Double> gradL2Param,
                            Map<String, Double> gradL2ParamClipped, double gradMaxAbs, double gradMaxAbsClipped,
                            long gradNonFinite, boolean clipped, boolean skipped, String skipReason, Double clipThreshold,
                            Map<String, Double> updateL2Param, Map<String, Double> updateParamRatio,
                            Map<String, Double> updateParamRatioL2, Map<String, Double> paramL2, double[] activationMean,
                            double[] activationStd, double[] deadUnitFraction) {
        this(iteration, epoch, loss, lossExact, lossSaturatedFraction, batchAccuracy, lr, gradL2Global, gradL2GlobalClipped,
                gradL2Layer, gradL2LayerClipped, gradL2Param, gradL2ParamClipped, gradMaxAbs, gradMaxAbsClipped, gradNonFinite,
                clipped, skipped, skipReason, clipThreshold, updateL2Param, updateParamRatio, updateParamRatioL2, paramL2,
                activationMean, activationStd, deadUnitFraction, null, null, null, null, null, null, null);
    }

    /**
     * The record's usual {@code Name[field=value, ...]} form, with the arrays printed by
     * {@link java.util.Arrays#toString(double[])} ({@code [0.1, 0.2]}) instead of the JVM's {@code [D@1b2c3d}.
     */
    @Override
    public String toString() {
        return "IterationMetrics[iteration=" + iteration + ", epoch=" + epoch + ", loss=" + loss + ", lossExact=" + lossExact
                + ", lossSaturatedFraction=" + lossSaturatedFraction + ", batchAccuracy=" + batchAccuracy + ", lr=" + lr
                + ", gradL2Global=" + gradL2Global + ", gradL2GlobalClipped=" + gradL2GlobalClipped
                + ", gradL2Layer=" + java.util.Arrays.toString(gradL2Layer)
                + ", gradL2LayerClipped=" + java.util.Arrays.toString(gradL2LayerClipped)
                + ", gradL2Param=" + gradL2Param + ", gradL2ParamClipped=" + gradL2ParamClipped + ", gradMaxAbs=" + gradMaxAbs
                + ", gradMaxAbsClipped=" + gradMaxAbsClipped + ", gradNonFinite=" + gradNonFinite + ", clipped=" + clipped
                + ", skipped=" + skipped + ", skipReason=" + skipReason + ", clipThreshold=" + clipThreshold
                + ", updateL2Param=" + updateL2Param + ", updateParamRatio=" + updateParamRatio
                + ", updateParamRatioL2=" + updateParamRatioL2 + ", paramL2=" + paramL2
                + ", activationMean=" + java.util.Arrays.toString(activationMean)
                + ", activationStd=" + java.util.Arrays.toString(activationStd)
                + ", deadUnitFraction=" + java.util.Arrays.toString(deadUnitFraction) + ", updateRms=" + updateRms
                + ", updateRmsLayer=" + java.util.Arrays.toString(updateRmsLayer) + ", updateCos=" + updateCos
                + ", updateCosLayer=" + java.util.Arrays.toString(updateCosLayer) + ", sharpness=" + sharpness
                + ", sharpnessLimit=" + sharpnessLimit + ", gradNormZ=" + gradNormZ + "]";
    }

    /** This row with the sharpness measured after it was built (at the same {@code iterationDone}). */
    IterationMetrics withSharpness(Double value, Double limit) {
        return new IterationMetrics(iteration, epoch, loss, lossExact, lossSaturatedFraction, batchAccuracy, lr, gradL2Global,
                gradL2GlobalClipped, gradL2Layer, gradL2LayerClipped, gradL2Param, gradL2ParamClipped, gradMaxAbs,
                gradMaxAbsClipped, gradNonFinite, clipped, skipped, skipReason, clipThreshold, updateL2Param, updateParamRatio,
                updateParamRatioL2, paramL2, activationMean, activationStd, deadUnitFraction, updateRms, updateRmsLayer,
                updateCos, updateCosLayer, value, limit, gradNormZ);
    }
}
