package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link MonitorBenchmark}'s options, checks, child command and rotation; nothing is trained. */
class MonitorBenchmarkTest {
    private static MonitorBenchmark parsed(String... args) {
        MonitorBenchmark b = new MonitorBenchmark(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        new CommandLine(b).parseArgs(args);
        return b;
    }

    @Test
    void defaultsAreTheIssuesRun() {
        MonitorBenchmark b = parsed();
        b.check();
        assertEquals(List.of("monitor", "settings", "limit"), b.parts);
        assertEquals(List.of(32, 128), b.shape.batches);
        assertEquals(200, b.blocks);
        assertEquals(50, b.blockSteps);
        assertEquals(2000, b.shape.warmupSteps);
        assertEquals(List.of(ListenerSetup.NONE, ListenerSetup.MONITOR, ListenerSetup.MONITOR_EVERY_10, ListenerSetup.STATS),
                ListenerSetup.parseList(b.listeners));
        assertEquals(1000, b.childWarmupSteps);
        assertEquals(List.of(Settings.DL4J_DEFAULTS, Settings.PROJECT), Settings.parseList(b.settings));
        assertEquals(3, b.rounds);
        assertEquals(1, b.refThreads);
        assertNull(b.child);
    }

    @Test
    void optionsParseAndPrintBack() {
        MonitorBenchmark b = parsed("--parts", "monitor,limit", "--batch", "32", "--blocks", "40", "--block-steps", "25",
                "--warmup-steps", "300", "--rounds", "1", "--max-batches", "10", "--listeners", "none,monitor");
        b.check();
        assertEquals(List.of("monitor", "limit"), b.parts);
        assertEquals(List.of(32), b.shape.batches);
        assertEquals("--parts monitor,limit --batch 32 --warmup-steps 300 --listeners none,monitor --blocks 40 --block-steps 25"
                + " --settings dl4j-defaults,project --rounds 1 --epochs 2 --child-warmup-steps 1000 --ref-threads 1 --ref-epochs 5 --max-batches 10",
                b.options());
    }

    @Test
    void badValuesAreRejectedWithOneLineNamingTheOption() {
        assertEquals("--blocks must be >= 1, got 0", assertThrows(IllegalArgumentException.class, () -> parsed("--blocks", "0").check()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parsed("--parts", "speed").check()).getMessage().contains("unknown part 'speed'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parsed("--listeners", "monitor,none").check()).getMessage()
                .contains("'none' first"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parsed("--listeners", "none,monitor,monitor").check()).getMessage()
                .contains("repeats"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parsed("--listeners", "none,histograms").check()).getMessage()
                .contains("use one of none, monitor, monitor-10, stats, stats-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parsed("--settings", "project").check()).getMessage()
                .contains("'dl4j-defaults' first"));
        assertThrows(IllegalArgumentException.class, () -> parsed("--settings", "dl4j-defaults,project-ws-none").check());
        assertThrows(IllegalArgumentException.class, () -> parsed("--batch", "32,32").check());
        assertThrows(IllegalArgumentException.class, () -> parsed("--batch", "0").check());
        assertThrows(IllegalArgumentException.class, () -> parsed("--rounds", "0").check());
        assertThrows(IllegalArgumentException.class, () -> parsed("--ref-epochs", "0").check());
        assertThrows(IllegalArgumentException.class, () -> parsed("--child-warmup-steps", "-1").check());
        assertThrows(IllegalArgumentException.class, () -> parsed("--child", "project").check());   // two batch sizes
        parsed("--child", "project", "--batch", "128").check();
        parsed("--settings", "dl4j-defaults,project,dl4j-defaults-1t,project-ws-none").check();
    }

    @Test
    void aBadValueExitsWithCode2AndOneLine() {
        StringWriter err = new StringWriter();
        MonitorBenchmark b = new MonitorBenchmark(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
        CommandLine cli = MonitorBenchmark.commandLine(b);
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--block-steps", "0"));
        assertEquals("monitor-benchmark: --block-steps must be >= 1, got 0", err.toString().trim());
    }

    @Test
    void childJvmsGetTheProjectsThreadPropertyOnlyWhenTuned() {
        MonitorBenchmark b = parsed("--warmup-steps", "3000", "--child-warmup-steps", "500", "--epochs", "3");
        List<String> tuned = b.childCommand(Settings.PROJECT, 128);
        List<String> plain = b.childCommand(Settings.DL4J_DEFAULTS, 32);
        assertTrue(tuned.contains("-Dexplosionlab.threads=1"), tuned.toString());
        assertFalse(plain.stream().anyMatch(a -> a.startsWith("-Dexplosionlab")), plain.toString());
        int main = tuned.indexOf(MonitorBenchmark.class.getName());
        assertEquals(List.of("--child", "project", "--batch", "128", "--epochs", "3", "--warmup-steps", "500", "--max-batches", "0",
                "--data", "mnist-embedded"), tuned.subList(main + 1, tuned.size()));
        assertTrue(tuned.contains("-Xmx2g"));
        assertEquals(1, Settings.PROJECT.threadVariable());
        assertNull(Settings.DL4J_DEFAULTS.threadVariable());
    }

    /** Four setups, three rounds: 0 1 2 3, then 3 0 1 2, then 2 3 0 1 — each setup goes first once in four rounds. */
    @Test
    void setupsTakeTurnsInARotatingOrder() {
        List<Integer> seen = new ArrayList<>();
        MonitorBenchmark.inTurn(4, 3, seen::add);
        assertEquals(List.of(0, 1, 2, 3, 3, 0, 1, 2, 2, 3, 0, 1), seen);
    }

    @Test
    void warmupRoundsUpToWholeEpochs() {
        assertEquals(8, RunShape.warmupEpochs(2000, 250));
        assertEquals(32, RunShape.warmupEpochs(2000, 63));
        assertEquals(0, RunShape.warmupEpochs(0, 63));
        assertEquals(5, RunShape.warmupEpochs(5, 0));
    }

    /** The comparison "project vs DL4J's defaults" rests on this: DL4J 1.0.0-M2.1 already defaults to ENABLED workspaces. */
    @Test
    void dl4jsDefaultWorkspaceModeIsEnabled() {
        assertEquals(WorkspaceMode.ENABLED, Settings.dl4jDefaultWorkspaceMode());
    }

    @Test
    void rowIdsResolveCaseInsensitively() {
        assertEquals(Settings.DEFAULTS_ONE_THREAD, Settings.byId(" DL4J-Defaults-1T "));
        assertEquals(ListenerSetup.MONITOR_EVERY_10, ListenerSetup.byId("monitor-10"));
    }
}
