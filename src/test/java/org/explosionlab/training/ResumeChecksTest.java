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
        ObjectNode spec = (ObjectNode) JSON.readTree(run.resolve(Trainer.SPEC_FILE).toFile());
        spec.set(field, JSON.readTree(value));
        Files.writeString(run.resolve(Trainer.SPEC_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec));
        Map<String, String> before = snapshot(run);

        Outcome o = resume(run);

        assertEquals(2, o.exit(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("spec.json was changed since the checkpoint: " + named), o.err());
        assertTrue(o.err().contains("undo the change, or start a new run"), o.err());
        assertEquals(before, snapshot(run), "the run directory changed");
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
