package org.explosionlab.diagnosis;

import org.deeplearning4j.nn.conf.distribution.ConstantDistribution;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.distribution.GaussianDistribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.OrthogonalDistribution;
import org.deeplearning4j.nn.conf.distribution.TruncatedNormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.weights.*;

/**
 * The root mean square E[w²]^½ of the weights a DL4J {@link IWeightInit} draws for a layer with the given fans, from
 * the formula each DL4J 1.0.0-M2.1 class implements (read from its source): e.g. XAVIER N(0, 2/(fanIn+fanOut)),
 * XAVIER_UNIFORM U(±√(6/(fanIn+fanOut))) (same variance), RELU N(0, 2/fanIn), a uniform U(a, b) has variance
 * (b−a)²/12. Nothing is drawn: the user's random state is untouched. NaN for an init it does not know.
 */
final class InitScale {
    private InitScale() {
    }

    static double rms(IWeightInit init, double fanIn, double fanOut) {
        if (init instanceof WeightInitXavier || init instanceof WeightInitXavierUniform) return Math.sqrt(2.0 / (fanIn + fanOut));
        if (init instanceof WeightInitXavierLegacy) return 1.0 / Math.sqrt(fanIn + fanOut);
        if (init instanceof WeightInitRelu || init instanceof WeightInitReluUniform) return Math.sqrt(2.0 / fanIn);
        if (init instanceof WeightInitNormal) return 1.0 / Math.sqrt(fanIn);
        if (init instanceof WeightInitUniform) return 1.0 / Math.sqrt(3.0 * fanIn);
        if (init instanceof WeightInitSigmoidUniform) return 4.0 * Math.sqrt(2.0 / (fanIn + fanOut));
        if (init instanceof WeightInitLecunUniform) return Math.sqrt(3.0 / fanIn);
        if (init instanceof WeightInitVarScalingNormalFanIn) return Math.sqrt(1.0 / fanIn);
        if (init instanceof WeightInitVarScalingNormalFanOut) return Math.sqrt(1.0 / fanOut);
        if (init instanceof WeightInitVarScalingNormalFanAvg) return Math.sqrt(2.0 / (fanIn + fanOut));
        if (init instanceof WeightInitVarScalingUniformFanIn) return Math.sqrt(3.0 / fanIn);
        if (init instanceof WeightInitVarScalingUniformFanOut) return Math.sqrt(3.0 / fanOut);
        if (init instanceof WeightInitVarScalingUniformFanAvg) return Math.sqrt(6.0 / (fanIn + fanOut));
        if (init instanceof WeightInitIdentity) return 1.0 / Math.sqrt(Math.max(fanIn, fanOut));
        if (init instanceof WeightInitConstant c) { Object v = field(c, "value"); return v instanceof Double x ? Math.abs(x) : Double.NaN; }
        if (init instanceof WeightInitDistribution d) return rms((Distribution) field(d, "distribution"), fanIn, fanOut);
        return Double.NaN;
    }

    static double rms(Distribution d, double fanIn, double fanOut) {
        if (d == null) return Double.NaN;
        if (d instanceof NormalDistribution n) return Math.hypot(n.getMean(), n.getStd());
        if (d instanceof GaussianDistribution g) return Math.hypot(g.getMean(), g.getStd());
        if (d instanceof TruncatedNormalDistribution t) return Math.hypot(t.getMean(), t.getStd());
        if (d instanceof UniformDistribution u) {
            double mean = (u.getLower() + u.getUpper()) / 2, width = u.getUpper() - u.getLower();
            return Math.sqrt(mean * mean + width * width / 12.0);
        }
        if (d instanceof ConstantDistribution c) return Math.abs(c.getValue());
        if (d instanceof OrthogonalDistribution o) return o.getGain() / Math.sqrt(Math.max(fanIn, fanOut));
        return Double.NaN;
    }

    /** A short name for the init, e.g. {@code XAVIER_UNIFORM} or {@code N(0, 1)}. */
    static String describe(IWeightInit init) {
        if (init instanceof WeightInitDistribution d) return String.valueOf(field(d, "distribution"));
        String n = init == null ? "none" : init.getClass().getSimpleName();
        return n.startsWith("WeightInit") ? n.substring("WeightInit".length()) : n;
    }

    /** A private field DL4J 1.0.0-M2.1 keeps without a getter (WeightInitDistribution.distribution, WeightInitConstant.value). */
    private static Object field(Object o, String name) {
        try {
            var f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
