/** Runs several specs one after another and compares them: the comparison table (console, Markdown, CSV) and the per-layer gradient profile. */
package org.explosionlab.sweep;
