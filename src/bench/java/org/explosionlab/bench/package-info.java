/**
 * Benchmarks and benchmark corpora, compiled only in the Maven profile {@code bench} (as test sources, so they never
 * reach the application jar): JMH 1.37 benchmarks of DL4J's training step of the seed model with and without the
 * {@link org.explosionlab.monitor.ExplosionMonitor} ({@link org.explosionlab.bench.FitBenchmark}) and of this
 * project's DL4J settings against DL4J's defaults ({@link org.explosionlab.bench.SettingsBenchmark}), run by
 * {@code bench/run-all.sh}; and the runners of the verdict table and the early-warning lead-time corpus.
 */
package org.explosionlab.bench;
