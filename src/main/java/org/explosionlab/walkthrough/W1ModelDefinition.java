package org.explosionlab.walkthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;

/**
 * Step 1 of the tutorial, "define the model": the {@code seed-baseline} network printed layer by layer
 * with its parameter counts, as Keras {@code model.summary()} prints it. A dense layer with n_in inputs
 * and n_out units holds n_in·n_out weights and n_out biases: (784+1)·128 = 100,480,
 * (128+1)·64 = 8,256, (64+1)·10 = 650, in total 109,386 — the numbers Keras shows.
 */
public final class W1ModelDefinition {
    private W1ModelDefinition() {
    }

    /** One row of the summary. */
    public record LayerRow(int index, String type, int nIn, int nOut, String activation, long params) {
    }

    /** The summary: one row per layer and the total parameter count. */
    public record Result(ExperimentSpec spec, List<LayerRow> layers, long totalParams) {
    }

    public static void main(String... args) {
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs.parse(args, 0, 1); // nothing is trained here; the options are accepted for uniformity
        ExperimentSpec spec = Presets.load("seed-baseline");
        MultiLayerNetwork net = NetworkFactory.build(spec);
        List<LayerRow> rows = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            FeedForwardLayer conf = (FeedForwardLayer) net.getLayerWiseConfigurations().getConf(i).getLayer();
            rows.add(new LayerRow(i, conf.getClass().getSimpleName(), (int) conf.getNIn(), (int) conf.getNOut(),
                    conf.getActivationFn().toString(), net.getLayer(i).numParams()));
        }
        Result result = new Result(spec, rows, net.numParams());
        print(result);
        return result;
    }

    private static void print(Result r) {
        System.out.println("Model: " + r.spec().name() + " (" + r.spec().lossFunction() + " loss, " + r.spec().updater()
                + " lr " + r.spec().learningRate() + ", " + r.spec().weightInit() + " init)");
        System.out.printf(Locale.ROOT, "%-5s %-12s %-14s %-10s %10s%n", "layer", "type", "output shape", "activation", "params");
        for (LayerRow l : r.layers()) {
            System.out.printf(Locale.ROOT, "%-5d %-12s %-14s %-10s %,10d%n", l.index(), l.type(), "(None, " + l.nOut() + ")",
                    l.activation(), l.params());
        }
        System.out.printf(Locale.ROOT, "Total params: %,d%n", r.totalParams());
        System.out.println("Notice: almost all parameters sit in the first layer (784 x 128 weights); each layer's count is (n_in + 1) x n_out.");
    }
}
