/** Training: runs DL4J's step with listeners and an instrumented updater that record every number the detector and report read. */
package org.explosionlab.training;
