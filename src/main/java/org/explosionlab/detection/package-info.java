/**
 * Judges a training run from its recorded per-iteration numbers, pure Java, no ND4J: non-finite values and
 * explosions on the raw gradient, contained explosions, collapse, dead units, large and vanishing updates, stalls and
 * runs that did not learn ({@link org.explosionlab.detection.ExplosionDetector}), at any run length. Users meet its
 * results: {@link org.explosionlab.detection.Verdict} with its {@code Kind}, {@link org.explosionlab.detection.ExplosionEvent},
 * {@link org.explosionlab.spec.EventKind} and the thresholds {@link org.explosionlab.detection.DetectorConfig}.
 */
package org.explosionlab.detection;
