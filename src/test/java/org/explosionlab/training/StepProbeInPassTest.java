package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.ShuffledBatchIterator;
import org.explosionlab.network.FusedAdam;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;

/**
 * The figures the Adam pass measures on its way ({@link StepProbe#measuredInPass()}) — in the native
 * kernel (the default) and in the Vector API kernel — against the same figures measured by the separate
 * OpenBLAS passes (the path taken with the scalar Java kernel: {@code -Dexplosionlab.nativeAdam=false
 * -Dexplosionlab.vectorAdam=false}): the same training, bit for bit, and every recorded figure equal to
 * 1e-5 relative, over {@value #STEPS} steps of the seed model including an epoch end.
 */
class StepProbeInPassTest {
    private static final int STEPS = 40;

    private enum Kernel { NATIVE, VECTOR, SCALAR }

    @Test
    void nativePassFiguresEqualTheBlasPassesAndTrainingIsUnchanged() {
        assumeTrue(!"false".equalsIgnoreCase(System.getProperty(FusedAdam.NATIVE_PROPERTY, "true").trim()),
                "native Adam kernel switched off for this test run");
        assertNull(FusedAdam.nativeKernelUnavailable(), "the native Adam kernel is built by mvn compile (gcc)");
        compare(Kernel.NATIVE);
    }

    @Test
    void vectorPassFiguresEqualTheBlasPassesAndTrainingIsUnchanged() {
        assertTrue(FusedAdam.vectorModuleLoaded(), "pom.xml's argLine adds jdk.incubator.vector");
        compare(Kernel.VECTOR);
    }

    private static void compare(Kernel kernel) {
        Run inPass = run(kernel);
        Run blas = run(Kernel.SCALAR);
        assertTrue(inPass.measuredInPass, "seed-baseline with the " + kernel + " kernel is measured in the Adam pass");
        assertFalse(blas.measuredInPass, "with the scalar kernel, in separate passes");
        assertEquals("adam pass", inPass.where, "what summary.json reports");
        assertEquals("blas passes", blas.where);
        assertArrayEquals(blas.params, inPass.params, 0f, "measuring changes no bit of the training");
        assertEquals(STEPS, inPass.metrics.size());
        for (int i = 0; i < STEPS; i++) {
            IterationMetrics a = blas.metrics.get(i);
            IterationMetrics b = inPass.metrics.get(i);
            String at = "iteration " + i + ": ";
            assertEquals(a.loss(), b.loss(), 0, at + "loss");
            close(a.gradL2Global(), b.gradL2Global(), at + "‖g‖");
            close(a.gradMaxAbs(), b.gradMaxAbs(), at + "max|g|");
            assertEquals(0, b.gradNonFinite());
            for (int l = 0; l < a.gradL2Layer().length; l++) close(a.gradL2Layer()[l], b.gradL2Layer()[l], at + "layer " + l);
            close(a.gradL2Param(), b.gradL2Param(), at + "grad_l2_param");
            close(a.gradL2ParamClipped(), b.gradL2ParamClipped(), at + "grad_l2_param_clipped");
            close(a.updateL2Param(), b.updateL2Param(), at + "update_l2_param");
            close(a.updateParamRatio(), b.updateParamRatio(), at + "update_param_ratio");
            close(a.updateParamRatioL2(), b.updateParamRatioL2(), at + "update_param_ratio_l2");
            close(a.paramL2(), b.paramL2(), at + "param_l2");
        }
    }

    private record Run(List<IterationMetrics> metrics, float[] params, boolean measuredInPass, String where) {
    }

    /** {@value #STEPS} recorded steps of the seed model, batch 256 (k = 1/256 exact), across the epoch end (a batch of 60). */
    private static Run run(Kernel kernel) {
        return withKernel(kernel, () -> {
            ExperimentSpec spec = Presets.load("seed-baseline");
            List<IterationMetrics> metrics = new ArrayList<>();
            InstrumentedNetwork in = InstrumentedNetwork.create(spec, List.of(metrics::add));
            MultiLayerNetwork net = in.network();
            ShuffledBatchIterator batches = DatasetResolver.resolve("mnist-embedded").trainIterator(256, 3, 0);
            boolean inPass = false;
            for (int i = 0; i < STEPS; i++) {
                if (!batches.hasNext()) batches.reset();
                net.fit(batches.next());
                inPass |= ((InstrumentedUpdater) net.getUpdater()).probeMeasuredInPass();
            }
            return new Run(metrics, net.params().toFloatVector(), inPass, in.metricsMeasured());
        });
    }

    private static <T> T withKernel(Kernel kernel, Supplier<T> body) {
        Map<String, String> set = Map.of(FusedAdam.NATIVE_PROPERTY, Boolean.toString(kernel == Kernel.NATIVE),
                FusedAdam.VECTOR_PROPERTY, Boolean.toString(kernel == Kernel.VECTOR));
        Map<String, String> old = new java.util.HashMap<>();
        set.keySet().forEach(k -> old.put(k, System.getProperty(k)));
        set.forEach(System::setProperty);
        try {
            return body.get();
        } finally {
            old.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-5 * Math.abs(expected) + 1e-12, what);
    }

    private static void close(Map<String, Double> expected, Map<String, Double> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        expected.forEach((k, v) -> close(v, actual.get(k), what + " " + k));
    }
}
