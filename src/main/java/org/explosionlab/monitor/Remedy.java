package org.explosionlab.monitor;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A remedy DL4J lacks, installed on an initialised {@link MultiLayerNetwork} or {@link ComputationGraph} in one
 * line, e.g. {@code Remedies.globalNorm(1.0).installOn(net)}; made by {@link Remedies}. It acts on the raw
 * gradient before DL4J's updater, so it composes with the network's own {@code GradientNormalization}, which
 * DL4J applies afterwards.
 *
 * <p><b>Order.</b> Remedies run in a fixed order, whatever order they were installed in: skip-non-finite
 * first (a NaN step is dropped before anything clips it), then spike skipping (on the raw norm), then the
 * clipping rules (in the order they were installed).
 *
 * <p><b>Not saved with the model.</b> DL4J's model file ({@code ModelSerializer.writeModel}, {@code net.save})
 * stores the updater's state, not its class, and DL4J cannot serialize the hook a remedy installs. A model
 * trained with a remedy loads in any plain DL4J program <em>without</em> it; to go on training with the
 * remedy, install it again after loading:
 * <pre>
 * MultiLayerNetwork net = MultiLayerNetwork.load(file, true);   // or ModelSerializer.restoreMultiLayerNetwork(file, true)
 * Remedies.globalNorm(1.0).installOn(net);                      // the remedy, again; the updater state (Adam's moments) is kept
 * </pre>
 * A stateful remedy (AutoClip's history, ZClip's EMA, spike skipping's window) starts afresh.
 */
public abstract class Remedy implements GradientHook {

    Remedy() {
    }

    /** Installs this remedy on {@code net} (keeping its updater configuration and state); returns this. */
    public final Remedy installOn(MultiLayerNetwork net) {
        UpdaterHooks.installOn(Network.of(net)).add(this);
        return this;
    }

    /** Installs this remedy on {@code graph} (keeping its updater configuration and state); returns this. */
    public final Remedy installOn(ComputationGraph graph) {
        UpdaterHooks.installOn(Network.of(graph)).add(this);
        return this;
    }
}
