/** Remedies DL4J lacks (global-norm clipping, AGC, AutoClip, skip-non-finite), as pure Java over the flattened gradient. */
package org.explosionlab.remedy;
