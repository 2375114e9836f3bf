/**
 * The library a DL4J user takes home: {@link org.explosionlab.monitor.ExplosionMonitor}, a training listener for any
 * {@code MultiLayerNetwork} or {@code ComputationGraph} that records each step
 * ({@link org.explosionlab.monitor.IterationMetrics}) and judges it (a {@link org.explosionlab.detection.Verdict});
 * {@link org.explosionlab.monitor.ExplosionAssertions} for regression tests; {@link org.explosionlab.monitor.Remedies}
 * (the clipping and skipping rules DL4J lacks, each a {@link org.explosionlab.monitor.Remedy}); and
 * {@link org.explosionlab.monitor.TrainingStoppedException}. With the detection package's {@code Verdict},
 * {@code ExplosionEvent}, {@code EventKind} and {@code DetectorConfig}, these are the types a user imports.
 *
 * <p>The machinery is package-private: the hooked updaters through which remedies act on the raw gradient
 * ({@code UpdaterHooks}, {@code HookedUpdater}, {@code Network.HookedGraphUpdater}), the parameter layout and
 * gradient statistics, the clipping rules themselves. {@code RemedyChain} (a spec's remedies and their checkpoint
 * state) and the metrics file writers are public for this project's own training loop.
 */
package org.explosionlab.monitor;
