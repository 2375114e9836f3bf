package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainingBenchmarkTest {
    private static TrainingBenchmark parsed(String... args) {
        TrainingBenchmark b = new TrainingBenchmark(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        new CommandLine(b).parseArgs(args);
        return b;
    }

    @Test
    void childJvmGetsTheSetupsSwitchesAndThreadProperty() {
        TrainingBenchmark b = parsed("--warmup-steps", "7", "--epochs", "2");
        List<String> plain = b.childCommand(BenchSetup.PLAIN, 32);
        assertTrue(plain.contains("-Dexplosionlab.fastAdam=false"), plain.toString());
        assertTrue(plain.contains("-Dexplosionlab.inPlaceUpdater=false"), plain.toString());
        assertFalse(plain.stream().anyMatch(s -> s.startsWith("-Dexplosionlab.threads")), plain.toString());
        List<String> tuned = b.childCommand(BenchSetup.TUNED, 128);
        assertTrue(tuned.contains("-Dexplosionlab.threads=1"), tuned.toString());
        String tail = String.join(" ", tuned.subList(tuned.indexOf(TrainingBenchmark.class.getName()), tuned.size()));
        assertEquals(TrainingBenchmark.class.getName() + " --child b --batch 128 --epochs 2 --warmup-steps 7 --max-batches 0 "
                + "--data mnist-embedded", tail);
        assertTrue(b.childCommand(BenchSetup.MEMORY_CHECK, 32).contains("-Dorg.bytedeco.javacpp.maxPhysicalBytes=400%"));
    }

    /** The whole path once: a child JVM trains two minibatches and the parent reads its report into the table. */
    @Test
    void measuresOneSetupInAChildJvm() {
        TrainingBenchmark b = parsed("--setups", "b", "--batch", "32", "--rounds", "1", "--warmup-steps", "0",
                "--max-batches", "2", "--child-heap", "1g");
        List<BenchRow> rows = b.measure();
        assertEquals(1, rows.size());
        BenchRow r = rows.get(0);
        assertEquals("b", r.id());
        assertEquals(64, r.epochs().get(0).examples());
        assertTrue(r.peakRssKib() > 10_000, "peak RSS " + r.peakRssKib());
        String report = b.report(rows);
        assertTrue(report.contains("| b | " + BenchSetup.TUNED.label() + " |"), report);
    }
}
