package org.explosionlab.monitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationRectifiedTanh;
import org.nd4j.linalg.activations.impl.ActivationThresholdedReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Dead units of the network's ReLU-family layers (ReLU, ReLU6, rectified tanh, thresholded ReLU: the activations
 * whose output is exactly 0 on a whole half-line, so a unit stuck there passes no gradient; Lu et al. 2020,
 * "Dying ReLU and Initialization"), read in {@code onForwardPass} from the activations DL4J hands the listeners:
 * a {@code MultiLayerNetwork}'s list (index i + 1 = layer i's output; the output layer is not in it) or a
 * {@code ComputationGraph}'s map by vertex name.
 *
 * <p>A unit is a column of a dense layer's {@code [k, n]} output, a channel of a convolution's {@code [k, c, h, w]}
 * (NCHW) or of a recurrent layer's {@code [k, n, t]}. It is <em>active</em> in a minibatch when its output is
 * above 0 for at least one example (and position): one max-reduction per layer, {@code act.max(all dims but the
 * unit's)}, of {@code units} floats brought to Java. Each unit counts the recorded minibatches in a row in which it
 * was not active; the layer's dead fraction is
 * <pre>
 *   d_l = #{units with run ≥ min(D, recorded so far)} / units,   D = {@code deadUnitWindow}
 * </pre>
 * Memory: one int per unit, independent of the run length.
 */
final class DeadUnits {
    private final Network net;
    private final List<Integer> layers = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private int[][] inactiveRun;
    private final int window;
    private int recorded;
    private double[] fractions;

    DeadUnits(Network net, int window) {
        this.net = net;
        this.window = window;
        Layer[] all = net.layers();
        for (int i = 0; i < all.length; i++) {
            var conf = all[i].conf().getLayer();
            if (conf instanceof BaseOutputLayer) continue;
            IActivation a = conf instanceof BaseLayer b ? b.getActivationFn()
                    : conf instanceof ActivationLayer al ? al.getActivationFn() : null;
            if (a instanceof ActivationReLU || a instanceof ActivationReLU6 || a instanceof ActivationRectifiedTanh
                    || a instanceof ActivationThresholdedReLU) {
                layers.add(i);
                labels.add(net.layerLabel(i));
            }
        }
        inactiveRun = new int[layers.size()][];
        fractions = new double[layers.size()];
        java.util.Arrays.fill(fractions, Double.NaN);
    }

    /** How events name each measured layer, in the order of {@link #fractions()}. */
    List<String> labels() {
        return labels;
    }

    /** DL4J's index of each measured layer. */
    int[] indices() {
        return layers.stream().mapToInt(Integer::intValue).toArray();
    }

    boolean any() {
        return !layers.isEmpty();
    }

    /** Reads one recorded step's activations from a MultiLayerNetwork's list. */
    void measure(List<INDArray> activations) {
        INDArray[] acts = new INDArray[layers.size()];
        for (int j = 0; j < acts.length; j++) {
            int at = layers.get(j) + 1;
            acts[j] = at < activations.size() ? activations.get(at) : null;
        }
        update(acts);
    }

    /** Reads one recorded step's activations from a ComputationGraph's map. */
    void measure(Map<String, INDArray> activations) {
        INDArray[] acts = new INDArray[layers.size()];
        for (int j = 0; j < acts.length; j++) acts[j] = activations.get(net.layerName(layers.get(j)));
        update(acts);
    }

    private void update(INDArray[] acts) {
        recorded++;
        int needed = Math.min(window, recorded);
        for (int j = 0; j < acts.length; j++) {
            INDArray a = acts[j];
            if (a == null || a.rank() < 2) {
                fractions[j] = Double.NaN;
                continue;
            }
            int[] dims = new int[a.rank() - 1];
            dims[0] = 0;
            for (int d = 2; d < a.rank(); d++) dims[d - 1] = d;
            float[] max = a.max(dims).toFloatVector();                          // one reduction, `units` floats to Java
            if (inactiveRun[j] == null || inactiveRun[j].length != max.length) inactiveRun[j] = new int[max.length];
            int dead = 0;
            for (int u = 0; u < max.length; u++) {
                if (Float.isNaN(max[u])) continue;                       // NaN activations: neither alive nor dead
                inactiveRun[j][u] = max[u] > 0 ? 0 : inactiveRun[j][u] + 1;
                if (inactiveRun[j][u] >= needed) dead++;
            }
            fractions[j] = (double) dead / max.length;
        }
    }

    ExplosionMonitor.State state() {
        int[][] runs = new int[inactiveRun.length][];
        for (int j = 0; j < runs.length; j++) runs[j] = inactiveRun[j] == null ? null : inactiveRun[j].clone();
        return new ExplosionMonitor.State(recorded, runs);
    }

    /**
     * Fails with one line naming the field when {@code state} cannot continue on this network: one counter
     * array per ReLU-family layer, each with one non-negative counter per unit, no counter above the recorded
     * steps (an edited or foreign checkpoint).
     */
    void check(ExplosionMonitor.State state) {
        if (state.recorded() < 0) {
            throw new IllegalArgumentException("'recorded' must be >= 0, got " + state.recorded());
        }
        int[][] runs = state.deadUnitRuns();
        if (runs == null || runs.length != inactiveRun.length) {
            throw new IllegalArgumentException("'dead_unit_runs' holds counters for " + (runs == null ? 0 : runs.length)
                    + " ReLU-family layers, but this network has " + inactiveRun.length);
        }
        Layer[] all = net.layers();
        for (int j = 0; j < runs.length; j++) {
            if (runs[j] == null) continue;
            var conf = all[layers.get(j)].conf().getLayer();
            if (conf instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff && runs[j].length != ff.getNOut()) {
                throw new IllegalArgumentException("'dead_unit_runs[" + j + "]' holds " + runs[j].length + " counters, but "
                        + labels.get(j) + " has " + ff.getNOut() + " units");
            }
            for (int run : runs[j]) {
                if (run < 0 || run > state.recorded()) {
                    throw new IllegalArgumentException("'dead_unit_runs[" + j + "]' holds the counter " + run
                            + ", outside 0.." + state.recorded() + " (the recorded steps)");
                }
            }
        }
    }

    void restore(ExplosionMonitor.State state) {
        check(state);
        recorded = state.recorded();
        for (int j = 0; j < inactiveRun.length; j++) {
            inactiveRun[j] = state.deadUnitRuns()[j] == null ? null : state.deadUnitRuns()[j].clone();
        }
    }

    /** The dead fraction per measured layer after the last recorded step (NaN where unreadable). */
    double[] fractions() {
        return fractions.clone();
    }
}
