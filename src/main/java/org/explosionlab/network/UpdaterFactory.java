package org.explosionlab.network;

import org.explosionlab.spec.ExperimentSpec;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Maps the spec's optimizer fields onto one DL4J {@link IUpdater}, learning-rate schedule included.

 */
public final class UpdaterFactory {
    private UpdaterFactory() {
    }

    public static IUpdater create(ExperimentSpec s) {
        ISchedule schedule = ScheduleFactory.create(s.optimizer().lrSchedule(), s.optimizer().learningRate());
        double lr = s.optimizer().learningRate();
        return switch (s.optimizer().updater()) {
            case SGD -> schedule == null ? new Sgd(lr) : new Sgd(schedule);
            case ADAM -> Adam.builder().learningRate(lr).learningRateSchedule(schedule)
                    .beta1(s.optimizer().beta1()).beta2(s.optimizer().beta2()).epsilon(s.optimizer().epsilon()).build();
            case ADAMAX -> {
                AdaMax adaMax = new AdaMax(lr, s.optimizer().beta1(), s.optimizer().beta2(), s.optimizer().epsilon());
                adaMax.setLearningRateSchedule(schedule);
                yield adaMax;
            }
            case NADAM -> Nadam.builder().learningRate(lr).learningRateSchedule(schedule)
                    .beta1(s.optimizer().beta1()).beta2(s.optimizer().beta2()).epsilon(s.optimizer().epsilon()).build();
            case AMSGRAD -> AMSGrad.builder().learningRate(lr).learningRateSchedule(schedule)
                    .beta1(s.optimizer().beta1()).beta2(s.optimizer().beta2()).epsilon(s.optimizer().epsilon()).build();
            case NESTEROVS -> schedule == null ? new Nesterovs(lr, s.optimizer().momentum()) : new Nesterovs(schedule, s.optimizer().momentum());
            case RMSPROP -> RmsProp.builder().learningRate(lr).learningRateSchedule(schedule)
                    .rmsDecay(s.optimizer().rmsDecay()).epsilon(s.optimizer().epsilon()).build();
            case ADAGRAD -> new ScheduledAdaGrad(lr, schedule, s.optimizer().epsilon());   // DL4J's AdaGrad.clone() drops the schedule
            case ADADELTA -> AdaDelta.builder().epsilon(s.optimizer().epsilon()).build();
        };
    }
}
