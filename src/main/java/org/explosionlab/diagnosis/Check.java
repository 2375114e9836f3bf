package org.explosionlab.diagnosis;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The checks a {@link Diagnosis} runs, each with a stable id (used in text, JSON and tests; never renamed) and the
 * DL4J issues or documents its rule comes from.
 */
public enum Check {
    /** The learning rate against the usual range of its updater family (SGD, momentum, Adam-like, AdaGrad). */
    LEARNING_RATE_RANGE("learning-rate-range", "deeplearning4j#1411, #4303, #4306, #10169; DL4J troubleshooting guide, 'Learning Rate'"),
    /** Features far from [0, 1] or z-scores (pixels 0-255, raw counts), or not finite. */
    UNNORMALIZED_INPUT("unnormalized-input", "deeplearning4j#3346; DL4J troubleshooting guide, 'Data Normalization'"),
    /** Feature columns with one value in the whole sample: a standard deviation of 0. */
    CONSTANT_FEATURE("constant-feature", "deeplearning4j#1646, #1890"),
    /** A normalizer that was fitted but is not the iterator's pre-processor, or one never fitted. */
    NORMALIZER_NOT_ATTACHED("normalizer-not-attached", "deeplearning4j#1666"),
    /** Regression targets far from unit scale under a squared or absolute error. */
    UNSCALED_REGRESSION_LABELS("unscaled-regression-labels", "deeplearning4j#4797, #2238"),
    /** Loss/activation pairs DL4J's OutputLayerUtil does not reject but that train badly or produce 0/0. */
    LOSS_ACTIVATION_MISMATCH("loss-activation-mismatch", "deeplearning4j#3247, PR #1268; org.deeplearning4j.util.OutputLayerUtil"),
    /** Labels that are not one-hot, a class index ≥ nOut, NaN or Inf anywhere (masked positions included). */
    LABELS_INVALID("labels-invalid", "deeplearning4j#3992"),
    /** Recurrent layers trained without DL4J gradient normalization. */
    RECURRENT_WITHOUT_CLIPPING("recurrent-without-clipping", "deeplearning4j#4488, #1585, #2536; DL4J troubleshooting guide, 'Gradient Normalization'"),
    /** dropOut(p) below 0.5: DL4J's p is the probability of keeping a unit, probably meant as a drop rate. */
    DROPOUT_RETAIN_PROBABILITY("dropout-retain-probability", "DL4J Javadoc of Layer.Builder.dropOut(double): 'probability of retaining each input activation value'"),
    /** An L2 (or weight decay) coefficient far above the usual 1e-6 to 1e-3. */
    L2_TOO_LARGE("l2-too-large", "DL4J troubleshooting guide, 'Regularization'; ND4J L2Regularization (before the updater) and WeightDecay (after it) Javadoc"),
    /** A weight init whose scale does not fit the layer's activation and fan-in. */
    INIT_ACTIVATION_MISMATCH("init-activation-mismatch", "Glorot & Bengio 2010; He et al. 2015; DL4J troubleshooting guide, 'Weight Initialization'"),
    /** Many saturating (tanh/sigmoid) layers in a row, without normalization between them. */
    DEEP_SATURATING_STACK("deep-saturating-stack", "DL4J troubleshooting guide, 'NaN, Not a Number issues'; Poole et al. 2016, Schoenholz et al. 2017"),
    /** One training step on a copy of the network: global gradient norm and update:parameter ratios. */
    FIRST_STEP_GRADIENT("first-step-gradient", "DL4J 'Visualizing Neural Network Training': update:parameter ratio about 1e-3 (log10 -3)");

    private final String id;
    private final String source;

    Check(String id, String source) {
        this.id = id;
        this.source = source;
    }

    /** The stable id, e.g. {@code learning-rate-range}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The DL4J issues and documents the check's rule comes from. */
    public String source() {
        return source;
    }

    /** The check with this id. */
    public static Check byId(String id) {
        for (Check c : values()) if (c.id.equals(id)) return c;
        throw new IllegalArgumentException("no check '" + id + "'");
    }
}
