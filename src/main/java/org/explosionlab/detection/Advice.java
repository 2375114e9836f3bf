package org.explosionlab.detection;

import java.util.List;

/**
 * What to do after an event, fitted to the network ({@link NetworkFacts}): the learning-rate call uses the
 * network's own updater class and rate ({@code .updater(new Adam(1.0E-4))} for an Adam user, not
 * {@code Sgd(lr / 10)}); clipping is suggested only where nothing clips yet, and named as already there
 * otherwise; recurrent networks get DL4J's per-layer clipping; ReLU networks He init. Each fix is given as a
 * DL4J call for the user's own program and as the CLI's {@code --set}.
 */
final class Advice {
    private Advice() {
    }

    private static String lowerLr(NetworkFacts f) {
        return "lower the learning rate 10x (" + f.updaterCall(0.1) + "; " + f.learningRateSet(0.1) + ")";
    }

    private static String clip(NetworkFacts f) {
        if (f.clipping() != null && f.clipping().equals("skip-non-finite")) {
            return "the network already skips non-finite steps (skip-non-finite), which keeps NaN out of the weights but does"
                    + " not shorten a large step: clip the global gradient norm (Remedies.globalNorm(1.0).installOn(net);"
                    + " --set clipping=global_l2 --set clipThreshold=1.0)";
        }
        if (f.clipping() != null) {
            return "the network already clips (" + f.clipping() + "), and clipping acts on the update, not on the cause";
        }
        if (f.recurrent()) {
            return "clip per layer, as recurrent networks need (.gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                    + ".gradientNormalizationThreshold(1.0); --set gradientNormalization=ClipL2PerLayer)";
        }
        return "clip the global gradient norm (Remedies.globalNorm(1.0).installOn(net); --set clipping=global_l2 --set clipThreshold=1.0)";
    }

    private static String heInit(NetworkFacts f) {
        return f.relu() ? "He init for the ReLU layers (.weightInit(WeightInit.RELU); --set weightInit=RELU)"
                : "Xavier init (.weightInit(WeightInit.XAVIER); --set weightInit=XAVIER)";
    }

    /** After an explosion; {@code atStart}: it came in the first steps, before any history (the init is the usual cause). */
    static String explosion(NetworkFacts f, boolean atStart) {
        if (atStart) {
            return "The gradient was already huge at the first step, before any update: the cause is what the first step"
                    + " multiplies, " + firstStepCauses(f) + ". Then, if it persists, " + lowerLr(f)
                    + (f.clipping() == null ? "; " + clip(f) + " as a guard." : "; " + clip(f) + ".");
        }
        return "Try to " + lowerLr(f) + "; " + clip(f) + (f.clipping() == null ? "; or " + heInit(f) + "." : ".");
    }

    /**
     * The causes of a first-step explosion, checked in the order the network's facts make likely; none is asserted, since
     * the init, the input scale and the label scale all multiply the first gradient.
     */
    private static String firstStepCauses(NetworkFacts f) {
        String init = f.weightInit() == null ? "the initial weights (" + heInit(f) + ")"
                : "the initial weights (" + f.weightInit() + " here" + (initIsScaled(f) ? ", a scaled init" : "; try " + heInit(f)) + ")";
        String inputs = "the input scale (normalize the features, e.g. pixels / 255 or NormalizerStandardize)";
        String labels = "the label scale (standardize the regression targets, e.g. NormalizerStandardize with fitLabel(true))";
        List<String> order = new java.util.ArrayList<>();
        if (f.squaredErrorLoss()) order.add(labels);
        if (initIsScaled(f)) {
            order.add(inputs);
            order.add(init);
        } else {
            order.add(init);
            order.add(inputs);
        }
        if (!f.squaredErrorLoss() && f.lossFunction() == null) order.add(labels);
        return "check " + String.join(", then ", order);
    }

    /** Whether the init is one that scales the weights by the fan-in/fan-out (Xavier, He/RELU, LeCun). */
    private static boolean initIsScaled(NetworkFacts f) {
        String w = f.weightInit() == null ? "" : f.weightInit().toUpperCase(java.util.Locale.ROOT);
        return w.startsWith("XAVIER") || w.startsWith("RELU") || w.startsWith("LECUN") || w.startsWith("VAR_SCALING")
                || w.startsWith("VARSCALING");
    }

    /**
     * After a non-finite value; {@code suddenFromFinite}: the step before was finite with an ordinary gradient (no explosion
     * so far), so the data is the likelier source; {@code skipped}: a remedy skipped the step, the weights stayed finite.
     */
    static String nonFinite(NetworkFacts f, boolean suddenFromFinite, boolean skipped) {
        String data = "check the data for NaN or Infinity in the features and the labels (e.g. BooleanIndexing.or(ds.getLabels(),"
                + " Conditions.isNan()) per minibatch)";
        if (skipped) {
            return "The remedy skipped the step, so the weights stayed finite; " + data
                    + (suddenFromFinite ? ", since the values were finite and ordinary the step before." : "; else " + lowerLr(f) + ".");
        }
        String skip = f.skipsNonFinite() ? "" : "; or skip non-finite steps (Remedies.skipNonFinite(5).installOn(net);"
                + " --set skipNonFinite=true)";
        if (suddenFromFinite) {
            return "The values were finite and ordinary the step before, with no explosion before it: first " + data
                    + "; if the data is clean, " + lowerLr(f) + "; " + clip(f) + skip + ".";
        }
        return "Try to " + lowerLr(f) + "; " + clip(f) + skip + ".";
    }

    /**
     * After a run that did not learn; {@code stillFalling}: its loss was still clearly falling at the end (the run is
     * too short for its learning rate rather than broken).
     */
    static String notLearning(NetworkFacts f, double ratio, boolean stillFalling) {
        if (stillFalling) {
            return "The loss was still falling where the run ended: train longer (more epochs) before changing anything"
                    + (ratio < 1e-4 ? ", or raise the learning rate (" + f.updaterCall(10) + "; " + f.learningRateSet(10) + ")." : ".");
        }
        return slow(f, ratio);
    }

    static String collapse(NetworkFacts f) {
        return "The units died after a too-large step: " + heInit(f) + ", " + lowerLr(f)
                + (f.clipping() == null ? ", and " + clip(f) + " so that one spike cannot kill the network." : ".");
    }

    static String deadUnits(NetworkFacts f) {
        return "ReLU units die after too-large steps or from a bad init: " + lowerLr(f) + ", " + heInit(f)
                + ", or a leaky ReLU that cannot die (.activation(Activation.LEAKYRELU); --set activations=LEAKYRELU,...).";
    }

    static String largeUpdates(NetworkFacts f, double ratio) {
        double factor = Math.min(1000, Math.max(10, Math.pow(10, Math.ceil(Math.log10(ratio / 1e-2)))));
        return "Lower the learning rate " + NetworkFacts.number(factor) + "x (" + f.updaterCall(1 / factor) + "; "
                + f.learningRateSet(1 / factor) + ")" + (f.clipping() == null ? ", or shorten the steps: " + clip(f) + "." : "; " + clip(f) + ".");
    }

    static String vanishing(NetworkFacts f, boolean schedule) {
        if (schedule) {
            return "The learning-rate schedule decays too fast: a larger decay_steps or a floor (--set lrSchedule...).";
        }
        return "Make the updates reach the layer: " + heInit(f) + ", fewer saturating activations, or a larger learning rate ("
                + f.updaterCall(10) + "; " + f.learningRateSet(10) + ")"
                + ("Adam".equals(f.updater()) ? "." : ", or an adaptive updater (.updater(new Adam(1e-3)); --set updater=ADAM).");
    }

    /** After a stall or a run that did not learn; {@code ratio}: the layer's median update ratio furthest from 1e-3 (NaN: unknown). */
    static String slow(NetworkFacts f, double ratio) {
        if (ratio > 1e-2) return "The steps are too long to learn: " + lowerLr(f) + (f.clipping() == null ? ", or " + clip(f) + "." : ".");
        if (ratio < 1e-4) {
            return "The steps are too short to learn: raise the learning rate (" + f.updaterCall(10) + "; " + f.learningRateSet(10)
                    + ")" + ("Adam".equals(f.updater()) ? "" : " or use Adam (.updater(new Adam(1e-3)); --set updater=ADAM)")
                    + "; a loss that does not match the output (MSE on a softmax) also crawls: use cross-entropy (LossFunction.MCXENT).";
        }
        String loss = lossMismatch(f);
        return "The update sizes are in DL4J's range: " + (loss == null ? "" : loss + "; ") + "check that the inputs are scaled"
                + " (e.g. pixels / 255) and that the labels match the inputs (shuffled or misaligned labels cannot be learned).";
    }

    /** The advice on the loss when it does not fit the output, null when it does (or is unknown and cannot be judged). */
    private static String lossMismatch(NetworkFacts f) {
        if (f.lossFunction() == null) return "check the loss matches the output (cross-entropy for softmax, LossFunction.MCXENT)";
        boolean softmax = "SOFTMAX".equalsIgnoreCase(f.outputActivation());
        boolean crossEntropy = f.lossFunction().toUpperCase(java.util.Locale.ROOT).contains("XENT")
                || f.lossFunction().toUpperCase(java.util.Locale.ROOT).contains("NEGATIVELOGLIKELIHOOD");
        if (softmax && !crossEntropy) {
            return "the loss " + f.lossFunction() + " on a softmax output learns slowly: use cross-entropy (LossFunction.MCXENT)";
        }
        return null;
    }

    static String contained(NetworkFacts f, boolean fromInit) {
        String cause = fromInit ? "the initial weights: use " + heInit(f) : "the learning rate: " + lowerLr(f);
        return "The remedy works, but it treats the symptom on every step; the cause is " + cause
                + ". Keep the clip as a guard once the raw norm is back near what it lets through.";
    }
}
