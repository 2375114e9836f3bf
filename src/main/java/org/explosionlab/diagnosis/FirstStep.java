package org.explosionlab.diagnosis;

import static org.explosionlab.diagnosis.Numbers.fmt;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One training step taken by DL4J on a copy of the network ({@code MultiLayerNetwork.clone()} /
 * {@code ComputationGraph.clone()}: parameters and updater state copied; or a network built from the configuration),
 * so the user's network, its parameters and its updater state are never touched.
 *
 * <p>Measured: the global L2 norm of the gradient DL4J computes on the first sampled minibatch, on the mean-loss scale
 * (DL4J's backward pass returns the minibatch sum; its updater divides by the minibatch size, so norm = ‖Σ_i g_i‖ / mb),
 * the loss, and for every weight parameter the update:parameter ratio ‖Δθ‖ / ‖θ‖ of the step DL4J's {@code fit(DataSet)}
 * applies (after its gradient normalization, regularization and updater). DL4J's "Visualizing Neural Network Training"
 * page: the ratio should be around 1e-3 (−3 on its log10 chart).
 */
final class FirstStep {
    /** DL4J's guidance for the update:parameter ratio. */
    static final double GUIDANCE_RATIO = 1e-3;
    /**
     * 300 x the guidance: a step that moves a layer by 30 % of its weights (bad-init's first step: 0.68). The seed model
     * at SGD lr 1.0 under DL4J's ClipL2PerLayer, which still trains to ~0.92, takes first steps of 0.12.
     */
    static final double SEVERE_RATIO = 0.3;
    /** 30 x the guidance (Adam's first step is about lr / rms(W), ~0.02 on the seed model's first layer). */
    static final double WARN_RATIO = 0.03;
    /** A mean-loss-scale global gradient norm above this is an explosion at step 0 (the detector's default ceiling). */
    static final double SEVERE_NORM = 100;

    private FirstStep() {
    }

    /** A network of its own: a clone of an initialised network, else one built from the configuration (never {@code init()} on the user's). */
    static Model copyOf(Object netOrConf) {
        if (netOrConf instanceof MultiLayerNetwork n) return n.isInitCalled() ? n.clone() : copyOf(n.getLayerWiseConfigurations());
        if (netOrConf instanceof ComputationGraph g) return g.params() != null ? g.clone() : copyOf(g.getConfiguration());
        if (netOrConf instanceof MultiLayerConfiguration c) {
            MultiLayerNetwork n = new MultiLayerNetwork(c.clone());
            n.init();
            return n;
        }
        if (netOrConf instanceof ComputationGraphConfiguration c) {
            ComputationGraph g = new ComputationGraph(c.clone());
            g.init();
            return g;
        }
        throw new IllegalArgumentException("not a DL4J network or configuration: " + netOrConf);
    }

    static Finding run(Object netOrConf, DataSet batch, String externalClipping, boolean dl4jClipsEveryLayer) {
        Model m;
        double norm, loss;
        Map<String, INDArray> before = new LinkedHashMap<>();
        try {
            m = copyOf(netOrConf);
            for (var e : m.paramTable().entrySet()) before.put(e.getKey(), e.getValue().dup());
            long mb = batch.getFeatures().size(0);
            if (m instanceof MultiLayerNetwork n) {
                n.setInput(batch.getFeatures());
                n.setLabels(batch.getLabels());
                n.setLayerMaskArrays(batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
                n.computeGradientAndScore();
                norm = globalNorm(n.gradient().gradientForVariable()) / mb;
                loss = n.score();
                n.clear();
                n.fit(batch);
            } else {
                ComputationGraph g = (ComputationGraph) m;
                g.setInputs(batch.getFeatures());
                g.setLabels(batch.getLabels());
                g.setLayerMaskArrays(batch.getFeaturesMaskArray() == null ? null : new INDArray[] {batch.getFeaturesMaskArray()},
                        batch.getLabelsMaskArray() == null ? null : new INDArray[] {batch.getLabelsMaskArray()});
                g.computeGradientAndScore();
                norm = globalNorm(g.gradient().gradientForVariable()) / mb;
                loss = g.score();
                g.clear();
                g.fit(batch);
            }
        } catch (RuntimeException e) {
            return new Finding(Check.FIRST_STEP_GRADIENT, Severity.SEVERE, "network",
                    "DL4J could not take one step on the first sampled minibatch: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()),
                    Map.of(), "training would fail the same way at its first iteration", null,
                    "make nIn of the first layer match the features and nOut of the output layer match the labels", null);
        }
        String worstKey = null;
        double worst = 0, least = Double.POSITIVE_INFINITY;
        boolean nonFinite = !Double.isFinite(norm) || !Double.isFinite(loss);
        Map<String, INDArray> after = m.paramTable();
        for (var e : before.entrySet()) {
            INDArray p0 = e.getValue();
            if (p0.rank() < 2 || isBiasLike(e.getKey())) continue;       // weights only: a bias starts at 0
            double pNorm = p0.norm2Number().doubleValue();
            double dNorm = p0.sub(after.get(e.getKey())).norm2Number().doubleValue();
            if (!Double.isFinite(dNorm)) { nonFinite = true; continue; }
            if (pNorm == 0) continue;
            double r = dNorm / pNorm;
            if (r > worst) { worst = r; worstKey = e.getKey(); }
            least = Math.min(least, r);
        }
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("loss", loss);
        nums.put("gradientGlobalNorm", norm);
        nums.put("maxUpdateRatio", worst);
        nums.put("minUpdateRatio", Double.isInfinite(least) ? Double.NaN : least);
        nums.put("minibatch", (double) batch.getFeatures().size(0));
        String saw = String.format(Locale.ROOT, "one DL4J step on a copy, minibatch of %d: loss %s, global gradient norm %s (mean-loss scale), "
                        + "update:parameter ratio up to %s%s (DL4J's guidance ~1e-3)%s",
                batch.getFeatures().size(0), fmt(loss), fmt(norm), fmt(worst), worstKey == null ? "" : " in " + worstKey,
                Double.isInfinite(least) ? "" : ", down to " + fmt(least));
        String why = "DL4J's training-visualization guide: updates about 1e-3 of the parameters; far larger steps overshoot (the "
                + "explosions this project studies start at step 0), far smaller ones learn nothing";
        if (nonFinite) {
            return new Finding(Check.FIRST_STEP_GRADIENT, Severity.SEVERE, "network", saw + "; NaN/Inf already in the first step", nums,
                    "a NaN/Inf at step 0 comes from the data, the loss/activation pair or the init, not from training dynamics", null,
                    "see the other findings (labels-invalid, unnormalized-input, loss-activation-mismatch)", null);
        }
        if (norm > SEVERE_NORM || worst > SEVERE_RATIO) {
            // DL4J's own gradient normalization acted inside the step measured; an external rule (a monitor remedy) did not:
            // it would shorten the step, so the finding is a warning about the cause, not a forecast of the step
            Severity sev = externalClipping != null || (dl4jClipsEveryLayer && worst <= SEVERE_RATIO) ? Severity.WARNING : Severity.SEVERE;
            String note = externalClipping != null ? "; measured without " + externalClipping + ", which shortens the real step"
                    : dl4jClipsEveryLayer ? "; after DL4J's gradient normalization" : "";
            return new Finding(Check.FIRST_STEP_GRADIENT, sev, worstKey == null ? "network" : worstKey, saw + note,
                    nums, why, null, ".gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(1.0), "
                            + "and fix the cause (init, learning rate, input scale)", "gradientNormalization=ClipL2PerLayer");
        }
        if (worst > WARN_RATIO || (least < 1e-6 && least > 0)) {
            String note = externalClipping != null ? "; measured without " + externalClipping : "";
            return new Finding(Check.FIRST_STEP_GRADIENT, Severity.WARNING, worstKey == null ? "network" : worstKey, saw + note, nums, why, null,
                    worst > WARN_RATIO ? "a smaller learning rate for that layer: .updater(...) on the layer's builder" : "a larger learning rate or a better-scaled init",
                    null);
        }
        return new Finding(Check.FIRST_STEP_GRADIENT, Severity.INFO, "network", saw, nums, why, null, "nothing to change", null);
    }

    private static boolean isBiasLike(String key) {
        String k = key.contains("_") ? key.substring(key.lastIndexOf('_') + 1) : key;
        return k.equals("b") || k.equals("gamma") || k.equals("beta") || k.equals("mean") || k.equals("var") || k.equals("log10stdev");
    }

    private static double globalNorm(Map<String, INDArray> grads) {
        double sq = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sq += n * n;
        }
        return Math.sqrt(sq);
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String one = s.strip().split("\\R", 2)[0];
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
