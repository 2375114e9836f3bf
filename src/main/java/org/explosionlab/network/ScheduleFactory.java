package org.explosionlab.network;

import org.explosionlab.spec.ScheduleSpec;
import org.nd4j.linalg.schedule.CycleSchedule;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.SigmoidSchedule;
import org.nd4j.linalg.schedule.StepSchedule;

/** Maps a {@link ScheduleSpec} onto the DL4J {@link ISchedule} with the same formula. */
public final class ScheduleFactory {
    private ScheduleFactory() {
    }

    /**
     * The DL4J schedule for {@code spec}, starting at {@code lr0}; null spec = constant {@code lr0}
     * (returned as null so the updater keeps its plain learning rate).
     */
    public static ISchedule create(ScheduleSpec spec, double lr0) {
        if (spec == null) return null;
        if (spec instanceof ScheduleSpec.Fixed f) {
            return new FixedSchedule(lr0);
        } else if (spec instanceof ScheduleSpec.Exponential e) {
            return new ExponentialSchedule(e.scheduleType(), lr0, e.gamma());
        } else if (spec instanceof ScheduleSpec.Step s) {
            return new StepSchedule(s.scheduleType(), lr0, s.decayRate(), s.step());
        } else if (spec instanceof ScheduleSpec.Inverse i) {
            return new InverseSchedule(i.scheduleType(), lr0, i.gamma(), i.power());
        } else if (spec instanceof ScheduleSpec.Poly p) {
            return new PolyDecaySchedule(p.scheduleType(), lr0, p.power(), p.maxIter());   // not DL4J's PolySchedule: see PolyDecaySchedule
        } else if (spec instanceof ScheduleSpec.Sigmoid s) {
            return new SigmoidSchedule(s.scheduleType(), lr0, s.gamma(), s.stepSize());
        } else if (spec instanceof ScheduleSpec.MapSchedule m) {
            var values = new java.util.TreeMap<>(m.values());
            values.putIfAbsent(0, lr0);
            return new MapSchedule(m.scheduleType(), values);
        } else if (spec instanceof ScheduleSpec.Cycle c) {
            return new CycleSchedule(c.scheduleType(), lr0, c.maxLearningRate(), c.cycleLength(),
                    c.annealingLength(), c.annealingDecay());
        } else if (spec instanceof ScheduleSpec.Ramp r) {
            return new WarmupRampSchedule(nonNull(create(r.base(), lr0), lr0), r.rampIterations());   // DL4J's RampSchedule has no JSON creator
        } else if (spec instanceof ScheduleSpec.TfExponentialDecay tf) {
            return tensorflowExponentialDecay(tf, lr0);
        }
        throw new IllegalArgumentException("unhandled " + spec);
    }

    /**
     * TensorFlow's {@code exponential_decay(lr0, step, decay_steps, decay_rate, staircase)} =
     * lr0·rate^(step/decay_steps) (⌊·⌋ when staircase), exactly: staircase →
     * {@code StepSchedule(lr0, rate, decay_steps)} = lr0·rate^⌊i/steps⌋; smooth →
     * {@code ExponentialSchedule(lr0, γ)} = lr0·γ^i with γ = rate^(1/decay_steps).
     */
    static ISchedule tensorflowExponentialDecay(ScheduleSpec.TfExponentialDecay tf, double lr0) {
        if (tf.staircase()) return new StepSchedule(tf.scheduleType(), lr0, tf.decayRate(), tf.decaySteps());
        return new ExponentialSchedule(tf.scheduleType(), lr0, Math.pow(tf.decayRate(), 1.0 / tf.decaySteps()));
    }

    private static ISchedule nonNull(ISchedule s, double lr0) {
        return s == null ? new FixedSchedule(lr0) : s;
    }
}
