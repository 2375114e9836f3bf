package org.explosionlab.network;

import java.util.Objects;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Linear learning-rate warm-up over the first {@code numIter} iterations (Goyal et al. 2017, "Accurate,
 * Large Minibatch SGD"):
 * <pre>
 *   lr(i) = base(i) · (i + 1)/numIter   for i &lt; numIter − 1,   base(i) from then on
 * </pre>
 * The same formula as DL4J's {@code RampSchedule}, which 1.0.0-M2.1 cannot read back from its own JSON (no
 * creator), so a checkpointed run with a ramp could not be resumed. Counts iterations, like DL4J's.
 */
public final class WarmupRampSchedule implements ISchedule {
    private final ISchedule baseSchedule;
    private final int numIter;

    public WarmupRampSchedule(@JsonProperty("baseSchedule") ISchedule baseSchedule, @JsonProperty("numIter") int numIter) {
        if (numIter < 1) throw new IllegalArgumentException("numIter must be >= 1, got " + numIter);
        this.baseSchedule = Objects.requireNonNull(baseSchedule, "baseSchedule");
        this.numIter = numIter;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        double base = baseSchedule.valueAt(iteration, epoch);
        if (iteration >= numIter - 1) return base;
        return base * (iteration + 1) / (double) numIter;
    }

    @Override
    public ISchedule clone() {
        return new WarmupRampSchedule(baseSchedule.clone(), numIter);
    }

    public ISchedule getBaseSchedule() {
        return baseSchedule;
    }

    public int getNumIter() {
        return numIter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarmupRampSchedule r && r.numIter == numIter && r.baseSchedule.equals(baseSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(baseSchedule, numIter);
    }

    @Override
    public String toString() {
        return "WarmupRampSchedule(baseSchedule=" + baseSchedule + ", numIter=" + numIter + ")";
    }
}
