/**
 * The exploding-gradient monitor any DL4J {@code MultiLayerNetwork} can attach in one line
 * ({@link org.explosionlab.monitor.ExplosionMonitor#attach}): a training listener that records the
 * gradient, update and parameter figures of each step ({@link org.explosionlab.monitor.IterationMetrics})
 * and judges them, and the {@link org.explosionlab.monitor.HookedUpdater} through which remedies act.
 */
package org.explosionlab.monitor;
