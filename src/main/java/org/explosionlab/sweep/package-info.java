/** Runs several specs, on worker threads of this JVM or on Spark ({@code sweep.spark}), and compares them: the comparison table (console, Markdown, CSV) and the per-layer gradient profile. */
package org.explosionlab.sweep;
