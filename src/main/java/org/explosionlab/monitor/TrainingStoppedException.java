package org.explosionlab.monitor;

import org.explosionlab.detection.ExplosionEvent;

/**
 * Thrown out of {@code net.fit(...)} by an {@link ExplosionMonitor} built with
 * {@link ExplosionMonitor.Builder#stopOn}: at the start of the step after the event (before DL4J's
 * updater runs), so the network keeps the parameters of the step that raised it — Keras'
 * {@code TerminateOnNaN} for DL4J, which has no other way for a listener to end {@code fit}.
 */
public final class TrainingStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ExplosionEvent event;

    TrainingStoppedException(ExplosionEvent event) {
        super("training stopped by the explosion monitor: " + event.kind().label() + " at iteration "
                + event.iteration() + " (" + event.message() + ")");
        this.event = event;
    }

    /** The event that stopped training. */
    public ExplosionEvent event() {
        return event;
    }
}
