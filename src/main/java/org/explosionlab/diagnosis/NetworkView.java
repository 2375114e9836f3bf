package org.explosionlab.diagnosis;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The layers of a {@code MultiLayerConfiguration} or {@code ComputationGraphConfiguration} in forward order, wrappers
 * (Bidirectional, LastTimeStep, Frozen) unwrapped, with the output layer's loss and activation: what the
 * configuration checks read.
 */
final class NetworkView {
    /** One layer: its position, DL4J's name for it, the layer itself (unwrapped) and whether it is recurrent. */
    record LayerView(int index, String label, Layer layer, boolean recurrent) {
        BaseLayer base() {
            return layer instanceof BaseLayer b ? b : null;
        }
    }

    /** The output layer's loss and activation, and its nOut (0 when unknown, e.g. a LossLayer). */
    record Output(LayerView layer, ILossFunction loss, IActivation activation, long nOut, boolean lossLayer) {
    }

    final String kind;
    final List<LayerView> layers;
    final List<Output> outputs;

    private NetworkView(String kind, List<LayerView> layers) {
        this.kind = kind;
        this.layers = List.copyOf(layers);
        List<Output> outs = new ArrayList<>();
        for (LayerView l : layers) {
            Output o = outputOf(l);
            if (o != null) outs.add(o);
        }
        this.outputs = List.copyOf(outs);
    }

    static NetworkView of(MultiLayerConfiguration conf) {
        List<LayerView> layers = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer l = conf.getConf(i).getLayer();
            String name = l.getLayerName();
            String label = "layer " + i + " (" + simpleName(l) + (name != null && !name.equals(String.valueOf(i)) && !name.equals("layer" + i) ? " '" + name + "'" : "") + ")";
            layers.add(new LayerView(i, label, unwrap(l), isRecurrent(l)));
        }
        return new NetworkView("MultiLayerNetwork", layers);
    }

    static NetworkView of(ComputationGraphConfiguration conf) {
        List<LayerView> layers = new ArrayList<>();
        int i = 0;
        for (var e : conf.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (!(v instanceof LayerVertex lv)) continue;
            Layer l = lv.getLayerConf().getLayer();
            layers.add(new LayerView(i++, "vertex '" + e.getKey() + "' (" + simpleName(l) + ")", unwrap(l), isRecurrent(l)));
        }
        return new NetworkView("ComputationGraph", layers);
    }

    /** The layer inside Bidirectional, LastTimeStep, FrozenLayer and other wrappers. */
    static Layer unwrap(Layer l) {
        for (int depth = 0; depth < 8; depth++) {
            if (l instanceof Bidirectional b) l = b.getFwd();
            else if (l instanceof BaseWrapperLayer w) l = w.getUnderlying();
            else if (l instanceof FrozenLayer f) l = f.getLayer();
            else break;
        }
        return l;
    }

    private static boolean isRecurrent(Layer l) {
        return unwrap(l) instanceof BaseRecurrentLayer;
    }

    private static String simpleName(Layer l) {
        return l.getClass().getSimpleName();
    }

    private static Output outputOf(LayerView v) {
        Layer l = v.layer();
        if (l instanceof BaseOutputLayer o) return new Output(v, o.getLossFn(), o.getActivationFn(), o.getNOut(), false);
        if (l instanceof LossLayer o) return new Output(v, o.getLossFn(), o.getActivationFn(), o.getNOut(), true);
        if (l instanceof RnnLossLayer o) return new Output(v, o.getLossFn(), o.getActivationFn(), o.getNOut(), true);
        if (l instanceof CnnLossLayer o) return new Output(v, o.getLossFn(), o.getActivationFn(), o.getNOut(), true);
        return null;
    }

    /** The layer just before {@code v} (forward order), or null. */
    LayerView before(LayerView v) {
        int at = layers.indexOf(v);
        return at > 0 ? layers.get(at - 1) : null;
    }
}
