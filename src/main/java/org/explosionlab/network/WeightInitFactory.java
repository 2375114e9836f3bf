package org.explosionlab.network;

import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.distribution.LogNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.OrthogonalDistribution;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.explosionlab.spec.DistributionSpec;

/** Maps a {@link DistributionSpec} onto the DL4J {@link Distribution} it names. */
public final class WeightInitFactory {
    private WeightInitFactory() {
    }

    public static Distribution distribution(DistributionSpec d) {
        if (d instanceof DistributionSpec.Normal n) {
            return new NormalDistribution(n.mean(), n.std());
        } else if (d instanceof DistributionSpec.Uniform u) {
            return new UniformDistribution(u.lower(), u.upper());
        } else if (d instanceof DistributionSpec.TruncatedNormal t) {
            return new TruncatedNormalDistribution(t.mean(), t.std());
        } else if (d instanceof DistributionSpec.LogNormal l) {
            return new LogNormalDistribution(l.mean(), l.std());
        } else if (d instanceof DistributionSpec.Orthogonal o) {
            return new OrthogonalDistribution(o.gain());
        } else if (d instanceof DistributionSpec.Constant c) {
            return new ConstantDistribution(c.value());
        }
        throw new IllegalArgumentException("unhandled " + d);
    }
}
