package org.explosionlab.network;

import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.constraint.UnitNormConstraint;
import org.explosionlab.spec.ConstraintSpec;

/**
 * Maps a {@link ConstraintSpec} onto a DL4J {@link LayerConstraint}. The dimension is the one DL4J
 * reduces over in its {@code [nIn, nOut]} weight: 0 = one norm per output unit (Keras
 * {@code max_norm(axis=0)} on a Dense kernel).
 */
public final class ConstraintFactory {
    private ConstraintFactory() {
    }

    public static LayerConstraint create(ConstraintSpec c) {
        if (c instanceof ConstraintSpec.MaxNorm m) {
            return new MaxNormConstraint(m.maxNorm(), m.dimension());
        } else if (c instanceof ConstraintSpec.MinMaxNorm m) {
            return new MinMaxNormRateConstraint(m.min(), m.max(), m.rate(), m.dimension());   // DL4J's own is wrong for rate < 1
        } else if (c instanceof ConstraintSpec.UnitNorm u) {
            return new UnitNormConstraint(u.dimension());
        } else if (c instanceof ConstraintSpec.NonNegative n) {
            return new NonNegativeConstraint();
        }
        throw new IllegalArgumentException("unhandled " + c);
    }
}
