package org.explosionlab.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A weight distribution for {@code weightInit = DISTRIBUTION}: the "deliberately bad N(0, σ)" init of
 * the explosion scenarios is {@code {"type":"normal","mean":0,"std":1}}. Each maps to one DL4J
 * {@code Distribution}, except orthogonal, which {@code org.explosionlab.network.OrthogonalWeightInit}
 * computes (DL4J 1.0.0-M2.1's orthogonal distribution fails on these layer shapes).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DistributionSpec.Normal.class, name = "normal"),
    @JsonSubTypes.Type(value = DistributionSpec.Uniform.class, name = "uniform"),
    @JsonSubTypes.Type(value = DistributionSpec.TruncatedNormal.class, name = "truncated_normal"),
    @JsonSubTypes.Type(value = DistributionSpec.LogNormal.class, name = "log_normal"),
    @JsonSubTypes.Type(value = DistributionSpec.Orthogonal.class, name = "orthogonal"),
    @JsonSubTypes.Type(value = DistributionSpec.Constant.class, name = "constant")
})
public sealed interface DistributionSpec {

    private static void finite(String field, double v) {
        if (!Double.isFinite(v)) throw SpecException.field("weightInitDistribution." + field, "finite", v);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw SpecException.field("weightInitDistribution." + field, "a finite number > 0", v);
        }
    }

    /** W ~ N(mean, std²). */
    record Normal(double mean, double std) implements DistributionSpec {
        public Normal {
            finite("mean", mean);
            positive("std", std);
        }
    }

    /** W ~ U(lower, upper). */
    record Uniform(double lower, double upper) implements DistributionSpec {
        public Uniform {
            finite("lower", lower);
            finite("upper", upper);
            if (!(upper > lower)) throw SpecException.field("weightInitDistribution.upper", "> lower (" + lower + ")", upper);
        }
    }

    /** W ~ N(mean, std²) truncated at two standard deviations. */
    record TruncatedNormal(double mean, double std) implements DistributionSpec {
        public TruncatedNormal {
            finite("mean", mean);
            positive("std", std);
        }
    }

    /** log W ~ N(mean, std²). */
    record LogNormal(double mean, double std) implements DistributionSpec {
        public LogNormal {
            finite("mean", mean);
            positive("std", std);
        }
    }

    /** W = gain·Q with Q orthogonal (Saxe et al. 2014). */
    record Orthogonal(double gain) implements DistributionSpec {
        public Orthogonal {
            positive("gain", gain);
        }
    }

    /** W = value everywhere. */
    record Constant(double value) implements DistributionSpec {
        public Constant {
            finite("value", value);
        }
    }
}
