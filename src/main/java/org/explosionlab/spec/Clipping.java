package org.explosionlab.spec;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Whole-network clipping rules that DL4J does not ship, applied to the raw gradient before DL4J's own
 * per-layer {@code GradientNormalization} (see {@code org.explosionlab.monitor}).
 */
public enum Clipping {
    /** No clipping beyond DL4J's own gradientNormalization. */
    NONE("none"),
    /** g ← g·min(1, τ/(‖g‖₂+1e-6)) over the whole network (torch clip_grad_norm_, tf.clip_by_global_norm). */
    GLOBAL_L2("global_l2"),
    /** Adaptive gradient clipping, unit-wise (Brock et al. 2021, "High-Performance Large-Scale Image Recognition Without Normalization"). */
    AGC("agc"),
    /** Global-norm clipping at the p-th percentile of all norms seen so far (Seetharaman et al. 2020, "AutoClip"). */
    AUTOCLIP("autoclip"),
    /** Global-norm clipping when the norm's z-score against an EMA of past norms exceeds a threshold (Kumar et al. 2025, "ZClip"). */
    ZCLIP("zclip");

    private final String json;

    Clipping(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
