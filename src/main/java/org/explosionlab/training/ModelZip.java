package org.explosionlab.training;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a DL4J {@code ModelSerializer} zip (a checkpoint a user hands to {@code --resume}) by its
 * configuration-and-coefficients path only, with no Java deserialization.
 *
 * <p>DL4J 1.0.0-M2.1's {@code ModelSerializer.restoreMultiLayerNetwork} reads an optional
 * {@code preprocessor.bin} entry with {@code ObjectInputStream.readObject()}, so a crafted zip runs
 * arbitrary gadget chains. This reader does what that method does for the other entries — the
 * configuration from {@code configuration.json} ({@code MultiLayerConfiguration.fromJson}), the
 * parameters from {@code coefficients.bin} and the updater state from {@code updaterState.bin}
 * ({@code Nd4j.read}), then {@code new MultiLayerNetwork(conf).init(params, false)} and
 * {@code getUpdater().setStateViewArray(...)} — and refuses any entry it does not know, with one line.
 * Each entry is read up to a size cap, so a zip bomb stops at the cap.
 */
final class ModelZip {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER_STATE = "updaterState.bin";
    /** The largest JSON entry read (a configuration of the presets is ~10 KB). */
    static final int MAX_JSON_BYTES = 16 << 20;
    /** The largest binary entry read (parameters or updater state; the seed model's is ~0.9 MB). */
    static final int MAX_BIN_BYTES = 1 << 30;

    private ModelZip() {
    }

    /** The entries of {@code zip} named in {@code allowed}, each at most its cap; any other entry is refused. */
    static Map<String, byte[]> entries(Path zip, Set<String> allowed) throws IOException {
        return entries(zip, allowed, allowed);
    }

    /**
     * The entries of {@code zip} named in {@code wanted}; every entry's name must be in {@code allowed}
     * (else refused), and the ones not wanted are skipped unread.
     */
    static Map<String, byte[]> entries(Path zip, Set<String> allowed, Set<String> wanted) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = e.getName();
                if (!allowed.contains(name)) {
                    throw new IOException("unexpected entry '" + name + "' (a DL4J model zip from this project holds only "
                            + String.join(", ", allowed.stream().sorted().toList()) + "; '" + name + "' is not read, since DL4J"
                            + " would deserialize it as a Java object)");
                }
                if (!wanted.contains(name)) continue;
                int cap = name.endsWith(".json") ? MAX_JSON_BYTES : MAX_BIN_BYTES;
                byte[] bytes = readAtMost(in, cap, name);
                if (out.put(name, bytes) != null) throw new IOException("entry '" + name + "' appears twice");
            }
        }
        return out;
    }

    /** The network of a model zip, with its updater state when the zip holds one. */
    static MultiLayerNetwork network(Map<String, byte[]> entries) throws IOException {
        byte[] json = entries.get(CONFIGURATION);
        byte[] coefficients = entries.get(COEFFICIENTS);
        if (json == null || coefficients == null) {
            throw new IOException("not a DL4J model zip: it lacks " + (json == null ? CONFIGURATION : COEFFICIENTS));
        }
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(CONFIGURATION + " is not a MultiLayerNetwork configuration (" + e.getMessage() + ")");
        }
        INDArray params = read(coefficients);
        conf.setDataType(params.dataType());                           // as ModelSerializer does
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params, false);                                        // false: use these values, no copy
        byte[] state = entries.get(UPDATER_STATE);
        if (state != null) net.getUpdater().setStateViewArray(net, read(state), false);
        return net;
    }

    private static INDArray read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (RuntimeException e) {
            throw new IOException("an array entry is not in ND4J's binary format (" + e.getMessage() + ")");
        }
    }

    private static byte[] readAtMost(InputStream in, int cap, String name) throws IOException {
        byte[] bytes = in.readNBytes(cap);
        if (bytes.length == cap && in.read() != -1) {
            throw new IOException("entry '" + name + "' is larger than " + (cap >> 20) + " MiB");
        }
        return bytes;
    }
}
