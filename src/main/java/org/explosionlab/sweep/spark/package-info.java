/** Runs the points of a sweep as Apache Spark tasks, one independent DL4J training per task, and writes the same sweep directory as a local sweep. */
package org.explosionlab.sweep.spark;
