/** Training: runs DL4J's step with listeners and an instrumented updater that record every number the detector and report read; its files go through {@code run}. */
package org.explosionlab.training;
