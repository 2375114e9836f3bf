package org.explosionlab.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways a run can fail that {@link ExplosionDetector} recognises, each with what to try: the DL4J call
 * for a user's own program, and the {@code --set} key of the experiment spec for the CLI.
 */
public enum EventKind {
    /** A NaN or ±Infinity in the loss, a gradient element or the global gradient norm. */
    NONFINITE("nonfinite",
            "Try a 10x lower learning rate (DL4J: .updater(new Adam(lr / 10)); CLI: --set learningRate=...),"
                    + " clip the global norm (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2"
                    + " --set clipThreshold=1.0) or per layer (.gradientNormalization(GradientNormalization.ClipL2PerLayer);"
                    + " --set gradientNormalization=ClipL2PerLayer), or skip non-finite steps"
                    + " (Remedies.skipNonFinite(5).installOn(net); --set skipNonFinite=true)."),
    /** The global gradient norm far above its own recent median, or above an absolute ceiling. */
    EXPLOSION("explosion",
            "Try a 10x lower learning rate (DL4J: .updater(new Adam(lr / 10)), the same updater class; CLI: --set learningRate=...),"
                    + " clip the global norm (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2"
                    + " --set clipThreshold=1.0) or per layer (.gradientNormalization(GradientNormalization.ClipL2PerLayer);"
                    + " --set gradientNormalization=ClipL2PerLayer), or He init for ReLU layers"
                    + " (.weightInit(WeightInit.RELU); --set weightInit=RELU)."),
    /** Dead network: no gradient reaches the first layers and the loss sits at chance level. */
    COLLAPSE("collapse",
            "The ReLU units died after a too-large step: use He init (.weightInit(WeightInit.RELU); --set weightInit=RELU),"
                    + " a 10x lower learning rate (--set learningRate=...), and clip the global norm so that one spike"
                    + " cannot kill the network (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2"
                    + " --set clipThreshold=1.0)."),
    /** A layer's updates are too small to move its weights (update:parameter ratio far below DL4J's 1e-3). */
    VANISHING("vanishing",
            "Make the updates reach the layer: a learning-rate schedule that does not decay to nothing"
                    + " (a larger decay_steps or a floor; --set lrSchedule...), He init for ReLU or Glorot for tanh layers"
                    + " (.weightInit(WeightInit.RELU); --set weightInit=RELU), fewer saturating activations, or an"
                    + " adaptive updater (.updater(new Adam(1e-3)); --set updater=ADAM)."),
    /** The loss stopped improving while the network is still far from what it reaches when healthy. */
    STALLED("stalled",
            "Check the update:parameter ratios (DL4J's guidance: about 1e-3): far above, lower the learning rate or"
                    + " shorten the steps (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2); far below,"
                    + " raise it or use Adam (.updater(new Adam(1e-3)); --set updater=ADAM). A loss that does not"
                    + " match the output (MSE on a softmax) also stalls: use cross-entropy (LossFunction.MCXENT)."),
    /**
     * A remedy kept an explosion from the weights on most steps, but its cause is still there: the raw gradient
     * stayed far above what the remedy let through.
     */
    CONTAINED("contained",
            "The clipping works, the cause remains: treat the cause, then keep the clip as a guard. Large from the first"
                    + " step: the initial weights (He init for ReLU layers, .weightInit(WeightInit.RELU); --set weightInit=RELU);"
                    + " growing later: the learning rate (10x lower; --set learningRate=...)."),
    /** Most units of a ReLU-family layer output zero for every example: the layer lost its capacity. */
    DEAD_UNITS("dead_units",
            "ReLU units died, usually after too-large steps: a 10x lower learning rate (--set learningRate=...), He init"
                    + " (.weightInit(WeightInit.RELU); --set weightInit=RELU), or a leaky ReLU (.activation(Activation.LEAKYRELU))."),
    /** A layer's updates are far larger than DL4J's 1e-3 update:parameter guidance. */
    LARGE_UPDATES("large_updates",
            "Each step rewrites a large part of the layer's weights: lower the learning rate (10x; --set learningRate=...)"
                    + " or shorten the steps with a clip (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2)."),
    /** The run ended without learning: its accuracy (or loss) at the end is no better than near chance. */
    NOT_LEARNING("not_learning",
            "Check the update:parameter ratios (DL4J's guidance: about 1e-3): far above, lower the learning rate; far"
                    + " below, raise it or use Adam (.updater(new Adam(1e-3)); --set updater=ADAM); train longer if the"
                    + " loss is still falling.");

    private final String label;
    private final String remedy;

    EventKind(String label, String remedy) {
        this.label = label;
        this.remedy = remedy;
    }

    /** The lower-case name used in JSON and on the command line. */
    @JsonValue
    public String label() {
        return label;
    }

    /** One sentence: what to try after an event of this kind. */
    public String remedy() {
        return remedy;
    }

    /** Parses a label ({@code nonfinite}, {@code explosion}, {@code collapse}, {@code vanishing}, {@code stalled}, ...), ignoring case. */
    @JsonCreator
    public static EventKind fromLabel(String label) {
        for (EventKind kind : values()) {
            if (kind.label.equals(label == null ? null : label.trim().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown event kind '" + label + "': use one of "
                + Arrays.stream(values()).map(EventKind::label).collect(Collectors.joining(", ")));
    }
}
