package org.explosionlab.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Imports a Keras Sequential model saved as HDF5 ({@code model.save('model.h5')}) into a DL4J {@link MultiLayerNetwork}
 * with DL4J's own importer, {@link KerasModelImport#importKerasSequentialModelAndWeights(String)}, around the limits of
 * DL4J 1.0.0-M2.1's importer:
 * <ul>
 *   <li>it reads Keras 1 and 2 HDF5 only: a Keras 3 file ({@code keras_version} 3.x: "Keras major version has to be
 *       either 1 or 2") or a {@code .keras} zip gets one line saying so and how to re-save;</li>
 *   <li>it throws a NullPointerException on an Adam (or other) optimizer config without {@code decay}, which Keras ≥ 2.11
 *       no longer writes: the training config is then handed to DL4J's importer with {@code "decay": 0.0} added (what
 *       older Keras wrote for the same optimizer; DL4J maps decay 0 to no schedule);</li>
 *   <li>it reads {@code keras_version} into a 5-byte buffer: a longer version ("2.15.0") is read here instead and handed
 *       to the importer with the model config.</li>
 * </ul>
 * Any other failure of the importer becomes one {@link KerasImportException} line.
 */
public final class KerasImport {
    /** What DL4J 1.0.0-M2.1's importer reads, for messages. */
    public static final String READS = "DL4J 1.0.0-M2.1 imports Keras 1 and Keras 2 HDF5 files (.h5) only";
    /** How to get such a file from a newer Keras. */
    public static final String RESAVE = "re-save it from Keras 2 (TensorFlow <= 2.15, or tf_keras with TF_USE_LEGACY_KERAS=1): "
            + "model.save('model.h5')";
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};
    /** Lenient about what follows the JSON: an HDF5 string attribute read back may carry bytes of its padding after it. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file DL4J cannot import, in one line that says what to do. */
    public static final class KerasImportException extends RuntimeException {
        public KerasImportException(String message) {
            super(message);
        }
    }

    /**
     * The imported network and what was done to import it.
     *
     * @param network      DL4J's network, weights as stored in the file
     * @param kerasVersion the file's {@code keras_version}
     * @param notes        each work-around applied (empty when DL4J's importer read the file as it is)
     */
    public record Imported(MultiLayerNetwork network, String kerasVersion, List<String> notes) {
    }

    private KerasImport() {
    }

    /** Imports a Keras Sequential HDF5 file; every refusal is a {@link KerasImportException} of one line. */
    public static Imported sequential(Path file) {
        checkFile(file);
        String version;
        String modelConfig;
        String backend;
        String trainingConfig;
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            Hdf5Archive archive;
            org.bytedeco.hdf5.Exception.dontPrint();     // HDF5's own error stack printout (HDF5-DIAG) never reaches the user
            try {
                archive = new Hdf5Archive(file.toString());
            } catch (RuntimeException e) {
                throw new KerasImportException(file + ": HDF5 cannot open it (" + firstLine(e) + ")");
            }
            try {
                if (!archive.hasAttribute("model_config")) {
                    throw new KerasImportException(file + " has no model_config: a weights-only file (model.save_weights)? "
                            + "DL4J needs the whole model: model.save('model.h5')");
                }
                version = archive.hasAttribute("keras_version") ? archive.readAttributeAsString("keras_version").trim() : "";
                backend = archive.hasAttribute("backend") ? archive.readAttributeAsString("backend").trim() : "tensorflow";
                modelConfig = archive.readAttributeAsJson("model_config");
                trainingConfig = archive.hasAttribute("training_config") ? archive.readAttributeAsJson("training_config") : null;
            } catch (KerasImportException e) {
                throw e;
            } catch (Exception e) {
                throw new KerasImportException(file + ": not a Keras HDF5 model (" + firstLine(e) + ")");
            } finally {
                archive.close();
            }
        }
        if (version.isEmpty() || !(version.startsWith("1.") || version.startsWith("2."))) {
            throw new KerasImportException(file + " was saved by Keras " + (version.isEmpty() ? "of unknown version" : version)
                    + "; " + READS + "; " + RESAVE);
        }
        List<String> notes = new ArrayList<>();
        String patchedTraining = trainingConfig == null ? null : withDecay(trainingConfig, notes);
        try {
            MultiLayerNetwork net;
            if (notes.isEmpty() && version.length() <= 5) {
                net = KerasModelImport.importKerasSequentialModelAndWeights(file.toString());      // DL4J's importer, as it is
            } else {
                if (version.length() > 5) notes.add("keras_version " + version + " read here (DL4J M2.1 reads 5 characters)");
                ObjectNode model = (ObjectNode) JSON.readTree(modelConfig.replace("\u0000", ""));
                model.put("keras_version", version);
                model.put("backend", backend);
                var builder = new KerasSequentialModel().modelBuilder().modelJson(JSON.writeValueAsString(model))
                        .weightsHdf5Filename(file.toString()).enforceTrainingConfig(true);
                if (patchedTraining != null) builder.trainingJson(patchedTraining);
                net = builder.buildSequential().getMultiLayerNetwork();
            }
            return new Imported(net, version, List.copyOf(notes));
        } catch (KerasImportException e) {
            throw e;
        } catch (Exception e) {
            throw new KerasImportException(file + ": DL4J's Keras import failed: " + e.getClass().getSimpleName() + ": " + firstLine(e));
        }
    }

    /** The training config with {@code "decay": 0.0} in an optimizer config that lacks it (Keras >= 2.11), noted. */
    static String withDecay(String trainingJson, List<String> notes) {
        try {
            JsonNode root = JSON.readTree(trainingJson.replace("\u0000", ""));
            JsonNode opt = root.path("optimizer_config").path("config");
            if (opt instanceof ObjectNode o && !o.has("decay")) {
                o.put("decay", 0.0);
                notes.add("the " + root.path("optimizer_config").path("class_name").asText("optimizer")
                        + " config has no 'decay' (Keras >= 2.11 no longer writes it; DL4J M2.1's importer throws a"
                        + " NullPointerException on it): decay 0.0 supplied, i.e. no learning-rate decay, as Keras 2.11+ meant");
                return JSON.writeValueAsString(root);
            }
            return trainingJson;
        } catch (IOException e) {
            throw new KerasImportException("training_config is not JSON (" + firstLine(e) + ")");
        }
    }

    private static void checkFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KerasImportException(file + ": no such file; give a Keras HDF5 model saved with model.save('model.h5')");
        }
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 8);
        } catch (IOException e) {
            throw new KerasImportException(file + ": unreadable (" + e.getMessage() + ")");
        }
        if (n >= 4 && Arrays.equals(Arrays.copyOf(head, 4), ZIP_SIGNATURE)) {
            throw new KerasImportException(file + " is a zip archive (the Keras 3 '.keras' format); " + READS + "; " + RESAVE);
        }
        if (n < 8 || !Arrays.equals(head, HDF5_SIGNATURE)) {
            throw new KerasImportException(file + " is not an HDF5 file; " + READS + "; " + RESAVE);
        }
        long size;
        long end;
        try {
            size = Files.size(file);
            end = endOfFileAddress(file);
        } catch (IOException e) {
            throw new KerasImportException(file + ": unreadable (" + e.getMessage() + ")");
        }
        if (end < 0) throw new KerasImportException(file + " is a damaged HDF5 file (its superblock is cut off or unknown); " + RESAVE);
        if (size < end) {
            throw new KerasImportException(file + " is truncated: its HDF5 superblock says the file ends at byte " + end + ", but it has "
                    + size + " bytes; copy or save it again");
        }
    }

    /**
     * The end-of-file address an HDF5 superblock at offset 0 records (HDF5 File Format Specification, "Superblock"),
     * or -1 when the superblock is cut off or of an unknown version. Version 0/1: signature (8), 8 one-byte fields
     * (the 6th and 7th are the sizes of offsets and lengths), two 2-byte K values, 4-byte flags, [version 1: 4 more
     * bytes], then base address, free-space address and end-of-file address, each "size of offsets" bytes. Version
     * 2/3: signature, version, sizes of offsets and lengths, flags, then base address, extension address and the
     * end-of-file address. Addresses are little-endian and relative to the base address (0 for a Keras file).
     */
    static long endOfFileAddress(Path file) throws IOException {
        byte[] b = new byte[96];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(b, 0, b.length);
        }
        if (n < 12) return -1;
        int version = b[8] & 0xff;
        int offsets;
        int at;
        if (version == 0 || version == 1) {
            offsets = b[13] & 0xff;
            at = 8 + 8 + 4 + 4 + (version == 1 ? 4 : 0) + 2 * offsets;
        } else if (version == 2 || version == 3) {
            offsets = b[9] & 0xff;
            at = 12 + 2 * offsets;
        } else {
            return -1;
        }
        if (offsets < 1 || offsets > 8 || at + offsets > n) return -1;
        long end = 0;
        for (int i = offsets - 1; i >= 0; i--) end = (end << 8) | (b[at + i] & 0xff);
        return end;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String one = m.strip().split("\\R", 2)[0];
        return one.length() > 240 ? one.substring(0, 240) + "..." : one;
    }
}
