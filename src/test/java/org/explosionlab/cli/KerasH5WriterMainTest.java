package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.network.NetworkFactory;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KerasH5WriterMain}, {@code KerasH5Writer}'s command line: {@code --help} prints its usage and writes nothing (the user trial's
 * {@code KerasH5Writer --help} wrote a 451 KB HDF5 file named {@code --help}); bad input is one line and exit code 2,
 * with nothing written; a good FILE is a Keras 2 HDF5 file DL4J imports, replaced atomically.
 */
class KerasH5WriterMainTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = KerasH5WriterMain.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpPrintsTheUsageAndWritesNothing(@TempDir Path dir) throws Exception {
        Result r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: KerasH5WriterMain") && r.out().contains("FILE") && r.out().contains("--preset"), r.out());
        assertFalse(Files.exists(Path.of("--help")));
        assertTrue(run("--version").code() == 0);
    }

    @Test
    void badInputIsOneLineAndExitCode2AndNothingWritten(@TempDir Path dir) throws Exception {
        for (String[] args : new String[][] {
                {"--hlep"},
                {dir.resolve("model.txt").toString()},
                {dir.resolve("m.h5").toString(), "--preset", "no-such-preset"},
                {dir.resolve("m.h5").toString(), "--keras-version", "3.3.3"},
                {dir.resolve("a.h5").toString(), dir.resolve("b.h5").toString()}}) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("KerasH5WriterMain: "), r.err());
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count(), String.join(" ", args));
            }
        }
    }

    @Test
    void writesAFileDl4jImports_andReplacesItWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/seed.h5");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "an older file");
        Result r = run(f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + f + " (Keras 2.4.0 HDF5 of seed-baseline, 109386 parameters)"), r.out());
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count());                         // no temporary left beside it
        }
        MultiLayerNetwork imported = KerasModelImport.importKerasSequentialModelAndWeights(f.toString(), true);
        MultiLayerNetwork preset = NetworkFactory.build(Presets.load("seed-baseline"));
        assertArrayEquals(preset.getParam("0_W").dup('c').data().asFloat(), imported.getParam("0_W").dup('c').data().asFloat());
    }
}
