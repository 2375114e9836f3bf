package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where each parameter array lives in DL4J's flattened parameter vector — and, at the same offsets, in
 * the flattened gradient view: DL4J lays out every layer's parameters one after the other, in the order
 * of {@link MultiLayerNetwork#paramTable()}. Read from the network, so it works for any layer DL4J
 * trains in a {@code MultiLayerNetwork} (dense, convolution, batch normalization, recurrent, ...).
 *
 * <p>Each array is cut into <em>units</em>, contiguous runs of elements that belong to one output unit
 * (what adaptive gradient clipping normalises, Brock et al. 2021, eq. 3): a dense or recurrent weight
 * ({@code [nIn, nOut]}, column-major 'f') has one unit per column, of {@code nIn} elements; a
 * convolution kernel ({@code [nOut, nIn, kH, kW]}, row-major 'c') has one unit per output channel, as
 * in NFNets; a vector (bias, BatchNorm γ and β) is one unit.
 *
 * @param params parameters in flattened order
 */
record ParamLayout(List<Param> params) {

    /**
     * One parameter array.
     *
     * @param key          DL4J's key, e.g. {@code 0_W} (layer index, underscore, parameter name)
     * @param layer        index of the layer in DL4J's {@code getLayers()} (0 = first layer; parameter-free layers keep their numbers)
     * @param offset       first element in the flattened vector
     * @param unitLength   elements per unit (see the class comment)
     * @param units        number of units; {@code unitLength × units} is the array's length
     * @param lossGradient whether DL4J's gradient for it is a loss gradient summed over the minibatch (DL4J
     *                     divides it by the minibatch size: {@code Layer.updaterDivideByMinibatch}). False for
     *                     BatchNorm's running mean and variance, whose "gradient" is the running-average step.
     */
    public record Param(String key, int layer, int offset, int unitLength, int units, boolean lossGradient) {
        public int length() {
            return unitLength * units;
        }
    }

    public ParamLayout {
        params = List.copyOf(params);
        if (params.isEmpty()) throw new IllegalArgumentException("the network has no parameters to monitor");
    }

    /** The layout of {@code net}'s parameters (see {@link #of(Network)}). */
    static ParamLayout of(MultiLayerNetwork net) {
        return of(Network.of(net));
    }

    /**
     * The layout of a network's parameters, read from DL4J's {@code paramTable()} (the network must be
     * initialised). Each array's offset is where its view starts in the flattened parameter vector
     * ({@code view.offset() − params.offset()}), so the order is DL4J's own for both network classes (a
     * ComputationGraph lays its vertices out in topological order); the arrays must tile the vector.
     */
    static ParamLayout of(Network net) {
        if (!net.initialised()) throw new IllegalStateException("call net.init() before attaching to the network");
        INDArray flat = net.params();
        List<Param> ps = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
            String key = e.getKey();
            int cut = key.lastIndexOf('_');
            int layer = net.layerIndex(key.substring(0, cut));
            INDArray view = e.getValue();
            int n = Math.toIntExact(view.length());
            Layer l = net.layers()[layer];
            String name = key.substring(cut + 1);
            int unit = unitLength(view, n, isWeight(l, name));
            int offset = Math.toIntExact(view.offset() - flat.offset());
            ps.add(new Param(key, layer, offset, unit, n / unit, l.updaterDivideByMinibatch(name)));
        }
        ps.sort(java.util.Comparator.comparingInt(Param::offset));
        int off = 0;
        for (Param p : ps) {
            if (p.offset() != off) {
                throw new IllegalStateException("parameter " + p.key() + " starts at " + p.offset() + " of the flattened vector, expected " + off);
            }
            off += p.length();
        }
        if (off != net.params().length()) {
            throw new IllegalStateException("parameter table covers " + off + " elements, the network has " + net.params().length());
        }
        return new ParamLayout(ps);
    }

    /**
     * Elements per unit of a parameter array: see the class comment. A weight (by its layer's
     * {@code ParamInitializer}) is cut by its shape even when it looks like a vector: a dense weight with
     * nIn = 1 ({@code [1, nOut]}) has nOut units of one element, a 1×1 kernel on one channel
     * ({@code [nOut, 1, 1, 1]}) nOut units of one element.
     */
    static int unitLength(INDArray view, int n, boolean weight) {
        long[] shape = view.shape();
        long largest = 1;
        for (long d : shape) largest = Math.max(largest, d);
        if (shape.length < 2 || !weight && largest == n) return n;       // a vector: one unit
        return view.ordering() == 'f' ? (int) shape[0] : (int) (n / shape[0]);
    }

    /** Whether DL4J's initializer of {@code layer} calls parameter {@code name} a weight. */
    private static boolean isWeight(Layer layer, String name) {
        var conf = layer.conf().getLayer();
        try {
            return conf.initializer().isWeightParam(conf, name);
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** The layout of a dense MLP with the given layer sizes (W then b per layer), as DL4J flattens it. */
    public static ParamLayout ofDenseLayers(List<Integer> layerSizes) {
        List<Param> ps = new ArrayList<>();
        int off = 0;
        for (int l = 0; l + 1 < layerSizes.size(); l++) {
            int nIn = layerSizes.get(l);
            int nOut = layerSizes.get(l + 1);
            ps.add(new Param(l + "_W", l, off, nIn, nOut, true));
            off += nIn * nOut;
            ps.add(new Param(l + "_b", l, off, nOut, 1, true));
            off += nOut;
        }
        return new ParamLayout(ps);
    }

    public int size() {
        return params.size();
    }

    public Param get(int i) {
        return params.get(i);
    }

    /** The indices of the layers that hold parameters, in network order (per-layer figures follow this order). */
    public int[] layerIndices() {
        return params.stream().mapToInt(Param::layer).distinct().toArray();
    }

    /** Number of layers that hold parameters. */
    public int layers() {
        return layerIndices().length;
    }

    /** Position of network layer {@code layer} among {@link #layerIndices()}, or -1. */
    public int ordinalOf(int layer) {
        int[] idx = layerIndices();
        for (int i = 0; i < idx.length; i++) if (idx[i] == layer) return i;
        return -1;
    }

    /** Total number of elements. */
    public int length() {
        Param last = params.get(params.size() - 1);
        return last.offset() + last.length();
    }

    /**
     * Per layer (in {@link #layerIndices()} order), the key of its weights: the largest loss-gradient
     * parameter array of the layer (W of a dense, convolution or recurrent layer; γ of a BatchNorm layer,
     * the first of equal sizes). This is the array DL4J's training UI charts the update:parameter ratio for.
     */
    public List<String> weightKeys() {
        List<String> out = new java.util.ArrayList<>();
        for (int layer : layerIndices()) {
            Param best = null;
            for (Param p : params) {
                if (p.layer() == layer && p.lossGradient() && (best == null || p.length() > best.length())) best = p;
            }
            out.add(best == null ? null : best.key());
        }
        return out;
    }

    public List<String> keys() {
        return params.stream().map(Param::key).toList();
    }
}
