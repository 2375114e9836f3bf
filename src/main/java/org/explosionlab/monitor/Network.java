package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * DL4J's two trainable network classes behind one face: what the monitor and the remedies read and set.
 * Both run the same step (DL4J 1.0.0-M2.1's {@code BaseOptimizer}: forward pass, backprop, score,
 * {@code onGradientCalculation}, updater, {@code iterationDone}, θ ← θ − Δθ) and call the same listener
 * callbacks in the same order. They differ in:
 * <ul>
 *   <li>parameter keys: {@code 0_W} (the layer's index) in a {@code MultiLayerNetwork}, {@code dense_W} (the
 *       vertex name, everything before the last {@code _}) in a {@code ComputationGraph};</li>
 *   <li>the updater class ({@code MultiLayerUpdater} / {@code ComputationGraphUpdater}, both
 *       {@code BaseMultiLayerUpdater}) and its setter;</li>
 *   <li>the forward-pass callback: a {@code List} of activations by layer index, or a {@code Map} by vertex name;</li>
 *   <li>outputs: one output layer, or one per {@code getNumOutputArrays()}.</li>
 * </ul>
 */
abstract class Network {
    private final Model model;

    private Network(Model model) {
        this.model = model;
    }

    /** The network behind a DL4J {@link Model}: a {@code MultiLayerNetwork} or a {@code ComputationGraph}. */
    static Network of(Model model) {
        if (model instanceof MultiLayerNetwork m) return new Mln(m);
        if (model instanceof ComputationGraph g) return new Graph(g);
        throw new IllegalArgumentException("ExplosionMonitor watches a MultiLayerNetwork or a ComputationGraph, not a "
                + (model == null ? "null model" : model.getClass().getName()));
    }

    final Model model() {
        return model;
    }

    final INDArray params() {
        return model.params();
    }

    /** DL4J's flattened gradient view, the same layout as {@link #params()}. */
    abstract INDArray gradients();

    final Map<String, INDArray> paramTable() {
        return model.paramTable();
    }

    /** DL4J's {@code getLayers()}: the layer index used in events is the position in this array. */
    abstract Layer[] layers();

    /** The index in {@link #layers()} of the layer a parameter key's prefix (before the last {@code _}) names. */
    abstract int layerIndex(String keyPrefix);

    /**
     * How events name layer {@code index}, DL4J's way: {@code layer 5 (OutputLayer)} in a
     * MultiLayerNetwork, {@code layer "dense" (DenseLayer)} (the vertex name) in a ComputationGraph.
     */
    abstract String layerLabel(int index);

    /** The vertex name of a graph's layer, the index as text in a MultiLayerNetwork. */
    abstract String layerName(int index);

    final int batchSize() {
        return model.batchSize();
    }

    final double score() {
        return model.score();
    }

    abstract int iterationCount();

    /** The L1/L2 (and weight decay) term DL4J adds to the score, over every layer ({@code calcRegularizationScore(true)}). */
    abstract double regularizationScore();

    /** The network's single output layer when it has exactly one, else null. */
    abstract Layer singleOutputLayer();

    /** The network's updater (created when absent and {@code create}), DL4J's or a hooked one. */
    abstract Updater updater(boolean create);

    /** Replaces the network's updater by one built here, from the same layer configurations and a copy of {@code state}. */
    abstract Hooked installHookedUpdater(INDArray state);

    abstract Collection<TrainingListener> listeners();

    abstract void setListeners(Collection<TrainingListener> listeners);

    abstract void addListener(TrainingListener listener);

    /** Whether {@code init()} has been called. */
    abstract boolean initialised();

    /** The DL4J class name of the network, for messages. */
    final String className() {
        return model.getClass().getSimpleName();
    }

    /** The updater configuration of the first layer that has a learning rate (Adam, Sgd, ...), or null. */
    final IUpdater firstUpdaterWithLearningRate() {
        for (Layer l : layers()) {
            if (l.conf().getLayer() instanceof BaseLayer b && b.getIUpdater() != null && b.getIUpdater().hasLearningRate()) {
                return b.getIUpdater();
            }
        }
        return null;
    }

    /** An updater that runs the remedies and lets the monitor look inside the step ({@link UpdaterHooks}). */
    interface Hooked {
        UpdaterHooks hooks();
    }

    private static final class Mln extends Network {
        private final MultiLayerNetwork net;

        Mln(MultiLayerNetwork net) {
            super(net);
            this.net = net;
        }

        @Override
        INDArray gradients() {
            return net.getFlattenedGradients();
        }

        @Override
        Layer[] layers() {
            return net.getLayers();
        }

        @Override
        int layerIndex(String keyPrefix) {
            return Integer.parseInt(keyPrefix);
        }

        @Override
        String layerLabel(int index) {
            return "layer " + index + " (" + layers()[index].conf().getLayer().getClass().getSimpleName() + ")";
        }

        @Override
        String layerName(int index) {
            return String.valueOf(index);
        }

        @Override
        int iterationCount() {
            return net.getIterationCount();
        }

        @Override
        double regularizationScore() {
            return net.calcRegularizationScore(true);
        }

        @Override
        Layer singleOutputLayer() {
            return net.getOutputLayer();
        }

        @Override
        Updater updater(boolean create) {
            return net.getUpdater(create);
        }

        @Override
        Hooked installHookedUpdater(INDArray state) {
            HookedUpdater h = new HookedUpdater(net, state);
            net.setUpdater(h);
            return h;
        }

        @Override
        Collection<TrainingListener> listeners() {
            return net.getListeners();
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            net.setListeners(listeners);
        }

        @Override
        void addListener(TrainingListener listener) {
            net.addListeners(listener);
        }

        @Override
        boolean initialised() {
            return net.getLayers() != null && net.params() != null;
        }
    }

    private static final class Graph extends Network {
        private final ComputationGraph graph;

        Graph(ComputationGraph graph) {
            super(graph);
            this.graph = graph;
        }

        @Override
        INDArray gradients() {
            return graph.getFlattenedGradients();
        }

        @Override
        Layer[] layers() {
            return graph.getLayers();
        }

        @Override
        int layerIndex(String keyPrefix) {
            Layer[] layers = layers();
            for (int i = 0; i < layers.length; i++) {
                if (keyPrefix.equals(layers[i].conf().getLayer().getLayerName())) return i;
            }
            throw new IllegalStateException("no layer vertex named '" + keyPrefix + "' in the graph");
        }

        @Override
        String layerLabel(int index) {
            return "layer \"" + layerName(index) + "\" (" + layers()[index].conf().getLayer().getClass().getSimpleName() + ")";
        }

        @Override
        String layerName(int index) {
            return layers()[index].conf().getLayer().getLayerName();
        }

        @Override
        int iterationCount() {
            return graph.getIterationCount();
        }

        @Override
        double regularizationScore() {
            return graph.calcRegularizationScore(true);
        }

        @Override
        Layer singleOutputLayer() {
            return graph.getNumOutputArrays() == 1 ? graph.getOutputLayer(0) : null;
        }

        @Override
        Updater updater(boolean create) {
            return graph.getUpdater(create);
        }

        @Override
        Hooked installHookedUpdater(INDArray state) {
            HookedGraphUpdater h = new HookedGraphUpdater(graph, state);
            graph.setUpdater(h);
            return h;
        }

        @Override
        Collection<TrainingListener> listeners() {
            return graph.getListeners() == null ? List.of() : graph.getListeners();
        }

        @Override
        void setListeners(Collection<TrainingListener> listeners) {
            graph.setListeners(new ArrayList<>(listeners));
        }

        @Override
        void addListener(TrainingListener listener) {
            graph.addListeners(listener);
        }

        @Override
        boolean initialised() {
            return graph.getLayers() != null && graph.params() != null;
        }
    }

    /** DL4J's {@link ComputationGraphUpdater} with the remedies' and the monitor's windows into the step. */
    static final class HookedGraphUpdater extends ComputationGraphUpdater implements Hooked {
        private static final long serialVersionUID = 1L;
        private final transient UpdaterHooks hooks;

        HookedGraphUpdater(ComputationGraph graph, INDArray state) {
            super(graph, state);
            this.hooks = new UpdaterHooks(Network.of(graph));
        }

        @Override
        public UpdaterHooks hooks() {
            return hooks;
        }

        @Override
        public synchronized void update(org.deeplearning4j.nn.gradient.Gradient gradient, int iteration, int epoch,
                                        int batchSize, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr workspaceMgr) {
            if (hooks.beforeUpdate(gradient, batchSize)) super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
        }

        @Override
        public void preApply(org.deeplearning4j.nn.api.Trainable layer, org.deeplearning4j.nn.gradient.Gradient gradient, int iteration) {
            super.preApply(layer, gradient, iteration);
            hooks.afterPreApply(getFlattenedGradientsView());
        }
    }
}
