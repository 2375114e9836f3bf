package org.explosionlab.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A weight constraint, applied by DL4J after every parameter update (after {@code iterationDone}).
 * Norms are taken over {@code dimension} of DL4J's {@code [nIn, nOut]} weight: the default 0 gives one
 * norm per output unit, which is what Keras {@code max_norm(axis=0)} does for a Dense kernel.
 * {@code biases} also constrains the bias vectors (Keras constrains kernels only, the default here too).
 * Absent from JSON, {@code dimension} is 0 and {@code biases} false (boxed so that absence can be told
 * from a value).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConstraintSpec.MaxNorm.class, name = "max_norm"),
    @JsonSubTypes.Type(value = ConstraintSpec.MinMaxNorm.class, name = "min_max_norm"),
    @JsonSubTypes.Type(value = ConstraintSpec.UnitNorm.class, name = "unit_norm"),
    @JsonSubTypes.Type(value = ConstraintSpec.NonNegative.class, name = "non_negative")
})
public sealed interface ConstraintSpec {

    /** Whether the bias vectors are constrained too (never null). */
    Boolean biases();

    private static void checkDimension(int d) {
        if (d != 0 && d != 1) throw SpecException.field("constraint.dimension", "0 (per output unit) or 1 (per input)", d);
    }

    private static int dimensionOrDefault(Integer d) {
        return d == null ? 0 : d;
    }

    private static boolean biasesOrDefault(Boolean b) {
        return b != null && b;
    }

    /** ‖w_j‖₂ ≤ maxNorm for every unit j (DL4J {@code MaxNormConstraint}, Keras {@code max_norm}). */
    record MaxNorm(double maxNorm, Integer dimension, Boolean biases) implements ConstraintSpec {
        public MaxNorm {
            dimension = dimensionOrDefault(dimension);
            biases = biasesOrDefault(biases);
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) throw SpecException.field("constraint.maxNorm", "a finite number > 0", maxNorm);
            checkDimension(dimension);
        }
    }

    /**
     * min ≤ ‖w_j‖₂ ≤ max, moved there at {@code rate} (1 = at once) (DL4J {@code MinMaxNormConstraint},
     * Keras {@code min_max_norm}).
     */
    record MinMaxNorm(double min, double max, Double rate, Integer dimension, Boolean biases) implements ConstraintSpec {
        public MinMaxNorm {
            if (rate == null) rate = 1.0;
            dimension = dimensionOrDefault(dimension);
            biases = biasesOrDefault(biases);
            if (!(min >= 0)) throw SpecException.field("constraint.min", ">= 0", min);
            if (!(max > min) || Double.isInfinite(max)) throw SpecException.field("constraint.max", "finite and > min (" + min + ")", max);
            if (!(rate > 0 && rate <= 1)) throw SpecException.field("constraint.rate", "in (0, 1]", rate);
            checkDimension(dimension);
        }
    }

    /** ‖w_j‖₂ = 1 (DL4J {@code UnitNormConstraint}, Keras {@code unit_norm}). */
    record UnitNorm(Integer dimension, Boolean biases) implements ConstraintSpec {
        public UnitNorm {
            dimension = dimensionOrDefault(dimension);
            biases = biasesOrDefault(biases);
            checkDimension(dimension);
        }
    }

    /** w ← max(w, 0) (DL4J {@code NonNegativeConstraint}, Keras {@code non_neg}). */
    record NonNegative(Boolean biases) implements ConstraintSpec {
        public NonNegative {
            biases = biasesOrDefault(biases);
        }
    }
}
