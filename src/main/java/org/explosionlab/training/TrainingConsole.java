package org.explosionlab.training;

import java.util.function.Consumer;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Warning;
import org.explosionlab.monitor.IterationMetrics;

/**
 * What a {@link Trainer} run shows its user while it trains: the command line prints it for people
 * ({@code cli.ConsolePrinter}); the library prints nothing itself and logs events and warnings through SLF4J.
 */
@FunctionalInterface
public interface TrainingConsole {

    /**
     * Called once before the first step of a run that shows progress ({@link RunOptions#consoleEvery()} &gt; 0).
     *
     * @param consoleEvery    the run's {@link RunOptions#consoleEvery()}: a plain line every this many iterations
     * @param totalIterations epochs x minibatches per epoch
     * @return the sink of every recorded row
     */
    Consumer<IterationMetrics> progress(int consoleEvery, long totalIterations, int epochs, int batchSize);

    /** An event the monitor's detector raised (each one, as it is raised). */
    default void event(ExplosionEvent event) {
    }

    /** An early warning the monitor raised. */
    default void warning(Warning warning) {
    }
}
