package org.explosionlab.diagnosis;

import static org.explosionlab.diagnosis.Numbers.fmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.explosionlab.diagnosis.NetworkView.LayerView;
import org.explosionlab.diagnosis.NetworkView.Output;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.*;

/** The checks that need only the configuration (what the monitor runs at attach time). */
final class ConfigChecks {
    private ConfigChecks() {
    }

    // ---------------------------------------------------------------- learning-rate-range

    /**
     * The usual learning-rate range of an updater family, with the rate from which training usually diverges. SGD
     * and momentum: 1e-4..0.1, diverging from 0.5 (momentum multiplies the step by 1/(1−μ)); Adam-like and RMSProp,
     * whose step is about lr per weight whatever the gradient: 1e-5..1e-2 (Keras' default 1e-3; dl4j-examples' LSTMs
     * use 5e-3), diverging from 3e-2; AdaGrad 1e-3..0.1, diverging from 1.
     */
    record Range(String family, double low, double high, double severe, double suggested) {
    }

    static Range rangeOf(IUpdater u) {
        if (u instanceof Sgd) return new Range("SGD", 1e-4, 0.1, 0.5, 0.1);
        if (u instanceof Nesterovs) return new Range("Nesterov momentum", 1e-4, 0.1, 0.5, 0.01);
        if (u instanceof Adam || u instanceof AdaMax || u instanceof Nadam || u instanceof AMSGrad || u instanceof AdaBelief) {
            return new Range("Adam family", 1e-5, 1e-2, 3e-2, 1e-3);
        }
        if (u instanceof RmsProp) return new Range("RMSProp", 1e-5, 1e-2, 3e-2, 1e-3);
        if (u instanceof AdaGrad) return new Range("AdaGrad", 1e-3, 0.1, 1.0, 0.01);
        return null;     // AdaDelta, NoOp: no learning rate
    }

    static List<Finding> learningRate(NetworkView net, String externalClipping) {
        List<Finding> out = new ArrayList<>();
        Map<String, List<String>> byUpdater = new LinkedHashMap<>();
        Map<String, IUpdater> updaters = new LinkedHashMap<>();
        for (LayerView l : net.layers) {
            BaseLayer b = l.base();
            if (b == null || b.getIUpdater() == null || !b.getIUpdater().hasLearningRate()) continue;
            if (l.layer().initializer().numParams(l.layer()) == 0) continue;
            IUpdater u = b.getIUpdater();
            String key = u.getClass().getSimpleName() + "@" + u.getLearningRate(0, 0);
            byUpdater.computeIfAbsent(key, k -> new ArrayList<>()).add(l.label());
            updaters.putIfAbsent(key, u);
        }
        boolean allClipped = clipsEveryLayer(net) || externalClipping != null;
        for (var e : updaters.entrySet()) {
            IUpdater u = e.getValue();
            Range r = rangeOf(u);
            if (r == null) continue;
            double lr = u.getLearningRate(0, 0);
            String where = String.join(", ", byUpdater.get(e.getKey()));
            String name = u.getClass().getSimpleName();
            String fix = "new " + name + "(" + fmt(r.suggested()) + ")" + (r.family().equals("Nesterov momentum") ? " with momentum 0.9" : "");
            Map<String, Double> nums = Map.of("learningRate", lr, "usualLow", r.low(), "usualHigh", r.high(), "divergesFrom", r.severe());
            if (lr > r.high()) {
                Severity sev = lr >= r.severe() ? (allClipped ? Severity.WARNING : Severity.SEVERE) : Severity.WARNING;
                String clip = allClipped ? "; the steps are clipped (" + (externalClipping != null ? externalClipping : "DL4J gradient normalization on every layer")
                        + "), which bounds them but does not shorten them to the usual size" : "";
                out.add(new Finding(Check.LEARNING_RATE_RANGE, sev, where,
                        String.format(java.util.Locale.ROOT, "%s learning rate %s at iteration 0, above the %s range %s..%s (training usually diverges from %s)%s",
                                name, fmt(lr), r.family(), fmt(r.low()), fmt(r.high()), fmt(r.severe()), clip),
                        nums, "a step too long overshoots the minimum; with ReLUs it throws units into a dead state, with any network it can "
                                + "grow the loss to Inf/NaN within a few iterations (the DL4J threads close these as 'tuning')",
                        null, ".updater(" + fix + ")", "learningRate=" + fmt(r.suggested())));
            } else if (lr < r.low() / 10) {
                out.add(new Finding(Check.LEARNING_RATE_RANGE, Severity.WARNING, where,
                        String.format(java.util.Locale.ROOT, "%s learning rate %s, far below the %s range %s..%s", name, fmt(lr), r.family(), fmt(r.low()), fmt(r.high())),
                        nums, "updates this small look like vanishing gradients: the loss barely moves", null,
                        ".updater(" + fix + ")", "learningRate=" + fmt(r.suggested())));
            }
        }
        return out;
    }

    /** True when every layer with parameters clips or renormalizes its gradient (DL4J GradientNormalization). */
    static boolean clipsEveryLayer(NetworkView net) {
        boolean any = false;
        for (LayerView l : net.layers) {
            BaseLayer b = l.base();
            if (b == null || l.layer().initializer().numParams(l.layer()) == 0) continue;
            any = true;
            if (b.getGradientNormalization() == null || b.getGradientNormalization() == GradientNormalization.None) return false;
        }
        return any;
    }

    // ---------------------------------------------------------------- loss-activation-mismatch

    static List<Finding> lossActivation(NetworkView net) {
        List<Finding> out = new ArrayList<>();
        for (Output o : net.outputs) {
            ILossFunction loss = o.loss();
            IActivation act = o.activation();
            String where = o.layer().label();
            String pair = Activations.name(act) + " + " + (loss == null ? "no loss" : loss.getClass().getSimpleName());
            // DL4J's own four rules: a configuration that holds such a pair was built with validateOutputLayerConfig(false)
            // (DL4J 1.0.0-M2.1 does not even keep that flag in the built configuration) or deserialized without the check
            String rejected = dl4jWouldReject(o);
            if (rejected != null) {
                out.add(new Finding(Check.LOSS_ACTIVATION_MISMATCH, Severity.SEVERE, where, pair + ": " + rejected
                                + " (DL4J's OutputLayerUtil rejects this pair; its check was turned off with validateOutputLayerConfig(false))",
                        Map.of(), "OutputLayerUtil.validateOutputLayerConfiguration exists because this pair cannot train", null,
                        "remove validateOutputLayerConfig(false) and use softmax + MCXENT (classes) or sigmoid + XENT (multi-label)", null));
            }
            boolean regression = loss instanceof LossMSE || loss instanceof LossL2 || loss instanceof LossL1 || loss instanceof LossMAE
                    || loss instanceof LossMAPE || loss instanceof LossMSLE;
            if (Activations.softmax(act) && regression) {
                out.add(new Finding(Check.LOSS_ACTIVATION_MISMATCH, Severity.WARNING, where,
                        pair + ": a squared/absolute error on softmax probabilities",
                        Map.of(), "the error passes through the softmax Jacobian diag(p) - p p^T, which is ~0 when the softmax saturates: "
                                + "large logits give a gradient of ~0 (a stall) and, where p underflows, 0/0 = NaN; cross-entropy cancels the "
                                + "Jacobian (dL/dz = p - y)", null,
                        "new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)", "lossFunction=MCXENT"));
            }
            if (Activations.sigmoidLike(act) && regression) {
                out.add(new Finding(Check.LOSS_ACTIVATION_MISMATCH, Severity.WARNING, where,
                        pair + ": a squared/absolute error on a sigmoid output",
                        Map.of(), "sigmoid' <= 0.25 and ~0 when saturated: a confidently wrong output gets almost no gradient; binary "
                                + "cross-entropy cancels it (dL/dz = p - y)", null,
                        "new OutputLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)", "lossFunction=XENT"));
            }
            if ((loss instanceof LossHinge || loss instanceof LossSquaredHinge) && (Activations.softmax(act) || Activations.sigmoidLike(act))) {
                out.add(new Finding(Check.LOSS_ACTIVATION_MISMATCH, Severity.WARNING, where,
                        pair + ": a hinge loss on probabilities in [0, 1]",
                        Map.of(), "hinge losses compare raw scores with labels -1/+1; a bounded output never reaches the margin", null,
                        "new OutputLayer.Builder(LossFunctions.LossFunction.HINGE).activation(Activation.IDENTITY)", null));
            }
            if ((loss instanceof LossPoisson || loss instanceof LossMSLE) && !(Activations.softmax(act) || Activations.sigmoidLike(act)
                    || act instanceof org.nd4j.linalg.activations.impl.ActivationSoftPlus || act instanceof org.nd4j.linalg.activations.impl.ActivationReLU)) {
                out.add(new Finding(Check.LOSS_ACTIVATION_MISMATCH, Severity.SEVERE, where,
                        pair + ": a log-based loss on an output that can be negative",
                        Map.of(), "Poisson and MSLE take log(output); a negative output gives log(<0) = NaN at the first step", null,
                        ".activation(Activation.SOFTPLUS)", null));
            }
            if (o.lossLayer() && Activations.softmax(act)) {
                LayerView prev = net.before(o.layer());
                if (prev != null && prev.base() != null && Activations.softmax(prev.base().getActivationFn())) {
                    out.add(new Finding(Check.LOSS_ACTIVATION_MISMATCH, Severity.WARNING, where,
                            "softmax applied twice: " + prev.label() + " ends in softmax and the LossLayer applies softmax again",
                            Map.of(), "softmax of probabilities in [0, 1] is nearly uniform: the loss cannot fall below ~ln(nOut) and the gradient is tiny",
                            null, "new LossLayer.Builder(loss).activation(Activation.IDENTITY)", null));
                }
            }
        }
        return out;
    }

    /** DL4J 1.0.0-M2.1's OutputLayerUtil rules, as words, or null when it would accept the pair. */
    static String dl4jWouldReject(Output o) {
        IActivation act = o.activation();
        ILossFunction loss = o.loss();
        if (!o.lossLayer() && o.nOut() == 1 && Activations.softmax(act)) return "softmax with nOut = 1 always outputs 1.0";
        if (loss != null && org.deeplearning4j.util.OutputLayerUtil.lossFunctionExpectsProbability(loss) && act != null
                && org.deeplearning4j.util.OutputLayerUtil.activationExceedsZeroOneRange(act, o.lossLayer())) {
            return "the loss expects probabilities in [0, 1] but the activation is not bounded to it";
        }
        if (Activations.softmax(act) && loss instanceof LossBinaryXENT) return "softmax + binary cross-entropy";
        if (act instanceof org.nd4j.linalg.activations.impl.ActivationSigmoid && loss instanceof LossMCXENT) return "sigmoid + multi-class cross-entropy";
        return null;
    }

    // ---------------------------------------------------------------- recurrent-without-clipping

    static List<Finding> recurrentClipping(NetworkView net, String externalClipping) {
        List<String> unclipped = new ArrayList<>();
        for (LayerView l : net.layers) {
            if (!l.recurrent()) continue;
            BaseLayer b = l.base();
            GradientNormalization g = b == null ? null : b.getGradientNormalization();
            if (g == null || g == GradientNormalization.None) unclipped.add(l.label());
        }
        if (unclipped.isEmpty() || externalClipping != null) return List.of();
        return List.of(new Finding(Check.RECURRENT_WITHOUT_CLIPPING, Severity.WARNING, String.join(", ", unclipped),
                unclipped.size() + " recurrent layer(s) with GradientNormalization.None",
                Map.of("recurrentLayers", (double) unclipped.size()),
                "backpropagation through time multiplies by the recurrent weights once per time step, so one long sequence can "
                        + "produce a gradient many orders larger than the rest (Pascanu et al. 2013); DL4J's examples clip every LSTM",
                null, ".gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(1.0)",
                "gradientNormalization=ClipElementWiseAbsoluteValue"));
    }

    // ---------------------------------------------------------------- dropout-retain-probability

    static List<Finding> dropout(NetworkView net) {
        List<Finding> out = new ArrayList<>();
        for (LayerView l : net.layers) {
            if (!(l.layer().getIDropout() instanceof Dropout d) || d.getPSchedule() != null) continue;
            double p = d.getP();
            if (p <= 0 || p >= 0.5) continue;
            Severity sev = p <= 0.1 ? Severity.SEVERE : Severity.WARNING;
            out.add(new Finding(Check.DROPOUT_RETAIN_PROBABILITY, sev, l.label(),
                    String.format(java.util.Locale.ROOT, "dropOut(%s): DL4J keeps each input with probability %s, i.e. drops %.0f %% and scales "
                            + "the kept ones by 1/p = %s (inverted dropout)", fmt(p), fmt(p), 100 * (1 - p), fmt(1 / p)),
                    Map.of("retainProbability", p, "scale", 1 / p),
                    "DL4J's dropOut(p) takes the probability of KEEPING a unit (Keras and PyTorch take the drop rate); a value below 0.5 "
                            + "is almost always a drop rate, and the 1/p scaling inflates the activations and gradients",
                    null, ".dropOut(" + fmt(1 - p) + ")   // keep " + fmt(1 - p) + ", i.e. drop " + fmt(p), null));
        }
        return out;
    }

    // ---------------------------------------------------------------- l2-too-large

    /**
     * Layers with the same penalty, coefficient, updater and learning rate form one finding (like {@code learning-rate-range}).
     * What a penalty does per step depends on where DL4J applies it: {@link L2Regularization} and {@link L1Regularization}
     * add l2 w (l1 sign(w)) to the gradient <em>before</em> the updater, so plain SGD shrinks the weights by lr l2 per step
     * (w &lt;- w (1 - lr l2)), momentum accumulates that, and an adaptive updater (Adam, RMSProp, AdaGrad...) divides the
     * sum by its running RMS, so where the penalty dominates every weight moves by about lr toward 0, whatever l2;
     * {@link WeightDecay} is applied <em>after</em> the updater, w &lt;- w (1 - lr c) whatever the updater.
     * Severe from a coefficient of 0.1, or when the per-step shrink lr c (SGD, momentum, weight decay) reaches 1.
     */
    static List<Finding> l2(NetworkView net) {
        record Key(String kind, double c, String updater, double lr, boolean applyLr) {
        }
        Map<Key, List<String>> groups = new LinkedHashMap<>();
        for (LayerView l : net.layers) {
            BaseLayer b = l.base();
            if (b == null || b.getRegularization() == null) continue;
            IUpdater u = b.getIUpdater();
            double lr = u != null && u.hasLearningRate() ? u.getLearningRate(0, 0) : Double.NaN;
            String updater = u == null ? "?" : u.getClass().getSimpleName();
            for (Regularization r : b.getRegularization()) {
                Key k;
                if (r instanceof L2Regularization l2) k = new Key("l2", l2.getL2().valueAt(0, 0), updater, lr, true);
                else if (r instanceof WeightDecay wd) k = new Key("weightDecay", wd.getCoeff().valueAt(0, 0), updater, lr, wd.isApplyLR());
                else if (r instanceof L1Regularization l1) k = new Key("l1", l1.getL1().valueAt(0, 0), updater, lr, true);
                else continue;
                groups.computeIfAbsent(k, x -> new ArrayList<>()).add(l.label());
            }
        }
        List<Finding> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            Key k = e.getKey();
            double c = k.c(), lr = k.lr();
            boolean decay = k.kind().equals("weightDecay");
            boolean plain = k.updater().equals("Sgd"), momentum = k.updater().equals("Nesterovs");
            double factor = decay && !k.applyLr() ? 1.0 : lr;
            double shrink = decay || plain || momentum ? factor * c : Double.NaN;
            boolean severe = c >= 0.1 || (!Double.isNaN(shrink) && shrink >= 1.0);
            if (c <= 1e-2 && !severe) continue;
            String per;
            String why;
            if (decay) {
                per = Double.isNaN(shrink) ? "" : String.format(java.util.Locale.ROOT,
                        "; DL4J applies weight decay after the %s updater: every step shrinks the weights by %s = %s", k.updater(),
                        k.applyLr() ? "lr " + fmt(lr) + " x weightDecay" : "weightDecay (applyLR false)", fmt(shrink));
                why = "decoupled weight decay w <- w (1 - lr c) outweighs what the data teaches: the weights are pulled to 0 (nothing learned) "
                        + "and, once lr c > 2, flip sign and grow every step";
            } else if (plain || momentum) {
                String move = k.kind().equals("l2") ? "shrinks the weights by lr x l2" : "moves every weight toward 0 by lr x l1";
                per = Double.isNaN(shrink) ? "" : String.format(java.util.Locale.ROOT, "; with %s learning rate %s every step %s = %s%s",
                        k.updater(), fmt(lr), move, fmt(shrink), momentum ? ", and the momentum accumulates it (up to ~10x at momentum 0.9)" : "");
                why = "the penalty's gradient " + (k.kind().equals("l2") ? "l2 w" : "l1 sign(w)") + " outweighs the data's: the weights are pulled to 0 "
                        + "(nothing learned)" + (k.kind().equals("l2") ? " and, once lr l2 > 2, w <- w (1 - lr l2) flips sign and grows every step" : "");
            } else {
                per = Double.isNaN(lr) ? "" : String.format(java.util.Locale.ROOT,
                        "; %s rescales the gradient, penalty included, by its running RMS: where the penalty dominates, every step moves each "
                                + "weight by about its learning rate %s toward 0, whatever the coefficient", k.updater(), fmt(lr));
                why = "DL4J adds the penalty's gradient " + (k.kind().equals("l2") ? "l2 w" : "l1 sign(w)") + " before the updater; when it outweighs "
                        + "the data's gradient, the adaptive updater's normalized steps follow the penalty and the weights are pulled to 0 (nothing "
                        + "learned); for Adam, decoupled weight decay (.regularization(List.of(new WeightDecay(1e-4, true)))) is the usual choice";
            }
            Map<String, Double> nums = new LinkedHashMap<>();
            nums.put("coefficient", c);
            nums.put("learningRate", lr);
            nums.put("shrinkPerStep", shrink);
            nums.put("layers", (double) e.getValue().size());
            out.add(new Finding(Check.L2_TOO_LARGE, severe ? Severity.SEVERE : Severity.WARNING, String.join(", ", e.getValue()),
                    String.format(java.util.Locale.ROOT, "%s %s (usual 1e-6..1e-3)%s", k.kind(), fmt(c), per), nums, why,
                    null, "." + k.kind() + "(1e-4)", k.kind().equals("l2") ? "l2=0.0001" : k.kind().equals("l1") ? "l1=0.0001" : null));
        }
        return out;
    }

    // ---------------------------------------------------------------- init-activation-mismatch

    /** One weighted layer's init scale: r = rms(W) √fanIn / gain(activation); 1 keeps the activations' scale. */
    record InitRatio(LayerView layer, String init, double rms, double fanIn, double ratio, IActivation activation) {
    }

    static List<InitRatio> initRatios(NetworkView net) {
        List<InitRatio> out = new ArrayList<>();
        for (LayerView l : net.layers) {
            if (!(l.layer() instanceof FeedForwardLayer f) || l.recurrent()) continue;
            if (!(f instanceof DenseLayer || f instanceof ConvolutionLayer || f instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer)) continue;
            if (f.getWeightInitFn() == null || f.getNIn() <= 0 || f.getNOut() <= 0) continue;
            double fanIn = f.getNIn(), fanOut = f.getNOut();
            if (f instanceof ConvolutionLayer c) {
                long k = 1;
                for (int s : c.getKernelSize()) k *= s;
                long st = 1;
                for (int s : c.getStride()) st *= s;
                fanIn *= k;
                fanOut = fanOut * k / st;
            }
            double rms = InitScale.rms(f.getWeightInitFn(), fanIn, fanOut);
            if (Double.isNaN(rms)) continue;
            IActivation act = f.getActivationFn();
            out.add(new InitRatio(l, InitScale.describe(f.getWeightInitFn()), rms, fanIn, rms * Math.sqrt(fanIn) / Activations.gain(act), act));
        }
        return out;
    }

    static List<Finding> init(NetworkView net) {
        List<InitRatio> ratios = initRatios(net);
        if (ratios.isEmpty()) return List.of();
        InitRatio worst = ratios.get(0);
        double product = 1;
        for (InitRatio r : ratios) {
            if (r.ratio() > worst.ratio()) worst = r;
            product *= r.ratio();
            if (hasNormalization(net, r.layer())) product = r.ratio();
        }
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("worstLayerRatio", worst.ratio());
        nums.put("worstLayerWeightRms", worst.rms());
        nums.put("forwardGain", product);
        String detail = String.format(java.util.Locale.ROOT, "%s weights, rms %s on fan-in %.0f before %s; the scale that keeps activations steady is "
                        + "%s/sqrt(fan-in) = %s, so this layer multiplies the signal by ~%s, the whole stack by ~%s",
                worst.init(), fmt(worst.rms()), worst.fanIn(), Activations.name(worst.activation()),
                Activations.reluLike(worst.activation()) ? "sqrt(2)" : "1", fmt(Activations.gain(worst.activation()) / Math.sqrt(worst.fanIn())),
                fmt(worst.ratio()), fmt(product));
        String fixCall = Activations.reluLike(worst.activation()) ? ".weightInit(WeightInit.RELU)   // He: N(0, 2/fanIn)" : ".weightInit(WeightInit.XAVIER)";
        String fixSet = Activations.reluLike(worst.activation()) ? "weightInit=RELU" : "weightInit=XAVIER";
        String why = "activations (and, backwards, gradients) are multiplied by about r = rms(W) sqrt(fanIn)/gain per layer; r >> 1 explodes "
                + "the first forward pass and its gradient, r << 1 over many layers vanishes it";
        if (worst.ratio() >= 4 || product >= 20) {
            return List.of(new Finding(Check.INIT_ACTIVATION_MISMATCH, Severity.SEVERE, worst.layer().label(), detail, nums, why, null, fixCall, fixSet));
        }
        if (worst.ratio() >= 2 || product >= 5) {
            return List.of(new Finding(Check.INIT_ACTIVATION_MISMATCH, Severity.WARNING, worst.layer().label(), detail, nums, why, null, fixCall, fixSet));
        }
        if (ratios.size() >= 4 && product <= 0.05) {
            InitRatio least = ratios.stream().min(java.util.Comparator.comparingDouble(InitRatio::ratio)).orElseThrow();
            String fix = Activations.reluLike(least.activation()) ? ".weightInit(WeightInit.RELU)" : ".weightInit(WeightInit.XAVIER)";
            return List.of(new Finding(Check.INIT_ACTIVATION_MISMATCH, Severity.WARNING, least.layer().label(),
                    String.format(java.util.Locale.ROOT, "the stack of %d layers shrinks the signal by ~%s at init (%s: %s, r = %s)", ratios.size(), fmt(product),
                            least.layer().label(), least.init(), fmt(least.ratio())),
                    nums, why, null, fix, Activations.reluLike(least.activation()) ? "weightInit=RELU" : "weightInit=XAVIER"));
        }
        return List.of();
    }

    private static boolean hasNormalization(NetworkView net, LayerView l) {
        LayerView prev = net.before(l);
        return prev != null && (prev.layer() instanceof BatchNormalization
                || prev.layer() instanceof LocalResponseNormalization);
    }

    // ---------------------------------------------------------------- deep-saturating-stack

    static List<Finding> deepSaturating(NetworkView net) {
        Map<LayerView, Double> ratio = new LinkedHashMap<>();
        for (InitRatio r : initRatios(net)) ratio.put(r.layer(), r.ratio());
        List<Finding> out = new ArrayList<>();
        List<LayerView> run = new ArrayList<>();
        for (LayerView l : net.layers) {
            boolean output = net.outputs.stream().anyMatch(o -> o.layer() == l);
            BaseLayer b = l.base();
            boolean sat = !output && b != null && Activations.saturating(b.getActivationFn())
                    && !(b instanceof DenseLayer d && Boolean.TRUE.equals(d.hasLayerNorm()));
            if (sat) {
                run.add(l);
                continue;
            }
            if (l.layer().initializer().numParams(l.layer()) == 0 && !(l.layer() instanceof BatchNormalization) && !output) continue;  // dropout, pooling: not a break
            judgeRun(run, ratio, out);
            run = new ArrayList<>();
        }
        judgeRun(run, ratio, out);
        return out;
    }

    private static void judgeRun(List<LayerView> run, Map<LayerView, Double> ratio, List<Finding> out) {
        int n = run.size();
        if (n < 5) return;
        boolean sigmoid = run.stream().allMatch(l -> Activations.sigmoidLike(l.base().getActivationFn()));
        double logSum = 0;
        int known = 0;
        for (LayerView l : run) {
            Double r = ratio.get(l);
            if (r != null && r > 0) { logSum += Math.log(r); known++; }
        }
        double mean = known == 0 ? Double.NaN : Math.exp(logSum / known);
        String where = run.get(0).label() + " .. " + run.get(n - 1).label();
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("layers", (double) n);
        nums.put("meanInitRatio", mean);
        String why = "every saturating layer multiplies the backpropagated error by W^T diag(f'(z)); over many layers this product "
                + "either vanishes (underflow to 0, then 0/0 = NaN in the updater) or, with weights above the order-to-chaos edge "
                + "(sigma_w sqrt(fanIn) > 1 for tanh), explodes toward the input";
        String fix = "Activation.RELU with .weightInit(WeightInit.RELU), or a BatchNormalization layer every few layers";
        if (sigmoid) {
            out.add(new Finding(Check.DEEP_SATURATING_STACK, n >= 10 ? Severity.SEVERE : Severity.WARNING, where,
                    String.format(java.util.Locale.ROOT, "%d sigmoid layers in a row: sigmoid' <= 0.25, so the error shrinks by at least 4^%d = %s", n, n, fmt(Math.pow(4, n))),
                    nums, why, null, fix, null));
        } else if (!Double.isNaN(mean) && mean >= 1.5) {
            out.add(new Finding(Check.DEEP_SATURATING_STACK, Severity.SEVERE, where,
                    String.format(java.util.Locale.ROOT, "%d tanh-like layers in a row with weights at %s x the order-to-chaos edge (sigma_w sqrt(fanIn) = %s): "
                            + "the backpropagated error grows layer by layer toward the input", n, fmt(mean), fmt(mean)),
                    nums, why, null, fix, null));
        } else if (!Double.isNaN(mean) && mean <= 0.7) {
            out.add(new Finding(Check.DEEP_SATURATING_STACK, Severity.WARNING, where,
                    String.format(java.util.Locale.ROOT, "%d tanh-like layers in a row with weights at %s x the edge: the error shrinks by ~%s over the stack",
                            n, fmt(mean), fmt(Math.pow(mean, n))),
                    nums, why, null, fix, null));
        } else if (n >= 10) {
            out.add(new Finding(Check.DEEP_SATURATING_STACK, Severity.WARNING, where,
                    n + " saturating layers in a row without normalization", nums, why, null, fix, null));
        }
    }
}
