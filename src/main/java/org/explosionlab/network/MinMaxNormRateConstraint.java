package org.explosionlab.network;

import java.util.Collections;
import java.util.Set;
import org.deeplearning4j.nn.conf.constraint.MinMaxNormConstraint;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras {@code min_max_norm}, rate included: for every unit j (norms over {@code dimensions} of the
 * {@code [nIn, nOut]} weight)
 * <pre>
 *   n_j = ‖w_j‖₂,   desired_j = rate·clip(n_j, min, max) + (1 − rate)·n_j,   w_j ← w_j · desired_j / (n_j + ε)
 * </pre>
 * DL4J 1.0.0-M2.1's {@link MinMaxNormConstraint} scales by {@code rate·clip/(n+ε) + (1 − rate)·(n+ε)} when
 * rate &lt; 1, which multiplies a unit by about its own norm (a norm of 5 becomes 14 at rate 0.5); with rate 1
 * both agree. This subclass keeps DL4J's fields and getters and replaces only {@link #apply}.
 */
public class MinMaxNormRateConstraint extends MinMaxNormConstraint {

    @JsonCreator
    public MinMaxNormRateConstraint(@JsonProperty("min") double min, @JsonProperty("max") double max,
                                    @JsonProperty("rate") double rate, @JsonProperty("params") Set<String> params,
                                    @JsonProperty("dimensions") int... dimensions) {
        super(min, max, rate, params == null ? Collections.emptySet() : params, dimensions);
    }

    public MinMaxNormRateConstraint(double min, double max, double rate, int... dimensions) {
        this(min, max, rate, Collections.emptySet(), dimensions);
    }

    @Override
    public void apply(INDArray param) {
        INDArray norm = param.norm2(dimensions);
        INDArray desired = Transforms.max(Transforms.min(norm, getMax(), true), getMin(), false);
        desired.muli(getRate()).addi(norm.mul(1.0 - getRate()));
        desired.divi(norm.addi(epsilon));
        Broadcast.mul(param, desired, param, getBroadcastDims(dimensions, param.rank()));
    }

    @Override
    public MinMaxNormRateConstraint clone() {
        return new MinMaxNormRateConstraint(getMin(), getMax(), getRate(), params, dimensions);
    }
}
