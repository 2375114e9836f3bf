package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways a run can fail that {@link ExplosionDetector} recognises, each with what to try
 * ({@code --set} keys are those of the experiment spec).
 */
public enum EventKind {
    /** A NaN or ±Infinity in the loss, a gradient element or the global gradient norm. */
    NONFINITE("nonfinite",
            "Try a 10x lower learning rate (--set learningRate=...), clip the global norm"
                    + " (--set clipping=global_l2 --set clipThreshold=1.0) or per layer"
                    + " (--set gradientNormalization=ClipL2PerLayer), or skip non-finite steps"
                    + " (--set skipNonFinite=true)."),
    /** The global gradient norm far above its own recent median, or above an absolute ceiling. */
    EXPLOSION("explosion",
            "Try a 10x lower learning rate (--set learningRate=...), clip the global norm"
                    + " (--set clipping=global_l2 --set clipThreshold=1.0) or per layer"
                    + " (--set gradientNormalization=ClipL2PerLayer), or He init for ReLU layers"
                    + " (--set weightInit=RELU)."),
    /** Dead network: no gradient reaches the first layers and the loss sits at chance level. */
    COLLAPSE("collapse",
            "The ReLU units died after a too-large step: use He init (--set weightInit=RELU), a 10x lower"
                    + " learning rate (--set learningRate=...), and clip the global norm so that one spike"
                    + " cannot kill the network (--set clipping=global_l2 --set clipThreshold=1.0).");

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

    /** Parses a label ({@code nonfinite}, {@code explosion}, {@code collapse}), ignoring case. */
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
