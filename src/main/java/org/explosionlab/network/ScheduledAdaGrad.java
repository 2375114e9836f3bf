package org.explosionlab.network;

import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's {@link AdaGrad} (Duchi et al. 2011: θ ← θ − lr(i)·g/(√(Σg²) + ε)) whose {@link #clone()} keeps the
 * learning-rate schedule. DL4J 1.0.0-M2.1's {@code AdaGrad.clone()} returns {@code new AdaGrad(learningRate,
 * epsilon)} and so drops it, and the configuration builder clones the updater into every layer: without
 * this class an ADAGRAD run silently ignores its {@code lrSchedule}.
 */
public class ScheduledAdaGrad extends AdaGrad {

    @JsonCreator
    public ScheduledAdaGrad(@JsonProperty("learningRate") double learningRate,
                            @JsonProperty("learningRateSchedule") ISchedule learningRateSchedule,
                            @JsonProperty("epsilon") double epsilon) {
        super(learningRate, epsilon);
        setLearningRateSchedule(learningRateSchedule);
    }

    @Override
    public ScheduledAdaGrad clone() {
        return new ScheduledAdaGrad(getLearningRate(), getLearningRateSchedule() == null ? null : getLearningRateSchedule().clone(),
                getEpsilon());
    }
}
