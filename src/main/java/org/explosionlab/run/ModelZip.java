package org.explosionlab.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
public final class ModelZip {
    public static final String CONFIGURATION = "configuration.json";
    public static final String COEFFICIENTS = "coefficients.bin";
    public static final String UPDATER_STATE = "updaterState.bin";
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
        Map<String, Integer> caps = new HashMap<>();
        for (String name : wanted) caps.put(name, name.endsWith(".json") ? MAX_JSON_BYTES : MAX_BIN_BYTES);
        return entries(zip, allowed, caps);
    }

    /**
     * The entries of {@code zip} named in {@code caps}, each read up to its cap (bytes) and refused beyond it;
     * every entry's name must be in {@code allowed}, and the ones without a cap are skipped unread.
     */
    static Map<String, byte[]> entries(Path zip, Set<String> allowed, Map<String, Integer> caps) throws IOException {
        Set<String> wanted = caps.keySet();
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
                int cap = caps.get(name);
                byte[] bytes = readAtMost(in, cap, name);
                if (out.put(name, bytes) != null) throw new IOException("entry '" + name + "' appears twice");
            }
        }
        return out;
    }

    /** The network of a model zip, with its updater state when the zip holds one. */
    static MultiLayerNetwork network(Map<String, byte[]> entries) throws IOException {
        return network(entries, -1, -1);
    }

    /**
     * The network of a model zip whose spec announces {@code parameters} parameters and {@code stateSize}
     * updater-state values (-1: unchecked): each array's ND4J header must announce exactly that many values
     * (checked before anything is allocated), and a positive {@code stateSize} requires {@value #UPDATER_STATE}.
     */
    static MultiLayerNetwork network(Map<String, byte[]> entries, long parameters, long stateSize) throws IOException {
        return network(entries, parameters, stateSize, null);
    }

    /**
     * As {@link #network(Map, long, long)}, and when {@code expected} is given, {@value #CONFIGURATION} must describe
     * that network ({@link #requireConfiguration}), checked before DL4J reads it.
     */
    static MultiLayerNetwork network(Map<String, byte[]> entries, long parameters, long stateSize, MultiLayerConfiguration expected)
            throws IOException {
        byte[] json = entries.get(CONFIGURATION);
        byte[] coefficients = entries.get(COEFFICIENTS);
        if (json == null || coefficients == null) {
            throw new IOException("not a DL4J model zip: it lacks " + (json == null ? CONFIGURATION : COEFFICIENTS));
        }
        if (expected != null) requireConfiguration(json, expected);
        if (parameters >= 0) requireArray(coefficients, COEFFICIENTS, parameters);
        if (stateSize > 0 && entries.get(UPDATER_STATE) == null) {
            throw new IOException("it lacks " + UPDATER_STATE + ", the optimizer's state (" + stateSize + " values); resuming"
                    + " without it would restart the optimizer and not continue the run");
        }
        if (stateSize >= 0 && entries.get(UPDATER_STATE) != null) requireArray(entries.get(UPDATER_STATE), UPDATER_STATE, stateSize);
        MultiLayerConfiguration conf;
        try {
            conf = MultiLayerConfiguration.fromJson(new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(CONFIGURATION + " is not a MultiLayerNetwork configuration DL4J reads");
        }
        INDArray params = read(coefficients);
        conf.setDataType(params.dataType());                           // as ModelSerializer does
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params, false);                                        // false: use these values, no copy
        byte[] state = entries.get(UPDATER_STATE);
        if (state != null) net.getUpdater().setStateViewArray(net, read(state), false);
        return net;
    }

    /**
     * Fields DL4J fills in a configuration as it initialises and trains the network (its iteration and epoch counters,
     * each layer's parameter names, derived from the layer type), not set by the spec.
     */
    private static final Set<String> TRAINING_COUNTERS = Set.of("iterationCount", "epochCount", "variables");
    private static final com.fasterxml.jackson.databind.ObjectMapper TREE = new com.fasterxml.jackson.databind.ObjectMapper();
    /** How many differing fields a refusal names. */
    private static final int NAMED_DIFFERENCES = 3;

    /**
     * Checks, before DL4J reads it, that {@code json} ({@value #CONFIGURATION}) describes the network {@code expected}
     * (the one the run's spec builds): both as JSON trees, equal except for DL4J's training counters
     * ({@code iterationCount}, {@code epochCount}) and the parameter names {@code variables} it fills at init, at any depth. Fails naming up to three differing fields, e.g.
     * {@code confs[0].layer.iupdater.learningRate is 5.0, the spec's network has 0.001}.
     */
    static void requireConfiguration(byte[] json, MultiLayerConfiguration expected) throws IOException {
        com.fasterxml.jackson.databind.JsonNode found;
        try {
            found = TREE.readTree(json);
        } catch (IOException e) {
            throw new IOException(CONFIGURATION + " is not JSON");
        }
        if (found == null || !found.isObject()) throw new IOException(CONFIGURATION + " is not a JSON object");
        java.util.List<String> differences = new java.util.ArrayList<>();
        diff("", found, TREE.readTree(expected.toJson()), differences);
        if (differences.isEmpty()) return;
        String named = String.join("; ", differences.subList(0, Math.min(NAMED_DIFFERENCES, differences.size())));
        int more = differences.size() - NAMED_DIFFERENCES;
        throw new IOException(CONFIGURATION + " is not the network of the run's spec: " + named
                + (more > 0 ? " (and " + more + " more)" : "") + "; the checkpoint was edited or is foreign");
    }

    private static void diff(String path, com.fasterxml.jackson.databind.JsonNode found, com.fasterxml.jackson.databind.JsonNode want,
                             java.util.List<String> out) {
        if (found == null || found.isMissingNode()) {
            out.add(path + " is missing");
        } else if (want.isObject() && found.isObject()) {
            java.util.TreeSet<String> keys = new java.util.TreeSet<>();
            found.fieldNames().forEachRemaining(keys::add);
            want.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (TRAINING_COUNTERS.contains(k)) continue;
                String at = path.isEmpty() ? k : path + "." + k;
                if (!want.has(k)) out.add(at + " is not in the spec's network");
                else diff(at, found.get(k), want.get(k), out);
            }
        } else if (want.isArray() && found.isArray()) {
            if (found.size() != want.size()) {
                out.add(path + " has " + found.size() + " entries, the spec's network " + want.size());
                return;
            }
            for (int i = 0; i < want.size(); i++) diff(path + "[" + i + "]", found.get(i), want.get(i), out);
        } else if (!(found.isNumber() && want.isNumber() ? found.asDouble() == want.asDouble() : found.equals(want))) {
            out.add(path + " is " + brief(found) + ", the spec's network has " + brief(want));
        }
    }

    private static String brief(com.fasterxml.jackson.databind.JsonNode n) {
        String t = n.isValueNode() ? n.asText() : n.isArray() ? "a list" : "an object";
        return t.length() > 40 ? t.substring(0, 40) + "…" : t;
    }

    private static INDArray read(byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (RuntimeException e) {
            throw new IOException("an array entry is not in ND4J's binary format (" + e.getMessage() + ")");
        }
    }

    private static byte[] readAtMost(InputStream in, int cap, String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min(cap, 1 << 16));   // grows with the real bytes only
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, cap + 1L - total))) > 0; ) {
            total += n;
            if (total > cap) {
                throw new IOException("entry '" + name + "' is larger than " + (cap >= 1 << 20 ? (cap >> 20) + " MiB" : cap + " bytes")
                        + ", the most its network can need");
            }
            bytes.write(buf, 0, n);
        }
        return bytes.toByteArray();
    }

    /** The byte cap of an ND4J array entry of {@code elements} values: up to 8 bytes each (double) plus its header. */
    static int arrayCap(long elements) {
        long cap = ARRAY_HEADER_BYTES + 8 * elements;
        return (int) Math.min(cap, Integer.MAX_VALUE - 8);
    }

    /**
     * The data type of every network this project builds ({@code NetworkFactory} sets {@code DataType.FLOAT}); an array
     * entry of any other type is refused before ND4J reads it (a DOUBLE one would silently continue the run in float64,
     * a HALF one crashes libnd4j natively).
     */
    static final String NETWORK_TYPE = "FLOAT";

    /** Room for an ND4J array's two buffer headers and its shape information (rank ≤ 32). */
    static final int ARRAY_HEADER_BYTES = 4096;

    /**
     * Checks the ND4J binary header of an array entry before {@link Nd4j#read} allocates what it announces
     * (a crafted header announcing 1e9 floats would allocate 4 GB): the shape buffer and the data buffer
     * ({@code writeUTF(allocation) writeLong(length) writeUTF(dataType)} then the values, as ND4J's
     * {@code BaseDataBuffer.write} writes them) must hold exactly {@code elements} values that the entry's
     * bytes really contain.
     */
    static void requireArray(byte[] bytes, String name, long elements) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            BufferHeader shape = BufferHeader.read(in);
            if (shape.length() < 0 || shape.length() > 2 * 32 + 4) {
                throw new IOException("entry '" + name + "' is not an ND4J array (its shape information announces "
                        + shape.length() + " values)");
            }
            if (!"LONG".equals(shape.type())) {
                throw new IOException("entry '" + name + "' is not an ND4J array of this project (its shape information is "
                        + shape.type() + ", DL4J writes LONG)");
            }
            in.skipNBytes(shape.length() * shape.width(name));
            BufferHeader data = BufferHeader.read(in);
            if (!NETWORK_TYPE.equals(data.type())) {
                throw new IOException("entry '" + name + "' holds " + data.type() + " values, but the network of the run's spec is "
                        + NETWORK_TYPE + " (float32); the checkpoint was re-encoded or is foreign");
            }
            if (data.length() != elements) {
                throw new IOException("entry '" + name + "' announces " + data.length() + " values, but the network of the run's spec has "
                        + elements);
            }
            if ((long) in.available() < data.length() * data.width(name)) {
                throw new IOException("entry '" + name + "' is truncated (" + data.length() + " values announced, "
                        + in.available() + " bytes present)");
            }
        } catch (java.io.EOFException e) {
            throw new IOException("entry '" + name + "' is truncated in its ND4J header");
        }
    }

    /** One ND4J data buffer's header. */
    private record BufferHeader(long length, String type) {
        static BufferHeader read(DataInputStream in) throws IOException {
            in.readUTF();                                               // allocation mode
            long length = in.readLong();
            return new BufferHeader(length, in.readUTF());
        }

        int width(String name) throws IOException {
            try {
                return org.nd4j.linalg.api.buffer.DataType.valueOf(type).width();
            } catch (RuntimeException e) {
                throw new IOException("entry '" + name + "' has an unknown ND4J data type '" + type + "'");
            }
        }
    }
}
