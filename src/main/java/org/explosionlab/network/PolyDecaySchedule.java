package org.explosionlab.network;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Polynomial decay to zero (Caffe's {@code "poly"} policy, Keras {@code PolynomialDecay} with
 * {@code end_learning_rate = 0}):
 * <pre>
 *   lr(i) = lr₀ · (1 − i/maxIter)^power   for i &lt; maxIter,   0 from maxIter on
 * </pre>
 * DL4J 1.0.0-M2.1's own {@code PolySchedule} computes {@code lr₀·(1 + i/maxIter)^power} instead, a learning
 * rate that grows up to 2^power·lr₀ and then drops to 0 — so the spec's {@code poly} schedule maps here.
 * Serialisable with DL4J's configuration JSON ({@code ISchedule} is typed by class name).
 */
public final class PolyDecaySchedule implements ISchedule {
    private final ScheduleType scheduleType;
    private final double initialValue;
    private final double power;
    private final int maxIter;

    public PolyDecaySchedule(@JsonProperty("scheduleType") ScheduleType scheduleType,
                             @JsonProperty("initialValue") double initialValue,
                             @JsonProperty("power") double power,
                             @JsonProperty("maxIter") int maxIter) {
        if (maxIter < 1) throw new IllegalArgumentException("maxIter must be >= 1, got " + maxIter);
        this.scheduleType = Objects.requireNonNull(scheduleType, "scheduleType");
        this.initialValue = initialValue;
        this.power = power;
        this.maxIter = maxIter;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        int i = scheduleType == ScheduleType.ITERATION ? iteration : epoch;
        if (i >= maxIter) return 0;
        return initialValue * Math.pow(1 - i / (double) maxIter, power);
    }

    @Override
    public ISchedule clone() {
        return new PolyDecaySchedule(scheduleType, initialValue, power, maxIter);
    }

    public ScheduleType getScheduleType() {
        return scheduleType;
    }

    public double getInitialValue() {
        return initialValue;
    }

    public double getPower() {
        return power;
    }

    public int getMaxIter() {
        return maxIter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolyDecaySchedule p && p.scheduleType == scheduleType
                && Double.compare(p.initialValue, initialValue) == 0 && Double.compare(p.power, power) == 0
                && p.maxIter == maxIter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheduleType, initialValue, power, maxIter);
    }

    @Override
    public String toString() {
        return "PolyDecaySchedule(scheduleType=" + scheduleType + ", initialValue=" + initialValue + ", power=" + power
                + ", maxIter=" + maxIter + ")";
    }
}
