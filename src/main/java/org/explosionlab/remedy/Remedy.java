package org.explosionlab.remedy;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.monitor.GradientHook;
import org.explosionlab.monitor.HookedUpdater;

/**
 * A remedy DL4J lacks, installed on any initialised {@link MultiLayerNetwork} in one line, e.g.
 * {@code Remedies.globalNorm(1.0).installOn(net)}. It acts on the raw gradient before DL4J's updater
 * ({@link HookedUpdater}), so it composes with the network's own {@code GradientNormalization}, which
 * DL4J applies afterwards. Remedies run in the order they were installed; install
 * {@link Remedies#skipNonFinite} first.
 */
public abstract class Remedy implements GradientHook {

    /** Installs this remedy on {@code net} (keeping its updater configuration and state); returns this. */
    public final Remedy installOn(MultiLayerNetwork net) {
        HookedUpdater.installOn(net).add(this);
        return this;
    }
}
