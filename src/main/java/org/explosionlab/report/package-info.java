/**
 * Reports rebuilt from a run's files: they read the records training writes (IterationMetrics,
 * RunSummary, Verdict) with one Jackson configuration ({@link org.explosionlab.report.RunJson}), stream
 * metrics.jsonl through min/max downsampling, and draw each chart once: interactive with uPlot (inlined)
 * in report.html / sweep.html, as a PNG with JFreeChart.
 */
package org.explosionlab.report;
