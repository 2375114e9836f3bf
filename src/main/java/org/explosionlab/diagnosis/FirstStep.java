package org.explosionlab.diagnosis;

import static org.explosionlab.diagnosis.Numbers.fmt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;

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
    /**
     * The first-step ratio a proposed learning rate aims at: a third of {@link #WARN_RATIO}. DL4J's 1e-3 describes
     * steady training; a first step is longer (Adam's is about lr / rms(W) before its second moment builds up: the seed
     * model at Adam 1e-3 takes 0.015), so aiming the first step at 1e-3 would propose a rate far below the usual range
     * (6e-5 for Adam on the seed model) and contradict {@code learning-rate-range}.
     */
    static final double TARGET_RATIO = WARN_RATIO / 3;
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

    /**
     * @param labelScale for a regression loss, the RMS of the sampled labels (see {@link #labelScale}); 1 otherwise. The
     *                   gradient of a squared/absolute error is proportional to the residual, which at step 0 is about the
     *                   labels' scale, so the norm ceiling is {@link #SEVERE_NORM} x max(1, labelScale): a norm above
     *                   {@link #SEVERE_NORM} but within that ceiling is the labels' scale ({@code unscaled-regression-labels}),
     *                   a warning, not an explosion
     * @param flagged    the checks that already have a warning or severe finding: a large norm's fix names those among them
     *                   that can cause it
     */
    static Finding run(Object netOrConf, DataSet batch, String externalClipping, boolean dl4jClipsEveryLayer, double labelScale,
                       java.util.Set<Check> flagged) {
        Model m;
        double norm, loss;
        Map<String, Double> layerNorms = new LinkedHashMap<>();
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
                layerNorms = layerNorms(n.gradient().gradientForVariable(), mb);
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
                layerNorms = layerNorms(g.gradient().gradientForVariable(), mb);
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
        double normCeiling = SEVERE_NORM * Math.max(1, labelScale);
        nums.put("normCeiling", normCeiling);
        double lr = worstKey == null ? Double.NaN : learningRate(m, worstKey);
        nums.put("learningRate", lr);
        String where = worstKey == null ? "network" : worstKey;
        if (norm > normCeiling || worst > SEVERE_RATIO) {
            // DL4J's own gradient normalization acted inside the step measured; an external rule (a monitor remedy) did not:
            // it would shorten the step, so the finding is a warning about the cause, not a forecast of the step
            Severity sev = externalClipping != null || (dl4jClipsEveryLayer && worst <= SEVERE_RATIO) ? Severity.WARNING : Severity.SEVERE;
            String note = externalClipping != null ? "; measured without " + externalClipping + ", which shortens the real step"
                    : dl4jClipsEveryLayer ? "; after DL4J's gradient normalization" : "";
            if (norm > normCeiling) {
                String fix = scaleFix(layerNorms, norm, flagged);
                if (externalClipping != null || dl4jClipsEveryLayer) {      // clipping is already there: the cause is what is left
                    return new Finding(Check.FIRST_STEP_GRADIENT, sev, where, saw + note, nums, why, null,
                            fix.substring(0, fix.indexOf("; meanwhile")) + "; the clipping in place bounds the step, not the cause", null);
                }
                return new Finding(Check.FIRST_STEP_GRADIENT, sev, where, saw + note, nums, why, null, fix,
                        "gradientNormalization=ClipL2PerLayer --set gradientNormalizationThreshold=" + fmt(bindingThreshold(layerNorms)));
            }
            return learningRateFinding(sev, where, saw + note, nums, why, m, worstKey, worst, lr);
        }
        if (norm > SEVERE_NORM) {       // within the ceiling scaled by the regression labels: their scale, not an explosion
            return new Finding(Check.FIRST_STEP_GRADIENT, Severity.WARNING, where,
                    saw + String.format(Locale.ROOT, "; the norm is above %s but the regression labels' RMS is %s, and a squared error's "
                            + "gradient grows with them (ceiling %s)", fmt(SEVERE_NORM), fmt(labelScale), fmt(normCeiling)),
                    nums, why, null, "standardize the labels (see unscaled-regression-labels): NormalizerStandardize with fitLabel(true)", null);
        }
        if (worst > WARN_RATIO) {
            String note = externalClipping != null ? "; measured without " + externalClipping : "";
            return learningRateFinding(Severity.WARNING, where, saw + note, nums, why, m, worstKey, worst, lr);
        }
        if (least < 1e-6 && least > 0) {
            String note = externalClipping != null ? "; measured without " + externalClipping : "";
            return new Finding(Check.FIRST_STEP_GRADIENT, Severity.WARNING, where, saw + note, nums, why, null,
                    "a larger learning rate or a better-scaled init", null);
        }
        return new Finding(Check.FIRST_STEP_GRADIENT, Severity.INFO, "network", saw, nums, why, null, "nothing to change", null);
    }

    /**
     * A large update:parameter ratio from a gradient norm within its ceiling: the step is long because the learning rate
     * is. The first step of SGD (Δθ = lr g) and of Adam (Δθ ≈ lr sign(g), bias-corrected) both scale linearly with lr,
     * so lr x {@link #TARGET_RATIO} / ratio brings the measured first-step ratio to 0.01.
     */
    private static Finding learningRateFinding(Severity sev, String where, String saw, Map<String, Double> nums, String why, Model m,
                                               String worstKey, double worst, double lr) {
        IUpdater u = worstKey == null ? null : updater(m, worstKey);
        if (u == null || !Double.isFinite(lr) || lr <= 0) {
            return new Finding(Check.FIRST_STEP_GRADIENT, sev, where, saw, nums, why, null,
                    "a smaller learning rate for that layer: .updater(...) on the layer's builder", null);
        }
        double suggested = oneSignificant(lr * TARGET_RATIO / worst);
        nums.put("suggestedLearningRate", suggested);
        String name = u.getClass().getSimpleName();
        return new Finding(Check.FIRST_STEP_GRADIENT, sev, where,
                saw + String.format(Locale.ROOT, "; the gradient norm is within its ceiling, so the step is long because of the learning rate "
                        + "(%s %s): the ratio scales with it", name, fmt(lr)),
                nums, why, null, ".updater(new " + name + "(" + fmt(suggested) + "))   // lr x 0.01 / " + fmt(worst) + ", for a first-step ratio of ~0.01",
                "learningRate=" + fmt(suggested));
    }

    /**
     * A gradient norm above its ceiling at step 0 comes from the scale of the init, the inputs or the labels; the fix
     * names them, and clipping with a per-layer threshold that binds: {@link #bindingThreshold}.
     */
    private static String scaleFix(Map<String, Double> layerNorms, double norm, java.util.Set<Check> flagged) {
        double t = bindingThreshold(layerNorms);
        String largest = layerNorms.entrySet().stream().max(Map.Entry.comparingByValue())
                .map(e -> "layer " + e.getKey() + "'s norm " + fmt(e.getValue())).orElse("the norm " + fmt(norm));
        List<String> causes = new java.util.ArrayList<>();
        for (Check c : SCALE_CAUSES) if (flagged.contains(c)) causes.add(c.id());
        String cause = causes.isEmpty()
                ? "no other check names a cause: look at the init's scale, the inputs' and the labels' (a norm this large at step 0 is scale, not the learning rate)"
                : "fix what the " + String.join(", ", causes) + " finding" + (causes.size() > 1 ? "s name" : " names");
        return cause + "; meanwhile .gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(" + fmt(t) + ")   // binds: "
                + largest + " > " + fmt(t);
    }

    /** The checks whose findings explain a large gradient at step 0. */
    private static final List<Check> SCALE_CAUSES = List.of(Check.INIT_ACTIVATION_MISMATCH, Check.DEEP_SATURATING_STACK, Check.UNNORMALIZED_INPUT,
            Check.UNSCALED_REGRESSION_LABELS, Check.LABELS_INVALID, Check.LOSS_ACTIVATION_MISMATCH);

    /** A per-layer L2 threshold that clips the largest layer's mean-loss-scale gradient: 1.0, or a tenth of that norm when it is below 10. */
    static double bindingThreshold(Map<String, Double> layerNorms) {
        double max = layerNorms.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return max >= 10 || max <= 0 ? 1.0 : oneSignificant(max / 10);
    }

    /** The value rounded down to one significant digit (0.00913 -> 0.009). */
    static double oneSignificant(double x) {
        if (!(x > 0) || !Double.isFinite(x)) return x;
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        double d = Math.floor(x / p + 1e-9);
        return Double.parseDouble(String.format(Locale.ROOT, "%.1e", Math.max(1, d) * p));
    }

    /** The RMS of a regression minibatch's finite labels: the scale a squared/absolute error's gradient grows with. */
    static double labelScale(DataSet batch) {
        if (batch.getLabels() == null) return 1;
        double sq = 0;
        long n = 0;
        for (double y : batch.getLabels().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c').data().asDouble()) {
            if (!Double.isFinite(y)) continue;
            sq += y * y;
            n++;
        }
        return n == 0 ? 1 : Math.sqrt(sq / n);
    }

    /** The updater of the layer a parameter key ({@code 2_W} in a MultiLayerNetwork, {@code dense_W} in a graph) belongs to. */
    private static IUpdater updater(Model m, String key) {
        try {
            String layer = key.substring(0, key.lastIndexOf('_'));
            org.deeplearning4j.nn.api.Layer l = m instanceof MultiLayerNetwork n ? n.getLayer(Integer.parseInt(layer))
                    : ((ComputationGraph) m).getLayer(layer);
            return l.conf().getLayer() instanceof BaseLayer b ? b.getIUpdater() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static double learningRate(Model m, String key) {
        IUpdater u = updater(m, key);
        return u != null && u.hasLearningRate() ? u.getLearningRate(0, 0) : Double.NaN;
    }

    /** Per layer (the key's part before the last '_'), the L2 norm of its gradient on the mean-loss scale. */
    private static Map<String, Double> layerNorms(Map<String, INDArray> grads, long mb) {
        Map<String, Double> sq = new LinkedHashMap<>();
        for (var e : grads.entrySet()) {
            String k = e.getKey();
            String layer = k.contains("_") ? k.substring(0, k.lastIndexOf('_')) : k;
            double n = e.getValue().norm2Number().doubleValue() / mb;
            sq.merge(layer, n * n, Double::sum);
        }
        sq.replaceAll((k, v) -> Math.sqrt(v));
        return sq;
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
