package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.ShuffledBatchIterator;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * {@link FusedAdam} against the Adam paper's formula worked by hand, and against DL4J's own {@link Adam}
 * on the real network and data.
 */
class FusedAdamTest {
    private static final long SEED = 42;
    private static final int BATCH = 32;
    /** More than one epoch of the embedded set at batch 32 (250 steps), so an epoch boundary is crossed. */
    private static final int STEPS = 300;
    private static final double RELATIVE = 1e-6;
    /**
     * Against exact arithmetic: DL4J works in float32 and forms 1 − β2^t from a float β2^t, which at
     * t = 2 (1 − 0.998001) keeps only about 4–5 significant digits; √ halves that error, ~1e-5 relative.
     */
    private static final double RELATIVE_TO_EXACT = 2e-5;

    /**
     * Two steps on a 4-element vector, expected values from Kingma &amp; Ba's Algorithm 1 in the form
     * of their §2 (α_t = lr·√(1−β2^t)/(1−β1^t), update = α_t·m_t/(√v_t + ε)), computed in double by hand
     * (python, 15 digits), compared to 2e-5 relative ({@link #RELATIVE_TO_EXACT}). ε = 1e-8 sits on √v,
     * not on the bias-corrected √v̂: for g = 1e-3 at t = 1 that gives 0.0099968387 where ε on √v̂ would
     * give 0.0099999900, 3e-4 apart, far outside the tolerance.
     */
    @Test
    void twoStepsMatchTheFormulaWorkedByHand() {
        FusedAdam config = new FusedAdam(0.01, null, 0.9, 0.999, 1e-8);
        INDArray state = Nd4j.zeros(DataType.FLOAT, 1, 8);
        GradientUpdater<?> u = config.instantiate(state, true);
        INDArray g = Nd4j.createFromArray(0.5f, -2f, 0f, 1e-3f);
        u.applyUpdater(g, 0, 0);
        assertClose(new double[] {0.009999993675448678, -0.00999999841886142, 0.0, 0.0099968387220237}, g);
        INDArray g2 = Nd4j.createFromArray(0.25f, 1f, -0.5f, 1e-3f);
        u.applyUpdater(g2, 1, 0);
        assertClose(new double[] {0.009321791112802107, -0.002663370019795853, -0.007441363529338289, 0.009997763872933977}, g2);
        // the state view holds [m, v]; first element: m = 0.9·(0.1·0.5) + 0.1·0.25 = 0.07,
        // v = 0.999·(0.001·0.25) + 0.001·0.0625 = 3.1225e-4 (1 − β2 in float32 is 0.00099998713)
        assertEquals(0.07, state.getDouble(0, 0), RELATIVE_TO_EXACT * 0.07);
        assertEquals(3.1225e-4, state.getDouble(0, 4), RELATIVE_TO_EXACT * 3.1225e-4);
    }

    @Test
    void matchesDl4jAdamOnTheSeedModelOverMoreThan200Steps() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        MultiLayerNetwork dl4j = build(spec, false, false);
        MultiLayerNetwork fused = build(spec, true, true);
        assertInstanceOf(Adam.class, updaterOf(dl4j));
        assertInstanceOf(FusedAdam.class, updaterOf(fused));
        assertTrue(fused.getUpdater() instanceof InPlaceMultiLayerUpdater);
        assertEquals(MultiLayerUpdater.class, dl4j.getUpdater().getClass());

        MnistLikeDataset data = DatasetResolver.resolve("mnist-embedded");
        ShuffledBatchIterator batches = data.trainIterator(BATCH, SEED, 0);
        for (int step = 0; step < STEPS; step++) {
            if (!batches.hasNext()) batches.reset();
            DataSet batch = batches.next();
            dl4j.fit(batch);
            fused.fit(batch);
        }
        assertEquals(STEPS, fused.getIterationCount());
        assertRelativelyClose("parameters", dl4j.params(), fused.params());
        assertRelativelyClose("Adam state [m, v]", dl4j.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray());
        // and training moved the parameters: a test that compares two frozen networks would pass trivially
        assertTrue(fused.params().distance2(build(spec, true, true).params()) > 0.1);
    }

    @Test
    void learningRateScheduleIsFollowedLikeDl4jAdam() {
        ISchedule schedule = new StepSchedule(ScheduleType.ITERATION, 0.01, 0.5, 3);
        Supplier<INDArray> gradient = () -> Nd4j.linspace(-1, 1, 10, DataType.FLOAT);
        GradientUpdater<?> reference = new Adam(schedule).instantiate(Nd4j.zeros(DataType.FLOAT, 1, 20), true);
        GradientUpdater<?> fused = new FusedAdam(Double.NaN, schedule, Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY,
                Adam.DEFAULT_ADAM_BETA2_VAR_DECAY, Adam.DEFAULT_ADAM_EPSILON).instantiate(Nd4j.zeros(DataType.FLOAT, 1, 20), true);
        for (int it = 0; it < 8; it++) {
            INDArray a = gradient.get().muli(it + 1);
            INDArray b = gradient.get().muli(it + 1);
            reference.applyUpdater(a, it, 0);
            fused.applyUpdater(b, it, 0);
            assertRelativelyClose("update at iteration " + it, a, b);
        }
    }

    @Test
    void doubleArraysGoThroughDl4jsNativeOpWithTheSameResult() {
        GradientUpdater<?> reference = new Adam(0.01).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, 12), true);
        GradientUpdater<?> fused = new FusedAdam(0.01, null, 0.9, 0.999, 1e-8).instantiate(Nd4j.zeros(DataType.DOUBLE, 1, 12), true);
        for (int it = 0; it < 5; it++) {
            INDArray a = Nd4j.linspace(-3, 2, 6, DataType.DOUBLE).muli(it + 1);
            INDArray b = a.dup();
            reference.applyUpdater(a, it, 0);
            fused.applyUpdater(b, it, 0);
            assertArrayEquals(a.toDoubleVector(), b.toDoubleVector(), 0.0);
        }
    }

    @Test
    void configurationSurvivesJsonWithItsFieldsAndSchedule() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        MultiLayerConfiguration conf = withFastAdam(true, () -> NetworkFactory.configuration(spec));
        FusedAdam withSchedule = new FusedAdam(0.002, new StepSchedule(ScheduleType.EPOCH, 0.002, 0.1, 2), 0.8, 0.99, 1e-6);
        ((BaseLayer) conf.getConf(1).getLayer()).setIUpdater(withSchedule);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        FusedAdam first = (FusedAdam) ((BaseLayer) back.getConf(0).getLayer()).getIUpdater();
        assertEquals(new FusedAdam(spec.learningRate(), null, spec.beta1(), spec.beta2(), spec.epsilon()), first);
        assertEquals(withSchedule, ((BaseLayer) back.getConf(1).getLayer()).getIUpdater());
        assertEquals(0.0002, withSchedule.getLearningRate(0, 2), 1e-12);
    }

    @Test
    void modelSerializerRestoresTheUpdaterStateAndTrainingContinuesIdentically(@TempDir Path dir) throws IOException {
        ExperimentSpec spec = Presets.load("seed-baseline");
        MultiLayerNetwork net = build(spec, true, true);
        MnistLikeDataset data = DatasetResolver.resolve("mnist-embedded");
        ShuffledBatchIterator batches = data.trainIterator(BATCH, SEED, 40);
        for (int i = 0; i < 20; i++) net.fit(batches.next());
        File file = dir.resolve("net.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        // as Checkpoint restores it: DL4J's serializer, then the same network with the fast backprop
        MultiLayerNetwork restored = FastDenseNetwork.copyOf(ModelSerializer.restoreMultiLayerNetwork(file, true));
        assertInstanceOf(FusedAdam.class, updaterOf(restored));
        assertTrue(Files.size(file.toPath()) > 0);
        for (int i = 0; i < 20; i++) {
            DataSet batch = batches.next();
            net.fit(batch);
            restored.fit(batch);
        }
        assertArrayEquals(net.params().toFloatVector(), restored.params().toFloatVector(), 0f);
        assertArrayEquals(net.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector(), 0f);
    }

    @Test
    void updaterFactoryBuildsFusedAdamUnlessSwitchedOff() {
        ExperimentSpec spec = Presets.load("seed-baseline");
        IUpdater on = withFastAdam(true, () -> UpdaterFactory.create(spec));
        IUpdater off = withFastAdam(false, () -> UpdaterFactory.create(spec));
        assertEquals(new FusedAdam(spec.learningRate(), null, spec.beta1(), spec.beta2(), spec.epsilon()), on);
        assertEquals(Adam.builder().learningRate(spec.learningRate()).beta1(spec.beta1()).beta2(spec.beta2())
                .epsilon(spec.epsilon()).build(), off);
        assertEquals(FusedAdam.of((Adam) off), on);
    }

    private static IUpdater updaterOf(MultiLayerNetwork net) {
        return ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater();
    }

    static MultiLayerNetwork build(ExperimentSpec spec, boolean fastAdam, boolean inPlace) {
        return TestSpecs.withProperty(InPlaceMultiLayerUpdater.ENABLED_PROPERTY, Boolean.toString(inPlace),
                () -> withFastAdam(fastAdam, () -> NetworkFactory.build(spec)));
    }

    static <T> T withFastAdam(boolean on, Supplier<T> body) {
        return TestSpecs.withProperty(FusedAdam.ENABLED_PROPERTY, Boolean.toString(on), body);
    }


    private static void assertClose(double[] expected, INDArray actual) {
        float[] a = actual.toFloatVector();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], a[i], RELATIVE_TO_EXACT * Math.abs(expected[i]) + 1e-12, "element " + i);
        }
    }

    /** Element-wise |a − b| ≤ 1e-6·max|a| and ‖a − b‖₂ ≤ 1e-6·‖a‖₂. */
    private static void assertRelativelyClose(String what, INDArray expected, INDArray actual) {
        float[] e = expected.toFloatVector();
        float[] a = actual.toFloatVector();
        assertEquals(e.length, a.length, what + ": length");
        double maxAbs = 0;
        double norm = 0;
        double diffNorm = 0;
        double maxDiff = 0;
        for (int i = 0; i < e.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(e[i]));
            norm += (double) e[i] * e[i];
            double d = (double) e[i] - a[i];
            diffNorm += d * d;
            maxDiff = Math.max(maxDiff, Math.abs(d));
        }
        assertTrue(maxDiff <= RELATIVE * maxAbs, what + ": max |difference| " + maxDiff + " > 1e-6 x " + maxAbs);
        assertTrue(Math.sqrt(diffNorm) <= RELATIVE * Math.sqrt(norm), what + ": relative L2 difference "
                + Math.sqrt(diffNorm / norm));
    }
}
