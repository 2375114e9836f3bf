package org.explosionlab.network;

import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.distribution.LogNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.explosionlab.spec.DistributionSpec;

/**
 * Maps a {@link DistributionSpec} onto the DL4J weight initialiser that draws from it: a
 * {@link WeightInitDistribution} of the DL4J {@link Distribution} it names, except orthogonal, which is
 * {@link OrthogonalWeightInit} (DL4J 1.0.0-M2.1's {@code OrthogonalDistribution} crashes or hangs on
 * this project's layer shapes).
 */
public final class WeightInitFactory {
    private WeightInitFactory() {
    }

    /** The initialiser every layer uses for {@code weightInit = DISTRIBUTION}. */
    public static IWeightInit weightInit(DistributionSpec d) {
        if (d instanceof DistributionSpec.Orthogonal o) return new OrthogonalWeightInit(o.gain());
        return new WeightInitDistribution(distribution(d));
    }

    /** The DL4J distribution of a random (non-orthogonal) {@link DistributionSpec}. */
    public static Distribution distribution(DistributionSpec d) {
        if (d instanceof DistributionSpec.Normal n) {
            return new NormalDistribution(n.mean(), n.std());
        } else if (d instanceof DistributionSpec.Uniform u) {
            return new UniformDistribution(u.lower(), u.upper());
        } else if (d instanceof DistributionSpec.TruncatedNormal t) {
            return new TruncatedNormalDistribution(t.mean(), t.std());
        } else if (d instanceof DistributionSpec.LogNormal l) {
            return new LogNormalDistribution(l.mean(), l.std());
        } else if (d instanceof DistributionSpec.Constant c) {
            return new ConstantDistribution(c.value());
        } else if (d instanceof DistributionSpec.Orthogonal) {
            throw new IllegalArgumentException("orthogonal is not drawn from a DL4J distribution here; use weightInit(spec)");
        }
        throw new IllegalArgumentException("unhandled " + d);
    }
}
