package org.explosionlab.detection;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the detector knows of the network it judges, so that events name layers DL4J's way and advice fits
 * the network: its updater and learning rate, whether it already clips, and its layer types. Pure data: the
 * monitor reads it from the DL4J network when it attaches.
 *
 * @param layerLabels     per layer with parameters (the order of the per-layer figures), how events name it:
 *                        {@code layer 5 (OutputLayer)} (DL4J's {@code getLayers()} index and the layer's class) or
 *                        {@code layer "dense" (DenseLayer)} (a graph's vertex name)
 * @param layerIndices    per layer with parameters, its index in DL4J's {@code getLayers()}
 * @param deadUnitLabels  per ReLU-family layer whose dead units are measured (the order of
 *                        {@link IterationSample#deadUnitFraction()}), its label
 * @param deadUnitIndices per such layer, its index in DL4J's {@code getLayers()}
 * @param updater         the updater's DL4J class name ({@code Adam}, {@code Sgd}, ...), null when unknown
 * @param learningRate    its learning rate at the first step, NaN when unknown
 * @param clipping        what already clips or skips the gradient ("global norm 1.0", "DL4J ClipL2PerLayer 1.0"),
 *                        null when nothing does
 * @param recurrent       whether the network has a recurrent layer (LSTM, GRU, SimpleRnn)
 * @param relu            whether the network has a ReLU-family layer
 * @param lossFunction    the output layer's DL4J loss ({@code MCXENT}, {@code MSE}, ...), null when unknown
 * @param outputActivation the output layer's activation ({@code SOFTMAX}, {@code IDENTITY}, ...), null when unknown
 * @param weightInit      the weight init of the first layer with parameters ({@code XAVIER}, {@code NORMAL}, ...), null when unknown
 */
public record NetworkFacts(List<String> layerLabels, int[] layerIndices, List<String> deadUnitLabels, int[] deadUnitIndices,
                           String updater, double learningRate, String clipping, boolean recurrent, boolean relu,
                           String lossFunction, String outputActivation, String weightInit) {

    /** Facts without the output layer's loss and activation nor the init (all unknown). */
    public NetworkFacts(List<String> layerLabels, int[] layerIndices, List<String> deadUnitLabels, int[] deadUnitIndices,
                        String updater, double learningRate, String clipping, boolean recurrent, boolean relu) {
        this(layerLabels, layerIndices, deadUnitLabels, deadUnitIndices, updater, learningRate, clipping, recurrent, relu,
                null, null, null);
    }

    /**
     * Whether the loss is a squared error (MSE, L2, SQUARED_LOSS): its gradient at the output is proportional to the
     * error ŷ − y, so the gradient norm grows with the label scale, as √loss does.
     */
    boolean squaredErrorLoss() {
        return lossFunction != null && java.util.Set.of("MSE", "L2", "SQUARED_LOSS", "MEAN_SQUARED_LOGARITHMIC_ERROR")
                .contains(lossFunction.toUpperCase(java.util.Locale.ROOT)) && !"SOFTMAX".equalsIgnoreCase(outputActivation);
    }

    /** Whether a remedy that skips non-finite steps is installed. */
    boolean skipsNonFinite() {
        return clipping != null && clipping.contains("skip-non-finite");
    }

    public NetworkFacts {
        layerLabels = List.copyOf(Objects.requireNonNull(layerLabels, "layerLabels"));
        layerIndices = layerIndices.clone();
        deadUnitLabels = List.copyOf(Objects.requireNonNull(deadUnitLabels, "deadUnitLabels"));
        deadUnitIndices = deadUnitIndices.clone();
        if (layerLabels.size() != layerIndices.length || deadUnitLabels.size() != deadUnitIndices.length) {
            throw new IllegalArgumentException("one label per layer index");
        }
    }

    /** Nothing known: layers are named by their position among the layers with parameters, advice is generic. */
    public static NetworkFacts unknown() {
        return new NetworkFacts(List.of(), new int[0], List.of(), new int[0], null, Double.NaN, null, false, true);
    }

    /** How events name the {@code ordinal}-th layer with parameters. */
    public String layerLabel(int ordinal) {
        return ordinal < layerLabels.size() ? layerLabels.get(ordinal) : "layer " + ordinal;
    }

    /** DL4J's index of the {@code ordinal}-th layer with parameters. */
    public int layerIndex(int ordinal) {
        return ordinal < layerIndices.length ? layerIndices[ordinal] : ordinal;
    }

    /** How events name the {@code ordinal}-th ReLU-family layer. */
    public String deadUnitLabel(int ordinal) {
        return ordinal < deadUnitLabels.size() ? deadUnitLabels.get(ordinal) : "ReLU layer " + ordinal;
    }

    /** DL4J's index of the {@code ordinal}-th ReLU-family layer. */
    public int deadUnitIndex(int ordinal) {
        return ordinal < deadUnitIndices.length ? deadUnitIndices[ordinal] : ordinal;
    }

    /** A copy of the layer indices. */
    @Override
    public int[] layerIndices() {
        return layerIndices.clone();
    }

    /** A copy of the ReLU layer indices. */
    @Override
    public int[] deadUnitIndices() {
        return deadUnitIndices.clone();
    }

    /** The DL4J call that sets a learning rate {@code factor} times the current one, e.g. {@code .updater(new Adam(1.0E-4))}. */
    String updaterCall(double factor) {
        String name = updater == null ? "Adam" : updater;
        String lr = Double.isFinite(learningRate) ? number(learningRate * factor) : "lr" + (factor < 1 ? " / " + number(1 / factor) : " * " + number(factor));
        return ".updater(new " + name + "(" + lr + "))";
    }

    /** The CLI override for the same learning rate. */
    String learningRateSet(double factor) {
        return "--set learningRate=" + (Double.isFinite(learningRate) ? number(learningRate * factor) : "...");
    }

    static String number(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e6) return String.valueOf((long) x);
        String s = String.format(Locale.ROOT, "%.3g", x);
        if (s.contains("e")) return s;
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
