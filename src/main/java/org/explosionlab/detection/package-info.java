/** Judges a training run from its recorded per-iteration gradient numbers: non-finite values, explosions, collapse; pure Java, no ND4J. */
package org.explosionlab.detection;
