package org.explosionlab.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * A learning-rate schedule: one record per DL4J {@code ISchedule}, plus TensorFlow's
 * {@code exponential_decay} as a named mapping. The schedule's starting value is always the spec's
 * {@code learningRate}; {@code scheduleType} says whether {@code i} below counts iterations or epochs
 * (DL4J counts both from 0, like TensorFlow's {@code global_step}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ScheduleSpec.Fixed.class, name = "fixed"),
    @JsonSubTypes.Type(value = ScheduleSpec.Exponential.class, name = "exponential"),
    @JsonSubTypes.Type(value = ScheduleSpec.Step.class, name = "step"),
    @JsonSubTypes.Type(value = ScheduleSpec.Inverse.class, name = "inverse"),
    @JsonSubTypes.Type(value = ScheduleSpec.Poly.class, name = "poly"),
    @JsonSubTypes.Type(value = ScheduleSpec.Sigmoid.class, name = "sigmoid"),
    @JsonSubTypes.Type(value = ScheduleSpec.MapSchedule.class, name = "map"),
    @JsonSubTypes.Type(value = ScheduleSpec.Cycle.class, name = "cycle"),
    @JsonSubTypes.Type(value = ScheduleSpec.Ramp.class, name = "ramp"),
    @JsonSubTypes.Type(value = ScheduleSpec.TfExponentialDecay.class, name = "tf_exponential_decay")
})
public sealed interface ScheduleSpec {

    /** The DL4J counter the schedule reads; {@code ITERATION} when absent. */
    ScheduleType scheduleType();

    private static ScheduleType orIteration(ScheduleType t) {
        return t == null ? ScheduleType.ITERATION : t;
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw SpecException.field("lrSchedule." + field, "a finite number > 0", v);
    }

    /** lr(i) = lr₀ (DL4J {@code FixedSchedule}). */
    record Fixed(ScheduleType scheduleType) implements ScheduleSpec {
        public Fixed {
            scheduleType = orIteration(scheduleType);
        }
    }

    /** lr(i) = lr₀·γ^i (DL4J {@code ExponentialSchedule}). */
    record Exponential(ScheduleType scheduleType, double gamma) implements ScheduleSpec {
        public Exponential {
            scheduleType = orIteration(scheduleType);
            positive("gamma", gamma);
        }
    }

    /** lr(i) = lr₀·decayRate^⌊i/step⌋ (DL4J {@code StepSchedule}). */
    record Step(ScheduleType scheduleType, double decayRate, double step) implements ScheduleSpec {
        public Step {
            scheduleType = orIteration(scheduleType);
            positive("decayRate", decayRate);
            positive("step", step);
        }
    }

    /** lr(i) = lr₀/(1+γ·i)^power (DL4J {@code InverseSchedule}). */
    record Inverse(ScheduleType scheduleType, double gamma, double power) implements ScheduleSpec {
        public Inverse {
            scheduleType = orIteration(scheduleType);
            positive("gamma", gamma);
            positive("power", power);
        }
    }

    /** lr(i) = lr₀·(1 − i/maxIter)^power (DL4J {@code PolySchedule}). */
    record Poly(ScheduleType scheduleType, double power, int maxIter) implements ScheduleSpec {
        public Poly {
            scheduleType = orIteration(scheduleType);
            positive("power", power);
            positive("maxIter", maxIter);
        }
    }

    /** lr(i) = lr₀/(1+exp(−γ·(i−stepSize))) (DL4J {@code SigmoidSchedule}). */
    record Sigmoid(ScheduleType scheduleType, double gamma, int stepSize) implements ScheduleSpec {
        public Sigmoid {
            scheduleType = orIteration(scheduleType);
            positive("gamma", gamma);
            if (stepSize < 0) throw SpecException.field("lrSchedule.stepSize", ">= 0", stepSize);
        }
    }

    /**
     * lr(i) = values[k] for the largest key k ≤ i (DL4J {@code MapSchedule}); key 0 is set to lr₀ when
     * absent, so the schedule starts at the spec's learning rate.
     */
    record MapSchedule(ScheduleType scheduleType, Map<Integer, Double> values) implements ScheduleSpec {
        public MapSchedule {
            scheduleType = orIteration(scheduleType);
            if (values == null || values.isEmpty()) {
                throw SpecException.field("lrSchedule.values", "a non-empty map of iteration → learning rate", values);
            }
            for (Map.Entry<Integer, Double> e : values.entrySet()) {
                if (e.getKey() < 0) throw SpecException.field("lrSchedule.values key", ">= 0", e.getKey());
                positive("values[" + e.getKey() + "]", e.getValue());
            }
            values = java.util.Collections.unmodifiableMap(new TreeMap<>(values));
        }
    }

    /**
     * One-cycle policy (Smith 2018) as DL4J's {@code CycleSchedule} computes it: with p = i mod cycleLength
     * and s = ⌊(cycleLength − annealingLength)/2⌋, lr rises linearly from lr₀ to maxLearningRate over
     * p ∈ [0, s), falls back over [s, 2s), then anneals as lr₀·annealingDecay^(p − (cycleLength − annealingLength))
     * — annealingDecay is a factor per iteration.
     */
    record Cycle(ScheduleType scheduleType, double maxLearningRate, int cycleLength, int annealingLength,
                 double annealingDecay) implements ScheduleSpec {
        public Cycle {
            scheduleType = orIteration(scheduleType);
            positive("maxLearningRate", maxLearningRate);
            positive("cycleLength", cycleLength);
            // DL4J rises and falls over ⌊(cycleLength − annealingLength)/2⌋ iterations each: 0 would divide by zero
            if (annealingLength < 0 || annealingLength > cycleLength - 2) {
                throw SpecException.field("lrSchedule.annealingLength",
                        ">= 0 and <= cycleLength - 2 (" + (cycleLength - 2) + "; the rise and the fall need an iteration each)", annealingLength);
            }
            positive("annealingDecay", annealingDecay);
        }
    }

    /**
     * Linear warm-up: lr(i) = base(i)·min(1, (i+1)/rampIterations), DL4J {@code RampSchedule}'s formula
     * (built as {@code WarmupRampSchedule}, which checkpoints can read back).
     */
    record Ramp(ScheduleType scheduleType, ScheduleSpec base, int rampIterations) implements ScheduleSpec {
        public Ramp {
            scheduleType = orIteration(scheduleType);
            if (base == null) base = new Fixed(scheduleType);
            if (base instanceof Ramp) throw new SpecException("lrSchedule.base must not be another ramp");
            positive("rampIterations", rampIterations);
        }
    }

    /**
     * TensorFlow's {@code tf.compat.v1.train.exponential_decay(lr₀, global_step, decay_steps,
     * decay_rate, staircase)}: lr(i) = lr₀·decay_rate^(i/decay_steps), with ⌊i/decay_steps⌋ when
     * staircase. Mapped exactly onto DL4J: staircase → {@code StepSchedule(decayRate, decaySteps)};
     * smooth → {@code ExponentialSchedule(γ = decay_rate^(1/decay_steps))}.
     */
    record TfExponentialDecay(ScheduleType scheduleType, double decaySteps, double decayRate, boolean staircase)
            implements ScheduleSpec {
        public TfExponentialDecay {
            scheduleType = orIteration(scheduleType);
            positive("decaySteps", decaySteps);
            positive("decayRate", decayRate);
        }

        /** The TensorFlow formula itself, for documentation and for checking the mapping. */
        public double tensorflowValue(double initialLearningRate, long step) {
            double p = step / decaySteps;
            return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
        }
    }
}
