package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * The Keras round trip: {@link KerasH5Writer} (the committed generator) writes the tutorial's Keras model with the
 * seed-baseline preset's initial weights, DL4J's {@code KerasModelImport} reads it back, the configuration equals the
 * preset's in every field that matters (the differences listed and explained below), and one training step from the
 * same weights and minibatch gives the same parameters.
 *
 * <p>Differences of the import, by design of DL4J's importer: Keras has no output layer, so the last {@code Dense(10,
 * softmax)} becomes a DL4J {@code DenseLayer} and {@code sparse_categorical_crossentropy} a {@code LossLayer} (identity)
 * with {@code LossSparseMCXENT}, which takes class indices ([mb, 1]) where the preset's {@code OutputLayer(MCXENT)} takes
 * one-hot labels; the same loss value and gradient. The imported configuration's seed and workspace modes are DL4J's
 * defaults (irrelevant: the weights come from the file).
 */
class KerasImportTest {
    static final Path FIXTURE = Path.of("src/test/resources/keras/seed-baseline.h5");

    private static float[] flat(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    private static MultiLayerNetwork seed() {
        return NetworkFactory.build(Presets.load("seed-baseline"));
    }

    @Test
    void theImportedConfigurationEqualsSeedBaseline_weightsAsStored(@TempDir Path tmp) {
        Path fresh = tmp.resolve("seed.h5");
        KerasH5Writer.write(seed(), fresh, KerasH5Writer.Options.tutorial());         // the generator, run now
        for (Path file : List.of(fresh, FIXTURE)) {                                      // and its committed output
            KerasImport.Imported imported = KerasImport.sequential(file);
            assertEquals(List.of(), imported.notes());                                  // DL4J's importer read it as it is
            assertEquals(KerasH5Writer.KERAS_VERSION, imported.kerasVersion());
            MultiLayerNetwork keras = imported.network();
            MultiLayerNetwork preset = seed();
            assertEquals(4, keras.getnLayers());                                         // 3 Dense + LossLayer
            for (int i = 0; i < 3; i++) {
                FeedForwardLayer k = (FeedForwardLayer) keras.getLayer(i).conf().getLayer();
                FeedForwardLayer p = (FeedForwardLayer) preset.getLayer(i).conf().getLayer();
                assertEquals(p.getNIn(), k.getNIn());
                assertEquals(p.getNOut(), k.getNOut());
                assertEquals(p.getActivationFn().getClass(), k.getActivationFn().getClass());
                assertEquals(p.getWeightInitFn().getClass(), k.getWeightInitFn().getClass());     // glorot_uniform = XAVIER_UNIFORM
                assertEquals(p.getBiasInit(), k.getBiasInit());
                Adam pa = (Adam) p.getIUpdater(), ka = (Adam) k.getIUpdater();
                assertEquals(pa.getLearningRate(), ka.getLearningRate());
                assertEquals(pa.getBeta1(), ka.getBeta1());
                assertEquals(pa.getBeta2(), ka.getBeta2());
                assertEquals(pa.getEpsilon(), ka.getEpsilon());
                assertEquals(null, ka.getLearningRateSchedule());                       // decay 0: no schedule
                assertEquals(p.getGradientNormalization(), k.getGradientNormalization());
                assertEquals(p.getRegularization(), k.getRegularization());
                assertArrayEquals(flat(preset.getParam(i + "_W")), flat(keras.getParam(i + "_W")), 0f);
                assertArrayEquals(flat(preset.getParam(i + "_b")), flat(keras.getParam(i + "_b")), 0f);
            }
            assertInstanceOf(ActivationReLU.class, ((BaseLayer) keras.getLayer(0).conf().getLayer()).getActivationFn());
            // the one structural difference: OutputLayer(softmax, MCXENT) vs DenseLayer(softmax) + LossLayer(identity, SparseMCXENT)
            assertInstanceOf(OutputLayer.class, preset.getLayer(2).conf().getLayer());
            assertInstanceOf(LossMCXENT.class, ((OutputLayer) preset.getLayer(2).conf().getLayer()).getLossFn());
            assertInstanceOf(DenseLayer.class, keras.getLayer(2).conf().getLayer());
            assertInstanceOf(ActivationSoftmax.class, ((DenseLayer) keras.getLayer(2).conf().getLayer()).getActivationFn());
            LossLayer loss = (LossLayer) keras.getLayer(3).conf().getLayer();
            assertInstanceOf(LossSparseMCXENT.class, loss.getLossFn());
            assertInstanceOf(ActivationIdentity.class, loss.getActivationFn());
            assertEquals(preset.numParams(), keras.numParams());
        }
    }

    @Test
    void oneTrainingStepFromTheSameWeightsAndMinibatchGivesTheSameParameters() {
        MultiLayerNetwork keras = KerasImport.sequential(FIXTURE).network();
        MultiLayerNetwork preset = seed();
        Random r = new Random(42);
        int mb = 32;
        float[][] x = new float[mb][784];
        float[][] oneHot = new float[mb][10];
        float[][] index = new float[mb][1];
        for (int i = 0; i < mb; i++) {
            for (int j = 0; j < 784; j++) x[i][j] = r.nextFloat() < 0.8 ? 0f : r.nextFloat();      // MNIST-like: mostly 0, ink in [0, 1]
            int c = r.nextInt(10);
            oneHot[i][c] = 1;
            index[i][0] = c;
        }
        INDArray features = Nd4j.createFromArray(x);
        keras.fit(features, Nd4j.createFromArray(index));                 // sparse labels for LossSparseMCXENT
        preset.fit(features, Nd4j.createFromArray(oneHot));               // one-hot labels for MCXENT
        float[] k = flat(keras.params()), p = flat(preset.params());
        float[] before = flat(seed().params());
        double maxDiff = 0, maxStep = 0;
        for (int i = 0; i < k.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(k[i] - p[i]));
            maxStep = Math.max(maxStep, Math.abs(p[i] - before[i]));
        }
        assertTrue(maxStep > 5e-4, "the step moved the weights (Adam's first step is ~lr = 1e-3 per weight): " + maxStep);
        assertTrue(maxDiff <= 1e-6, "same parameters within float32 tolerance, max |diff| = " + maxDiff);
        assertEquals(preset.score(), keras.score(), 1e-5);
    }

    @Test
    void aKeras211FileWithoutAdamDecayIsImported_whereDl4jAloneThrows(@TempDir Path tmp) throws Exception {
        Path noDecay = tmp.resolve("no-decay.h5");
        KerasH5Writer.write(seed(), noDecay, new KerasH5Writer.Options("2.4.0", "sparse_categorical_crossentropy", false));
        assertThrows(NullPointerException.class, () -> KerasModelImport.importKerasSequentialModelAndWeights(noDecay.toString()));
        KerasImport.Imported fixed = KerasImport.sequential(noDecay);
        assertEquals(1, fixed.notes().size());
        assertTrue(fixed.notes().get(0).contains("decay 0.0 supplied"), fixed.notes()::toString);
        assertArrayEquals(flat(seed().params()), flat(fixed.network().params()), 0f);
        // and as Keras 2.15 writes it: a 6-character version as well
        Path k215 = tmp.resolve("k215.h5");
        KerasH5Writer.write(seed(), k215, KerasH5Writer.Options.keras215());
        KerasImport.Imported imported = KerasImport.sequential(k215);
        assertEquals("2.15.0", imported.kerasVersion());
        assertEquals(2, imported.notes().size());
        assertEquals(1e-3, ((Adam) ((BaseLayer) imported.network().getLayer(0).conf().getLayer()).getIUpdater()).getLearningRate());
    }

    @Test
    void keras3FilesAndZipsGetOneLineNamingWhatDl4jReads(@TempDir Path tmp) throws Exception {
        Path k3 = tmp.resolve("k3.h5");
        KerasH5Writer.write(seed(), k3, new KerasH5Writer.Options("3.3.3", "sparse_categorical_crossentropy", true));
        var e = assertThrows(KerasImport.KerasImportException.class, () -> KerasImport.sequential(k3));
        assertTrue(e.getMessage().contains("saved by Keras 3.3.3; DL4J 1.0.0-M2.1 imports Keras 1 and Keras 2 HDF5 files (.h5) only"), e.getMessage());
        assertTrue(e.getMessage().contains("model.save('model.h5')"), e.getMessage());
        Path zip = tmp.resolve("model.keras");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("config.json"));
            z.write("{}".getBytes());
        }
        var z = assertThrows(KerasImport.KerasImportException.class, () -> KerasImport.sequential(zip));
        assertTrue(z.getMessage().contains("is a zip archive (the Keras 3 '.keras' format)"), z.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.h5"), "not a model");
        assertTrue(assertThrows(KerasImport.KerasImportException.class, () -> KerasImport.sequential(text)).getMessage().contains("is not an HDF5 file"));
        assertTrue(assertThrows(KerasImport.KerasImportException.class, () -> KerasImport.sequential(tmp.resolve("absent.h5"))).getMessage().contains("no such file"));
        for (var ex : List.of(e, z)) assertEquals(1, ex.getMessage().lines().count());
    }

    /**
     * Issue 28, third pass, D9: a truncated .h5 is refused by its superblock's end-of-file address (bytes 40..47 of a
     * version-0 superblock, 451,616 for the fixture, its size) before HDF5 opens it, so HDF5's 26-line native error
     * printout never appears.
     */
    @Test
    void aTruncatedFileIsRefusedByItsSuperblockBeforeHdf5OpensIt(@TempDir Path tmp) throws Exception {
        Path whole = Path.of("src/test/resources/keras/seed-baseline.h5");
        assertEquals(Files.size(whole), KerasImport.endOfFileAddress(whole));
        Path cut = tmp.resolve("cut.h5");
        Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(whole), 3000));
        KerasImport.KerasImportException e = assertThrows(KerasImport.KerasImportException.class, () -> KerasImport.sequential(cut));
        assertEquals(cut + " is truncated: its HDF5 superblock says the file ends at byte " + Files.size(whole)
                + ", but it has 3000 bytes; copy or save it again", e.getMessage());
    }
}
