package org.explosionlab.spec;

import java.util.Set;

/**
 * The optimizers a spec can name; each maps to one DL4J {@code IUpdater} in
 * {@code org.explosionlab.network.UpdaterFactory}. Which spec fields each one reads:
 * learningRate and lrSchedule (all but ADADELTA, which has no learning rate), beta1/beta2/epsilon
 * (ADAM, ADAMAX, NADAM, AMSGRAD), momentum (NESTEROVS), rmsDecay/epsilon (RMSPROP), epsilon (ADAGRAD, ADADELTA).
 */
public enum UpdaterKind {
    SGD, ADAM, NESTEROVS, RMSPROP, ADAGRAD, ADADELTA, ADAMAX, NADAM, AMSGRAD;

    /** The spec fields of the optimizer family; {@link #reads} says which of them one updater uses. */
    public static final Set<String> OPTIMIZER_FIELDS = Set.of("learningRate", "lrSchedule", "beta1", "beta2", "epsilon",
            "momentum", "rmsDecay");

    /**
     * True when this updater reads {@code field}, as {@code UpdaterFactory} builds it (tested against the DL4J
     * {@code IUpdater} it returns); a field outside {@link #OPTIMIZER_FIELDS} is not the optimizer's, so true.
     */
    public boolean reads(String field) {
        boolean adamLike = this == ADAM || this == ADAMAX || this == NADAM || this == AMSGRAD;
        return switch (field) {
            case "learningRate", "lrSchedule" -> this != ADADELTA;
            case "beta1", "beta2" -> adamLike;
            case "epsilon" -> adamLike || this == RMSPROP || this == ADAGRAD || this == ADADELTA;
            case "momentum" -> this == NESTEROVS;
            case "rmsDecay" -> this == RMSPROP;
            default -> true;
        };
    }
}
