/** Remedies DL4J lacks (global-norm clipping, AGC, AutoClip, ZClip, skip-non-finite, spike skipping), as pure Java over the flattened gradient. */
package org.explosionlab.remedy;
