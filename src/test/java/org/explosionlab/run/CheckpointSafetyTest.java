package org.explosionlab.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.explosionlab.training.RunOptions;
import org.explosionlab.training.Trainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint is a file users pass around, so {@code --resume} must never turn its bytes into Java
 * objects. A real checkpoint (Adam, AutoClip) is written by a short run, then crafted: a
 * {@code preprocessor.bin} entry holding a serialized {@link Gadget} (the entry DL4J's
 * {@code ModelSerializer.restoreMultiLayerNetwork} reads with {@code ObjectInputStream}), or a run state
 * in the Java-serialized form the project used to write. The gadget counts every instantiation, so the
 * test sees whether any reader ran it.
 */
class CheckpointSafetyTest {
    @TempDir
    Path tmp;

    /** A class outside every allow-list; its {@code readObject} runs when anything deserializes it. */
    static final class Gadget implements Serializable {
        private static final long serialVersionUID = 1L;
        static final AtomicInteger INSTANTIATED = new AtomicInteger();

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            INSTANTIATED.incrementAndGet();
        }
    }

    @BeforeEach
    void reset() {
        Gadget.INSTANTIATED.set(0);
    }

    @Test
    void aCheckpointRoundTripsThroughJsonAndDl4jCoefficients() throws Exception {
        Path run = checkpointedRun("run");
        MultiLayerNetwork restored = Checkpoint.network(run, spec(run));
        MultiLayerNetwork byDl4j = ModelSerializer.restoreMultiLayerNetwork(run.resolve(Checkpoint.FILE).toFile(), true);
        assertArrayEquals(byDl4j.params().toFloatVector(), restored.params().toFloatVector(), "parameters as DL4J reads them");
        assertArrayEquals(byDl4j.getUpdater().getStateViewArray().toFloatVector(),
                restored.getUpdater().getStateViewArray().toFloatVector(), "Adam's moments as DL4J reads them");
        Checkpoint state = Checkpoint.read(run);
        assertEquals(3, state.iteration(), "3 minibatches of the one epoch ran");
        assertEquals(1, state.epochsCompleted());
        assertEquals(3, state.maxBatches());
        String json = new String(entries(run.resolve(Checkpoint.FILE)).get(Checkpoint.ENTRY), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{") && json.contains("\"iteration\":3"), "the run state is plain JSON: " + json);
    }

    @Test
    void aPreprocessorEntryIsRefusedAndNeverDeserialized() throws Exception {
        Path run = checkpointedRun("crafted");
        Path zip = withEntry(run, "preprocessor.bin", serialized(new Gadget()));

        Checkpoint.CheckpointException e = assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.network(run, spec(run)));
        assertTrue(e.getMessage().contains("unexpected entry 'preprocessor.bin'"), e.getMessage());
        assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.read(run));
        assertEquals(0, Gadget.INSTANTIATED.get(), "the gadget was instantiated");

        // Why ModelZip exists: DL4J's own restore path does run it (and only then fails its cast).
        assertThrows(ClassCastException.class, () -> ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true));
        assertEquals(1, Gadget.INSTANTIATED.get(), "DL4J's ModelSerializer deserializes preprocessor.bin");
    }

    /** Issue 28 (fourth pass, finding 9): text after the run state's JSON object is an error, not ignored. */
    @Test
    void trailingTokensAfterTheRunStateAreRefused() throws Exception {
        Path run = checkpointedRun("trailing");
        byte[] json = entries(run.resolve(Checkpoint.FILE)).get(Checkpoint.ENTRY);
        String text = new String(json, java.nio.charset.StandardCharsets.UTF_8);
        for (String after : java.util.List.of(" xyz", " {}")) {
            withEntry(run, Checkpoint.ENTRY, ("\n" + text + after).getBytes(java.nio.charset.StandardCharsets.UTF_8));  // "\n": not re-signed

            Checkpoint.CheckpointException e = assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.read(run));
            assertTrue(e.getMessage().startsWith(run.resolve(Checkpoint.FILE) + ": unreadable checkpoint: its"
                    + " explosionlab-checkpoint.json does not read (" + (after.equals(" xyz") ? "Unrecognized token 'xyz'"
                    : "text after the JSON value at line 2, column ")), e.getMessage());
            assertTrue(e.getMessage().endsWith("); the checkpoint is damaged or was edited: start a new run instead of --resume"),
                    e.getMessage());
        }
    }

    @Test
    void aJavaSerializedRunStateIsRefusedAndNeverDeserialized() throws Exception {
        Path run = checkpointedRun("old-format");
        withEntry(run, Checkpoint.ENTRY, serialized(new Gadget()));    // what ModelSerializer.addObjectToFile wrote

        Checkpoint.CheckpointException e = assertThrows(Checkpoint.CheckpointException.class, () -> Checkpoint.read(run));
        assertTrue(e.getMessage().contains("unreadable checkpoint") && e.getMessage().contains("start a new run"), e.getMessage());
        assertEquals(0, Gadget.INSTANTIATED.get(), "the gadget was instantiated");
    }

    @Test
    void anOversizedEntryStopsAtItsCap() throws Exception {
        Path zip = tmp.resolve("bomb.zip");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ModelZip.CONFIGURATION, new byte[ModelZip.MAX_JSON_BYTES + 1]);   // zeros: deflates to ~16 KB
        write(zip, entries);
        assertTrue(Files.size(zip) < 100_000, "the crafted zip is small on disk");
        IOException e = assertThrows(IOException.class, () -> ModelZip.entries(zip, Checkpoint.ENTRIES));
        assertTrue(e.getMessage().contains("larger than 16 MiB"), e.getMessage());
    }

    private Path checkpointedRun(String name) {
        Path dir = tmp.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var spec = SpecOverrides.apply(Presets.load("seed-baseline"), java.util.List.of("epochs=1", "clipping=autoclip"));
        new Trainer(null).run(spec, DatasetResolver.resolve("mnist-embedded"), new RunOptions(dir, 3, 0, 0, "test"));
        // A finished run has no checkpoint: write the one Trainer writes after epoch 1, from the run's model.
        try {
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(dir.resolve(RunFiles.MODEL).toFile(), true);
            Checkpoint.of(net.getIterationCount(), 1, 0, 1, 3L * spec.training().batchSize(), 0.5, 3,
                    org.explosionlab.monitor.RemedyChain.of(spec).installOn(net).state(), null, spec,
                    DatasetResolver.resolve("mnist-embedded").provenance().sha256(),
                    new MetricsDigest(dir.resolve(MetricsFile.FILE)).mark()).write(dir, net);
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Rewrites the run's checkpoint.zip with entry {@code name} added (or replaced); returns the zip. */
    private static Path withEntry(Path run, String name, byte[] bytes) throws IOException {
        Path zip = run.resolve(Checkpoint.FILE);
        Map<String, byte[]> entries = entries(zip);
        entries.put(name, bytes);
        write(zip, entries);
        return zip;
    }

    private static byte[] serialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    /**
     * Writes {@code entries} as the zip, the SHA-256 its run-state record holds for the other entries recomputed (as
     * anyone editing a checkpoint can), so that the checks behind the checksum are the ones exercised.
     */
    private static void write(Path zip, Map<String, byte[]> entries) throws IOException {
        byte[] record = entries.get(Checkpoint.ENTRY);
        if (record != null && record.length > 0 && record[0] == '{') {          // not when the record itself is the edit
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var state = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(entries.get(Checkpoint.ENTRY));
            var sha = state.putObject("entries_sha256");
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                if (!e.getKey().equals(Checkpoint.ENTRY)) {
                    sha.put(e.getKey(), java.util.HexFormat.of().formatHex(org.apache.commons.codec.digest.DigestUtils.getSha256Digest().digest(e.getValue())));
                }
            }
            state.put("state_sha256", Checkpoint.stateSha256(state));
            entries.put(Checkpoint.ENTRY, json.writeValueAsBytes(state));
        }
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    @Test
    void noClassOutsideTheAllowListViaTheCli() throws Exception {
        Path run = checkpointedRun("cli");
        withEntry(run, "preprocessor.bin", serialized(new Gadget()));
        Files.delete(run.resolve(RunFiles.MODEL));           // a killed run: checkpoint, no model
        int exit = org.explosionlab.cli.ExplosionLab.execute("train", "--resume", run.toString(), "--console-every", "0");
        assertEquals(2, exit);
        assertFalse(Gadget.INSTANTIATED.get() > 0, "the gadget was instantiated through train --resume");
    }

    // ---- issue 28: limits that follow the spec's network, checked before anything is rewritten

    private static org.explosionlab.spec.ExperimentSpec spec(Path run) {
        return org.explosionlab.spec.SpecJson.read(run.resolve(RunFiles.SPEC));
    }

    /** A killed run: the checkpoint, no model.zip, and a truncated last metrics line that a resume would drop. */
    private Path killedRun(String name) throws IOException {
        Path run = checkpointedRun(name);
        Files.delete(run.resolve(RunFiles.MODEL));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\":99,\"trunc", java.nio.file.StandardOpenOption.APPEND);
        return run;
    }

    /** Resumes {@code run}, expects one CheckpointException line, and checks that no file of the run changed. */
    private static String refusedUntouched(Path run, org.explosionlab.data.MnistLikeDataset data) throws IOException {
        Map<String, String> before = files(run);
        Checkpoint.CheckpointException e = assertThrows(Checkpoint.CheckpointException.class,
                () -> new Trainer(null).resume(run, data, 0, 0));
        assertEquals(before, files(run), "a refused resume rewrote files: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (var list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                out.put(p.getFileName().toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) + "/" + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    @Test
    void aCheckpointWithoutUpdaterStateIsRefused() throws Exception {
        Path run = killedRun("no-updater");
        Map<String, byte[]> entries = entries(run.resolve(Checkpoint.FILE));
        entries.remove(ModelZip.UPDATER_STATE);
        write(run.resolve(Checkpoint.FILE), entries);
        String m = refusedUntouched(run, DatasetResolver.resolve("mnist-embedded"));
        assertTrue(m.contains("it lacks updaterState.bin, the optimizer's state") && m.contains("start a new run instead of --resume"), m);
    }

    @Test
    void anArrayHeaderAnnouncingABillionFloatsIsRefusedBeforeAllocation() throws Exception {
        Path run = killedRun("billion");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            org.nd4j.linalg.factory.Nd4j.write(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 4), out);
        }
        byte[] crafted = bytes.toByteArray();
        // the data buffer's length field: after the shape buffer (UTF mode, long length, UTF type, 8 * length bytes), a UTF mode
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(crafted));
        in.readUTF();
        long shape = in.readLong();
        in.readUTF();
        in.skipNBytes(8 * shape);
        in.readUTF();
        int at = crafted.length - in.available();
        java.nio.ByteBuffer.wrap(crafted).putLong(at, 1_000_000_000L);
        withEntry(run, ModelZip.COEFFICIENTS, crafted);
        String m = refusedUntouched(run, DatasetResolver.resolve("mnist-embedded"));
        assertTrue(m.contains("entry 'coefficients.bin' announces 1000000000 values, but the network of the run's spec has "
                + org.explosionlab.network.MemoryBudget.parameters(spec(run).layers().layerSizes())), m);
    }

    @Test
    void aCompressedEntryStopsAtTheSizeItsNetworkNeeds() throws Exception {
        Path run = killedRun("bomb");
        withEntry(run, ModelZip.UPDATER_STATE, new byte[64 << 20]);   // zeros: deflates to ~64 KB, far above 2P floats
        assertTrue(Files.size(run.resolve(Checkpoint.FILE)) < 2 << 20, "the crafted zip is small on disk");
        String m = refusedUntouched(run, DatasetResolver.resolve("mnist-embedded"));
        assertTrue(m.contains("entry 'updaterState.bin' is larger than") && m.contains("the most its network can need"), m);
    }

    @Test
    void aResumeOnChangedDataIsRefused() throws Exception {
        Path run = killedRun("data");
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String f : java.util.List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (var res = getClass().getResourceAsStream("/mnist-embedded/" + f)) {
                Files.copy(res, data.resolve(f));
            }
        }
        // rotate the training labels by one class: the run's checkpoint recorded the embedded set's SHA-256
        Path labels = data.resolve("train-labels-idx1-ubyte.gz");
        byte[] raw;
        try (var gz = new java.util.zip.GZIPInputStream(Files.newInputStream(labels))) {
            raw = gz.readAllBytes();
        }
        for (int i = 8; i < raw.length; i++) raw[i] = (byte) ((raw[i] + 1) % 10);
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(labels))) {
            gz.write(raw);
        }
        String m = refusedUntouched(run, DatasetResolver.resolve(data.toString()));
        assertTrue(m.contains(": the training data changed since the checkpoint (train-labels-idx1-ubyte.gz differ"), m);
    }

    /**
     * Finding 10 as it was tried: a small crafted checkpoint whose coefficients.bin inflates to 600 MB,
     * resumed through the real CLI in a child JVM with a 256 MB heap. The entry stops at the size the spec's
     * network needs: one line, exit 2, no OutOfMemoryError (the old 1 GiB cap read it whole).
     */
    @Test
    void aCheckpointBombIsOneLineUnderASmallHeap() throws Exception {
        Path run = killedRun("small-heap");
        Path zip = run.resolve(Checkpoint.FILE);
        Map<String, byte[]> entries = entries(zip);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getKey().equals(ModelZip.COEFFICIENTS)) {
                    byte[] zeros = new byte[1 << 16];
                    for (int i = 0; i < (600 << 20) / zeros.length; i++) out.write(zeros);   // streamed: never 600 MB in memory
                } else {
                    out.write(e.getValue());
                }
                out.closeEntry();
            }
        }
        assertTrue(Files.size(zip) < 4 << 20, "the crafted zip is small on disk: " + Files.size(zip));
        Path err = tmp.resolve("err.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), org.explosionlab.cli.ExplosionLab.class.getName(),
                "train", "--resume", run.toString(), "--console-every", "0")
                .redirectError(err.toFile()).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertTrue(child.waitFor(300, java.util.concurrent.TimeUnit.SECONDS), "resume did not finish");
        String stderr = Files.readString(err);
        assertEquals(2, child.exitValue(), stderr);
        String last = stderr.lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("explosion-lab: ") && last.contains("entry 'coefficients.bin' is larger than")
                && last.contains("the most its network can need") && !stderr.contains("OutOfMemoryError"), stderr);
    }
}

