package org.explosionlab.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Writes a dense {@link MultiLayerNetwork} as a Keras 2 HDF5 model file ({@code model.save('model.h5')} of
 * {@code tf.keras} 2.x), without TensorFlow, through {@code org.bytedeco.hdf5} (on DL4J's class path): the root
 * attributes {@code keras_version}, {@code backend}, {@code model_config} (a {@code Sequential} of {@code Dense} layers)
 * and {@code training_config} (loss and Adam optimizer), and the weights as {@code model_weights/dense/dense/kernel:0}
 * and {@code bias:0} with the {@code weight_names} attribute. Strings are fixed-length, NULL-padded, as h5py writes the
 * bytes Keras 2 encodes. A Keras kernel is [in, out], the same orientation as DL4J's {@code W}.
 *
 * <p>{@code org.explosionlab.cli.KerasH5WriterMain} (its command line) writes the seed model (the tutorial's
 * 784-128-64-10 ReLU/ReLU/softmax, Adam 1e-3, {@code sparse_categorical_crossentropy}) with the {@code seed-baseline}
 * preset's initial weights: the fixture {@code src/test/resources/keras/seed-baseline.h5}.
 */
public final class KerasH5Writer {
    /** The Keras version written by default: 2.x, five characters (DL4J M2.1 reads {@code keras_version} into a 5-byte buffer). */
    public static final String KERAS_VERSION = "2.4.0";

    /** What to write beside the weights. */
    public record Options(String kerasVersion, String loss, boolean adamDecay) {
        /** The tutorial's {@code compile(optimizer='adam', loss='sparse_categorical_crossentropy')}, saved by Keras 2.4. */
        public static Options tutorial() {
            return new Options(KERAS_VERSION, "sparse_categorical_crossentropy", true);
        }

        /** The same file as a Keras ≥ 2.11 writes it: version {@code 2.15.0}, Adam config without {@code decay}. */
        public static Options keras215() {
            return new Options("2.15.0", "sparse_categorical_crossentropy", false);
        }
    }

    private KerasH5Writer() {
    }

    /** Writes {@code net} (DenseLayers and one softmax/identity OutputLayer, Adam) to {@code file}. */
    public static void write(MultiLayerNetwork net, Path file, Options o) {
        List<BaseLayer> layers = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            var l = net.getLayer(i).conf().getLayer();
            if (!(l instanceof DenseLayer || l instanceof OutputLayer)) {
                throw new IllegalArgumentException("layer " + i + " is a " + l.getClass().getSimpleName() + "; only DenseLayer and OutputLayer are written");
            }
            layers.add((BaseLayer) l);
        }
        IUpdater u = layers.get(0).getIUpdater();
        if (!(u instanceof Adam adam)) throw new IllegalArgumentException("only Adam is written, got " + u);
        ObjectMapper m = new ObjectMapper();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) names.add(i == 0 ? "dense" : "dense_" + i);

        ObjectNode model = m.createObjectNode();
        model.put("class_name", "Sequential");
        ObjectNode config = model.putObject("config");
        config.put("name", "sequential");
        ArrayNode ls = config.putArray("layers");
        for (int i = 0; i < layers.size(); i++) {
            var d = (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layers.get(i);
            ObjectNode layer = ls.addObject();
            layer.put("class_name", "Dense");
            ObjectNode c = layer.putObject("config");
            c.put("name", names.get(i));
            c.put("trainable", true);
            if (i == 0) {
                ArrayNode shape = c.putArray("batch_input_shape");
                shape.addNull();
                shape.add(d.getNIn());
            }
            c.put("dtype", "float32");
            c.put("units", d.getNOut());
            c.put("activation", kerasActivation(d.getActivationFn()));
            c.put("use_bias", true);
            ObjectNode ki = c.putObject("kernel_initializer");
            ki.put("class_name", "GlorotUniform");
            ki.putObject("config").putNull("seed");
            ObjectNode bi = c.putObject("bias_initializer");
            bi.put("class_name", "Zeros");
            bi.putObject("config");
            for (String k : List.of("kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint")) {
                c.putNull(k);
            }
        }
        model.put("keras_version", o.kerasVersion());
        model.put("backend", "tensorflow");

        ObjectNode training = m.createObjectNode();
        training.put("loss", o.loss());
        training.putArray("metrics").add("accuracy");
        training.putNull("weighted_metrics");
        training.putNull("loss_weights");
        training.putNull("sample_weight_mode");
        ObjectNode opt = training.putObject("optimizer_config");
        opt.put("class_name", "Adam");
        ObjectNode oc = opt.putObject("config");
        oc.put("name", "Adam");
        oc.put("learning_rate", adam.getLearningRate());
        if (o.adamDecay()) oc.put("decay", 0.0);
        oc.put("beta_1", adam.getBeta1());
        oc.put("beta_2", adam.getBeta2());
        oc.put("epsilon", adam.getEpsilon());
        oc.put("amsgrad", false);

        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Loader.load(hdf5.class);
            synchronized (Hdf5Archive.LOCK_OBJECT) {                 // DL4J's lock: HDF5's library is not thread-safe
                H5File f = new H5File(file.toString(), hdf5.H5F_ACC_TRUNC());
                try {
                    stringAttribute(f, "keras_version", o.kerasVersion());
                    stringAttribute(f, "backend", "tensorflow");
                    stringAttribute(f, "model_config", m.writeValueAsString(model));
                    stringAttribute(f, "training_config", m.writeValueAsString(training));
                    Group weights = f.createGroup("model_weights");
                    stringArrayAttribute(weights, "layer_names", names);
                    stringAttribute(weights, "backend", "tensorflow");
                    stringAttribute(weights, "keras_version", o.kerasVersion());
                    for (int i = 0; i < layers.size(); i++) {
                        String n = names.get(i);
                        Group g = weights.createGroup(n);
                        stringArrayAttribute(g, "weight_names", List.of(n + "/kernel:0", n + "/bias:0"));
                        Group inner = g.createGroup(n);
                        floats(inner, "kernel:0", net.getParam(i + "_W"));
                        floats(inner, "bias:0", net.getParam(i + "_b").reshape(net.getParam(i + "_b").length()));
                        inner.close();
                        g.close();
                    }
                    weights.close();
                } finally {
                    f.close();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String kerasActivation(IActivation a) {
        if (a instanceof ActivationReLU) return "relu";
        if (a instanceof ActivationSoftmax) return "softmax";
        if (a instanceof ActivationTanH) return "tanh";
        if (a instanceof ActivationSigmoid) return "sigmoid";
        if (a instanceof ActivationIdentity) return "linear";
        throw new IllegalArgumentException("no Keras name for activation " + a);
    }

    /** A scalar fixed-length string attribute, NULL-padded (h5py's encoding of a Python bytes value). */
    private static void stringAttribute(Group g, String name, String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        StrType t = new StrType(PredType.C_S1(), b.length);
        t.setStrpad(hdf5.H5T_STR_NULLPAD);
        DataSpace s = new DataSpace(hdf5.H5S_SCALAR);
        Attribute a = g.createAttribute(name, t, s);
        a.write(t, new BytePointer(b));
        a.close();
        s.close();
        t.close();
    }

    /** A 1-d array attribute of fixed-length strings, each NULL-padded to the longest (h5py's numpy 'S' array). */
    private static void stringArrayAttribute(Group g, String name, List<String> values) {
        int len = values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).max().orElse(1);
        byte[] all = new byte[len * values.size()];
        for (int i = 0; i < values.size(); i++) {
            byte[] b = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, all, i * len, b.length);
        }
        StrType t = new StrType(PredType.C_S1(), len);
        t.setStrpad(hdf5.H5T_STR_NULLPAD);
        DataSpace s = new DataSpace(1, new long[] {values.size()});
        Attribute a = g.createAttribute(name, t, s);
        a.write(t, new BytePointer(all));
        a.close();
        s.close();
        t.close();
    }

    /** A float32 little-endian data set, row-major, of the array's shape. */
    private static void floats(Group g, String name, INDArray values) {
        long[] shape = values.shape();
        float[] data = values.dup('c').reshape(values.length()).toFloatVector();
        DataSpace s = new DataSpace(shape.length, shape);
        DataSet d = g.createDataSet(name, PredType.IEEE_F32LE(), s);
        d.write(new FloatPointer(data), PredType.NATIVE_FLOAT());
        d.close();
        s.close();
    }
}
