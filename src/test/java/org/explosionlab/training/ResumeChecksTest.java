package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.explosionlab.cli.ExplosionLab;
import org.explosionlab.run.Checkpoint;
import org.explosionlab.run.ModelZip;
import org.explosionlab.run.RunFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train --resume} continues a run exactly as it was started, or refuses with one line and leaves
 * the run directory byte for byte as it was. The killed run is real: a child JVM trains with a
 * checkpoint every 10 iterations and gets SIGKILL; each case works on a copy of its directory.
 */
class ResumeChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path shared;
    static Path killed;

    @TempDir
    Path tmp;

    @BeforeAll
    static void killARun() throws Exception {
        killed = shared.resolve("killed");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName(), "train", "--preset", "seed-baseline",
                "--epochs", "2", "--max-batches", "60", "--checkpoint-every", "10", "--console-every", "0", "--out", killed.toString())
                .redirectErrorStream(true).redirectOutput(shared.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lines(killed.resolve("metrics.jsonl")) < 35 && child.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(child.isAlive(), "the child ended before the kill: " + Files.readString(shared.resolve("child.log")));
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertTrue(Files.exists(killed.resolve(Checkpoint.FILE)), "no checkpoint before the kill");
    }

    @ParameterizedTest(name = "{0} edited")
    @CsvSource(delimiter = ';', value = {
            "learningRate; 0.01; learningRate (0.001 -> 0.01)",
            "updater; \"SGD\"; updater (\"ADAM\" -> \"SGD\")",
            "seed; 7; seed (42 -> 7)",
            "batchSize; 64; batchSize (32 -> 64)",
            "layerSizes; [784, 100, 64, 10]; layerSizes ([784,128,64,10] -> [784,100,64,10])"})
    void anEditedSpecIsRefusedNamingTheFieldAndTouchesNothing(String field, String value, String named) throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        ObjectNode spec = (ObjectNode) JSON.readTree(run.resolve(RunFiles.SPEC).toFile());
        spec.set(field, JSON.readTree(value));
        Files.writeString(run.resolve(RunFiles.SPEC), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec));
        Map<String, String> before = snapshot(run);

        Outcome o = resume(run);

        assertEquals(2, o.exit(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("spec.json was changed since the checkpoint: " + named), o.err());
        assertTrue(o.err().contains("undo the change, or start a new run"), o.err());
        assertEquals(before, snapshot(run), "the run directory changed");
    }

    /**
     * Issue 28 (second pass, findings 1 and 4): a checkpoint field edited to a value no run writes is refused
     * before anything is rewritten, naming the field (an epoch of 99999 used to spin at 100% CPU replaying
     * shuffles; epoch 3 of 2 "finished" without training; a wrong dead-unit layer count was a stack trace).
     */
    @ParameterizedTest(name = "checkpoint {0} = {1}")
    @CsvSource(delimiter = ';', value = {
            "epoch; 99999; field 'epoch' is 99999, outside 0..2 (the spec's epochs)",
            "epoch; 3; field 'epoch' is 3, outside 0..2 (the spec's epochs)",
            "iteration; -7; field 'iteration' is -7, but epoch",
            "iteration; 31; field 'iteration' is 31, but epoch",
            "max_batches; -5; field 'max_batches' is -5, must be >= 0",
            "max_batches; 7; field 'batches_in_epoch' is",
            "batches_in_epoch; -1; field 'batches_in_epoch' is -1, outside 0..59",
            "epochs_completed; 1; field 'epochs_completed' is 1, but the checkpoint is in epoch 0",
            "examples; -1; field 'examples' is -1, but 0 epochs of ",
            "examples; 950; field 'examples' is 950, but 0 epochs of ",
            "train_seconds; -1; field 'train_seconds' is -1.0, must be a finite number >= 0",
            "monitor; {\"recorded\": 3, \"dead_unit_runs\": [[0]]}; field 'monitor.dead_unit_runs' holds counters for 1 ReLU-family layers, but this network has 2",
            "monitor; {\"recorded\": -3, \"dead_unit_runs\": [null, null]}; field 'monitor.recorded' must be >= 0, got -3",
            "remedies; null; field 'remedies' is missing",
            "monitor; {\"recorded\": 3, \"dead_unit_runs\": [[0], [1.5]]}; unreadable checkpoint: its explosionlab-checkpoint.json does not read (field 'monitor.dead_unit_runs[1][0]' must be an integer)",
            "epoch; \"x\"; unreadable checkpoint: its explosionlab-checkpoint.json does not read (field 'epoch' must be an integer)"})
    void anEditedCheckpointFieldIsRefusedNamingItAndTouchesNothing(String field, String value, String named) throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        com.fasterxml.jackson.databind.JsonNode replacement = JSON.readTree(value);
        editCheckpoint(run, state -> state.set(field, replacement));
        Map<String, String> before = snapshot(run);

        Outcome o = resume(run);

        assertEquals(2, o.exit(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("checkpoint.zip: " + named), o.err());
        assertTrue(o.err().contains("the checkpoint is damaged or was edited: start a new run instead of --resume"), o.err());
        assertEquals(before, snapshot(run), "the run directory changed");
    }

    /**
     * Issue 28 (second pass, findings 2, 3 and 5): metrics.jsonl must hold exactly the rows recorded before the
     * checkpoint, each complete, in order; otherwise one line, and neither metrics.jsonl nor metrics.csv is touched.
     */
    @ParameterizedTest(name = "metrics.jsonl {0}")
    @CsvSource(delimiter = ';', value = {
            "an empty row on line 3; metrics.jsonl line 3 lacks the field 'iteration' every metrics row has",
            "a duplicated row; metrics.jsonl line 6 records iteration 4 after iteration 4 (a duplicated or reordered row)",
            "two rows swapped; metrics.jsonl line 4 records iteration 4 where the row of iteration 3 belongs",
            "a missing row; metrics.jsonl line 5 records iteration 5 where the row of iteration 4 belongs",
            "deleted; metrics.jsonl is missing, but the checkpoint is at iteration",
            "truncated; metrics.jsonl ends at the row of iteration 4, but the checkpoint is at iteration",
            "emptied; metrics.jsonl holds no rows, but the checkpoint is at iteration",
            "a loss edited; metrics.jsonl: its rows before iteration "})
    void anEditedMetricsFileIsRefusedAndTouchesNothing(String edit, String named) throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        Path jsonl = run.resolve("metrics.jsonl");
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(jsonl));
        switch (edit) {
            case "an empty row on line 3" -> lines.add(2, "{}");
            case "a duplicated row" -> lines.add(5, lines.get(4));
            case "two rows swapped" -> java.util.Collections.swap(lines, 3, 4);
            case "a missing row" -> lines.remove(4);
            case "deleted" -> lines = null;
            case "truncated" -> lines = lines.subList(0, 5);
            case "emptied" -> lines = java.util.List.of();
            case "a loss edited" -> lines.set(4, lines.get(4).replaceFirst("\"loss\":[0-9.]+", "\"loss\":0.5"));
            default -> throw new AssertionError(edit);
        }
        if (lines == null) Files.delete(jsonl);
        else Files.write(jsonl, lines);
        Map<String, String> before = snapshot(run);

        Outcome o = resume(run);

        assertEquals(2, o.exit(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains(named), o.err());
        assertTrue(o.err().contains("start a new run instead of --resume"), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
        assertEquals(before, snapshot(run), "the run directory changed");
    }

    /** A killed run's cut-off last line is what a kill leaves: the resume goes on. */
    @Test
    void aCutOffLastLineIsTheKillsAndResumes() throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\": 99, \"epo", java.nio.file.StandardOpenOption.APPEND);
        Outcome o = resume(run);
        assertEquals(0, o.exit(), o.err());
    }

    /**
     * Issue 28 (third pass, D1, D6): a checkpoint whose configuration.json no longer describes the network of the
     * run's spec (learning rate, dropout or L2 edited in, a layer removed) is refused before DL4J reads it, naming
     * the first field that differs (the edited network used to train on while summary.json described the spec;
     * a removed layer was an IllegalArgumentException stack trace).
     */
    @ParameterizedTest(name = "configuration.json: {0}")
    @CsvSource(delimiter = ';', value = {
            "Adam lr 5.0 in every layer; confs[0].layer.iupdater.learningRate is 5.0, the spec's network has 0.001",
            "dropout added; confs[0].layer.idropout is an object, the spec's network has null",
            "l2 1.0 added; confs[0].layer.regularization has 1 entries, the spec's network 0",
            "a layer removed; confs has 2 entries, the spec's network 3"})
    void anEditedNetworkConfigurationIsRefusedNamingWhatDiffers(String edit, String named) throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        editEntry(run, ModelZip.CONFIGURATION, bytes -> {
            try {
                ObjectNode conf = (ObjectNode) JSON.readTree(bytes);
                var confs = (com.fasterxml.jackson.databind.node.ArrayNode) conf.get("confs");
                for (var layer : confs) {
                    ObjectNode l = (ObjectNode) layer.get("layer");
                    switch (edit) {
                        case "Adam lr 5.0 in every layer" -> ((ObjectNode) l.get("iupdater")).put("learningRate", 5.0);
                        case "dropout added" -> l.set("idropout", JSON.readTree(
                                "{\"@class\":\"org.deeplearning4j.nn.conf.dropout.Dropout\",\"p\":0.5}"));
                        case "l2 1.0 added" -> l.set("regularization", JSON.readTree("[{\"@class\":"
                                + "\"org.nd4j.linalg.learning.regularization.L2Regularization\",\"l2\":{\"@class\":"
                                + "\"org.nd4j.linalg.schedule.FixedSchedule\",\"value\":1.0}}]"));
                        default -> { }
                    }
                }
                if (edit.equals("a layer removed")) confs.remove(1);
                return JSON.writeValueAsBytes(conf);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        refusedOneLineUntouched(run, "configuration.json is not the network of the run's spec: " + named);
    }

    /** Issue 28 (third pass, D11): a configuration.json that is not JSON is one plain line, no parser class or source excerpt. */
    @Test
    void aConfigurationThatIsNotJsonIsOnePlainLine() throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        editEntry(run, ModelZip.CONFIGURATION, bytes -> "hello".getBytes(StandardCharsets.UTF_8));
        refusedOneLineUntouched(run, ": unreadable checkpoint model (configuration.json is not JSON); start a new run instead of --resume");
    }

    /**
     * Issue 28 (third pass, D2, D3): the parameters or the optimizer's state re-encoded as ND4J DOUBLE (the right
     * number of values) or HALF are refused before ND4J reads them: DOUBLE used to continue the run in float64, HALF
     * crashed the JVM in libnd4jcpu.
     */
    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"coefficients.bin, DOUBLE", "coefficients.bin, HALF", "updaterState.bin, DOUBLE", "updaterState.bin, HALF"})
    void anArrayReEncodedInAnotherDataTypeIsRefused(String entry, String type) throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        editEntry(run, entry, bytes -> {
            try (var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                var array = org.nd4j.linalg.factory.Nd4j.read(in).castTo(org.nd4j.linalg.api.buffer.DataType.valueOf(type));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (var data = new java.io.DataOutputStream(out)) {
                    org.nd4j.linalg.factory.Nd4j.write(array, data);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        refusedOneLineUntouched(run, "entry '" + entry + "' holds " + type + " values, but the network of the run's spec is FLOAT");
    }

    private void refusedOneLineUntouched(Path run, String named) throws IOException {
        Map<String, String> before = snapshot(run);
        Outcome o = resume(run);
        assertEquals(2, o.exit(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains(named), o.err());
        assertTrue(o.err().contains("start a new run instead of --resume"), o.err());
        assertEquals(before, snapshot(run), "the run directory changed");
    }

    /**
     * Issue 28 (third pass, D7): bytes of coefficients.bin overwritten (the zip's CRC recomputed, the length and the
     * ND4J header unchanged) are refused: the checkpoint records each entry's SHA-256.
     */
    @Test
    void anEntryWhoseBytesChangedIsRefusedByItsSha256() throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        editEntry(run, ModelZip.COEFFICIENTS, bytes -> {
            byte[] edited = bytes.clone();
            for (int i = edited.length - 400; i < edited.length; i++) edited[i] = 0x3f;   // the last 100 floats ≈ 0.75
            return edited;
        }, false);
        refusedOneLineUntouched(run, "checkpoint.zip: entry 'coefficients.bin' is not the one written with the checkpoint"
                + " (its SHA-256 differs from the one recorded)");
    }

    /**
     * Issue 28 (fourth pass, findings 1 and 2): a state field edited by hand, to a value the other checks cannot tell from
     * a real one (max_batches 60 -> 40 would train another length; train_seconds 1e308 is finite), is refused by the
     * SHA-256 the checkpoint records over its state; so is a record without that SHA-256.
     */
    @ParameterizedTest(name = "checkpoint {0} = {1}, unsigned")
    @CsvSource(delimiter = ';', value = {
            "max_batches; 40; checkpoint.zip: its explosionlab-checkpoint.json is not the one written with the checkpoint (its SHA-256 differs from the one recorded)",
            "train_seconds; 1e308; checkpoint.zip: its explosionlab-checkpoint.json is not the one written with the checkpoint (its SHA-256 differs from the one recorded)",
            "state_sha256; null; checkpoint.zip: the checkpoint does not record the SHA-256 of its state"})
    void aStateFieldEditedWithoutItsSha256IsRefused(String field, String value, String named) throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        com.fasterxml.jackson.databind.JsonNode replacement = JSON.readTree(value);
        editCheckpoint(run, state -> {
            if (replacement.isNull()) state.remove(field);
            else state.set(field, replacement);
        }, false);
        refusedOneLineUntouched(run, named);
    }

    /** Replaces one entry of the run's checkpoint, recomputing the SHA-256 the checkpoint records for it. */
    private static void editEntry(Path run, String name, java.util.function.UnaryOperator<byte[]> edit) throws IOException {
        editEntry(run, name, edit, true);
    }

    private static void editEntry(Path run, String name, java.util.function.UnaryOperator<byte[]> edit, boolean resign)
            throws IOException {
        Path zip = run.resolve(Checkpoint.FILE);
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) entries.put(e.getName(), in.readAllBytes());
        }
        byte[] edited = edit.apply(entries.get(name));
        entries.put(name, edited);
        if (resign) {
            ObjectNode state = (ObjectNode) JSON.readTree(entries.get(Checkpoint.ENTRY));
            ((ObjectNode) state.get("entries_sha256")).put(name, java.util.HexFormat.of().formatHex(
                    org.apache.commons.codec.digest.DigestUtils.getSha256Digest().digest(edited)));
            state.put("state_sha256", Checkpoint.stateSha256(state));
            entries.put(Checkpoint.ENTRY, JSON.writeValueAsBytes(state));
        }
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    /** Edits the run state of the run's checkpoint, recomputing the SHA-256 the checkpoint records for it. */
    private static void editCheckpoint(Path run, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        editCheckpoint(run, edit, true);
    }

    private static void editCheckpoint(Path run, java.util.function.Consumer<ObjectNode> edit, boolean resign) throws IOException {
        Path zip = run.resolve(Checkpoint.FILE);
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) entries.put(e.getName(), in.readAllBytes());
        }
        ObjectNode state = (ObjectNode) JSON.readTree(entries.get(Checkpoint.ENTRY));
        edit.accept(state);
        if (resign) state.put("state_sha256", Checkpoint.stateSha256(state));
        entries.put(Checkpoint.ENTRY, JSON.writeValueAsBytes(state));
        try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    @Test
    void aFinishedRunSaysSo() throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        assertEquals(0, resume(run).exit());
        Map<String, String> before = snapshot(run);
        Outcome again = resume(run);
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("this run finished (model.zip and summary.json are written), so there is nothing to resume"),
                again.err());
        assertFalse(again.err().contains("killed before"), again.err());
        assertEquals(before, snapshot(run));
    }

    @Test
    void aResumeRemovesTheTempFilesOfTheKill() throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        Files.writeString(run.resolve(".checkpoint.zip.4242.1f.tmp"), "half a checkpoint");
        Files.writeString(run.resolve(".summary.json.4242.2e.tmp"), "{\"half");
        assertEquals(0, resume(run).exit());
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(java.util.List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList());
        }
    }

    @Test
    void everyRunFileHasOneMode() throws Exception {
        Path run = copy(killed, tmp.resolve("run"));
        Checkpoint cp = Checkpoint.read(killed);
        assertTrue(cp.iteration() >= 10, "the checkpoint is the run's own");
        assertEquals(0, resume(run).exit());
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> files = Files.list(killed)) {            // as the killed child left them (checkpoint included)
            for (Path p : (Iterable<Path>) files::iterator) modes.put("killed/" + p.getFileName(), mode(p));
        }
        try (Stream<Path> files = Files.list(run)) {
            for (Path p : (Iterable<Path>) files::iterator) modes.put(p.getFileName().toString(), mode(p));
        }
        assertEquals(1, modes.values().stream().distinct().count(), "run files with mixed modes: " + modes);
    }

    record Outcome(int exit, String err) {
    }

    private static Outcome resume(Path run) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = ExplosionLab.execute("train", "--resume", run.toString(), "--console-every", "0");
            return new Outcome(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static String mode(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }

    /** Each file's bytes (as text of their hash) and modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                all.put(p.getFileName().toString(), java.util.Arrays.hashCode(Files.readAllBytes(p)) + " " + Files.getLastModifiedTime(p));
            }
        }
        return all;
    }

    private static long lines(Path f) throws IOException {
        if (!Files.exists(f)) return 0;
        try (Stream<String> s = Files.lines(f)) {
            return s.count();
        }
    }

}
