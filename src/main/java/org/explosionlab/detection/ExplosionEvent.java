package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.explosionlab.spec.EventKind;

/**
 * One detected failure of a run, at its first occurrence.
 *
 * <p>In JSON the trigger figures are numbers; a non-finite figure (a NaN loss, an infinite norm) is
 * written by Jackson as the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"}
 * (its default {@code JsonWriteFeature.WRITE_NAN_AS_STRINGS}), which keeps the file valid JSON and
 * reads back into a {@code double}.
 *
 * @param kind       what happened
 * @param iteration  first iteration of the event (for a collapse: the first iteration of the dead stretch)
 * @param epoch      the epoch of that iteration
 * @param layerFirst the layer whose gradient grew first: of the layers whose norm exceeded
 *                   {@code factor ×} its own recent median at the event, the one whose uninterrupted
 *                   run of such iterations began earliest (ties: the layer nearest the input);
 *                   null when no layer grew by the factor, and for a collapse
 * @param layerMost  of those same layers, the one with the largest norm / recent-median ratio
 *                   (a non-finite layer norm counts as an infinite ratio; ties: nearest the input)
 * @param trigger    the figures that triggered the event, name → number, in a stable order
 * @param message    one line: what happened and what to try
 * @param recoveredAt for an explosion: the first iteration of the stretch of {@code recoveryWindow} healthy
 *                   samples after it (training went on normally from there), null while it has not
 *                   recovered (or relapsed after recovering), and for the other kinds
 * @param advice     what to do, fitted to the network (its updater and learning rate, whether it already clips,
 *                   its layer types): a DL4J call and a {@code --set}; null in files written before advice was
 *                   recorded ({@link #adviceOrDefault()} then gives the kind's generic remedy)
 * @param layer      how DL4J names the layer of {@code layerMost} ({@code layer 5 (OutputLayer)}, {@code layer "dense"
 *                   (DenseLayer)}), null when the event names none
 */
@JsonPropertyOrder({"kind", "iteration", "epoch", "layer_first", "layer_most", "layer", "trigger", "message", "advice", "recovered_at"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExplosionEvent(
        @JsonProperty("kind") EventKind kind,
        @JsonProperty("iteration") long iteration,
        @JsonProperty("epoch") int epoch,
        @JsonProperty("layer_first") Integer layerFirst,
        @JsonProperty("layer_most") Integer layerMost,
        @JsonProperty("trigger") Map<String, Double> trigger,
        @JsonProperty("message") String message,
        @JsonProperty("recovered_at") Long recoveredAt,
        @JsonProperty("advice") String advice,
        @JsonProperty("layer") String layer) {

    /** An event that has not recovered (or cannot: every kind but explosion). */
    public ExplosionEvent(EventKind kind, long iteration, int epoch, Integer layerFirst, Integer layerMost,
                          Map<String, Double> trigger, String message) {
        this(kind, iteration, epoch, layerFirst, layerMost, trigger, message, null, null, null);
    }

    /** An event that has not recovered, with its advice and the DL4J name of its layer. */
    public ExplosionEvent(EventKind kind, long iteration, int epoch, Integer layerFirst, Integer layerMost,
                          Map<String, Double> trigger, String message, String advice, String layer) {
        this(kind, iteration, epoch, layerFirst, layerMost, trigger, message, null, advice, layer);
    }

    /** The advice, or the kind's generic remedy for an event read from an older file. */
    public String adviceOrDefault() {
        return advice == null ? kind.remedy() : advice;
    }

    @JsonCreator
    public ExplosionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        trigger = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(trigger, "trigger")));
    }

    /** This event with more trigger figures appended (an existing name keeps its place, gets the new value). */
    public ExplosionEvent withTrigger(Map<String, Double> more) {
        Map<String, Double> merged = new LinkedHashMap<>(trigger);
        merged.putAll(more);
        return new ExplosionEvent(kind, iteration, epoch, layerFirst, layerMost, merged, message, recoveredAt, advice, layer);
    }

    /** This event, recovered from {@code iteration} on (null: not recovered). */
    public ExplosionEvent withRecoveredAt(Long iteration) {
        return new ExplosionEvent(kind, this.iteration, epoch, layerFirst, layerMost, trigger, message, iteration, advice, layer);
    }

    /** The trigger key set (to 1) on a non-finite event whose step a remedy skipped: the weights stayed finite. */
    public static final String SKIPPED = "skipped";

    /** True for a non-finite event whose step a remedy skipped ({@link #SKIPPED}): the weights stayed finite. */
    public boolean skippedStep() {
        return kind == EventKind.NONFINITE && trigger.containsKey(SKIPPED);
    }

    /** Whether this is an explosion that training recovered from. */
    public boolean recovered() {
        return recoveredAt != null;
    }
}
