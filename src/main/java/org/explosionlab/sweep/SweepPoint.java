package org.explosionlab.sweep;

import org.explosionlab.spec.ExperimentSpec;

/**
 * One run of a sweep.
 *
 * @param label the name shown in tables, e.g. {@code seed-baseline[weightInit=RELU,learningRate=0.1]}
 * @param spec  the resolved spec; its {@code name} is the label made safe for a directory name
 */
public record SweepPoint(String label, ExperimentSpec spec) {

    /** Directory of this run inside the sweep's output directory. */
    public String dirName() {
        return spec.name();
    }
}
