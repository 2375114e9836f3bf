/**
 * Speed benchmark of the seed model (784-128-64-10, Adam) in plain DL4J, run by
 * {@link org.explosionlab.bench.MonitorBenchmark} ({@code bench/run-bench.sh}). It measures, as ratios
 * taken in one run: what the {@link org.explosionlab.monitor.ExplosionMonitor} (and, for comparison,
 * DL4J's {@code StatsListener}) adds to DL4J's training step, in paired blocks in one JVM
 * ({@link org.explosionlab.bench.BlockPairs}); what this project's DL4J settings buy over DL4J's
 * out-of-the-box defaults, each in child JVMs of its own ({@link org.explosionlab.bench.Settings}); and
 * how far both are from the physical limit of the same model in numpy and PyTorch
 * ({@link org.explosionlab.bench.PythonReference}).
 */
package org.explosionlab.bench;
