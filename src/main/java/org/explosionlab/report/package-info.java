/**
 * Turns a run directory's recorded files (metrics.jsonl, summary.json) into a self-contained
 * HTML report with inline SVG charts and PNG copies, and compares the runs of a sweep.
 */
package org.explosionlab.report;
