package org.explosionlab.detection;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which detected events end training early: Keras' {@code TerminateOnNaN} generalised to all three
 * event kinds. The training loop asks {@link #shouldStop(ExplosionEvent)} for every event
 * {@link ExplosionDetector#observe(IterationSample)} returns.
 *
 * @param stopOn the kinds that stop training; empty = never stop
 */
public record EarlyStopPolicy(@JsonProperty("stop_on") Set<EventKind> stopOn) {

    public EarlyStopPolicy {
        Objects.requireNonNull(stopOn, "stopOn: pass an empty set to never stop");
        stopOn = Collections.unmodifiableSet(stopOn.isEmpty()
                ? EnumSet.noneOf(EventKind.class) : EnumSet.copyOf(stopOn));
    }

    /** Train to the end whatever happens. */
    public static EarlyStopPolicy none() {
        return new EarlyStopPolicy(EnumSet.noneOf(EventKind.class));
    }

    /** Stop on the first event of any of these kinds. */
    public static EarlyStopPolicy onAny(EventKind... kinds) {
        return new EarlyStopPolicy(Set.copyOf(Arrays.asList(kinds)));
    }

    /** Stop on the first event of any of these kinds, given by label (the spec's {@code stopOn} list). */
    public static EarlyStopPolicy onLabels(Collection<String> labels) {
        EnumSet<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (String label : labels) {
            kinds.add(EventKind.fromLabel(label));
        }
        return new EarlyStopPolicy(kinds);
    }

    /** Whether training should stop because of this event. */
    public boolean shouldStop(ExplosionEvent event) {
        return stopOn.contains(event.kind());
    }
}
