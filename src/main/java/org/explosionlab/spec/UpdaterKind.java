package org.explosionlab.spec;

/**
 * The optimizers a spec can name; each maps to one DL4J {@code IUpdater} in
 * {@code org.explosionlab.network.UpdaterFactory}. Which spec fields each one reads:
 * learningRate and lrSchedule (all but ADADELTA, which has no learning rate), beta1/beta2/epsilon
 * (ADAM, ADAMAX, NADAM, AMSGRAD), momentum (NESTEROVS), rmsDecay/epsilon (RMSPROP), epsilon (ADAGRAD, ADADELTA).
 */
public enum UpdaterKind {
    SGD, ADAM, NESTEROVS, RMSPROP, ADAGRAD, ADADELTA, ADAMAX, NADAM, AMSGRAD
}
