package org.explosionlab.report;

/**
 * A chart with the sentence that tells a reader what it shows.
 *
 * @param chart   the chart
 * @param caption what it shows and how to read it
 */
public record Figure(ChartModel chart, String caption) {
}
