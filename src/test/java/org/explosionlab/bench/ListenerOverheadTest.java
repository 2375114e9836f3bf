package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@link ListenerOverhead}: a smoke run of the paired measurement, its table by hand, and refused setups. */
class ListenerOverheadTest {

    @Test
    void pairedSmokeRunGivesOneRowPerSetupWithTheReferenceAtZero() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = new CommandLine(new ListenerOverhead(new PrintStream(buf, true, StandardCharsets.UTF_8)))
                .execute("--setups", "b,c", "--batch", "32", "--epochs", "2", "--warmup-steps", "3", "--max-batches", "4", "--step-epochs", "2",
                        "--blocks", "3", "--block-steps", "5");
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        assertTrue(out.contains("batch 32, paired in one JVM (2 epochs per setup"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("| b |") && l.contains("| +0.0 % | +0.0 % |")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("| c |")), out);
        assertTrue(out.contains("batch 32, block pairs (3 rounds of one block per setup in turn"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\| c \\| [+-]\\d+\\.\\d % \\| \\[[+-].*")), out);
        // 2 epochs of 4 steps: of 8 steps, 2 recorded (iteration ≡ 0 mod 4) and 2 unrecorded of the same parity (≡ 2)
        assertTrue(out.lines().anyMatch(l -> l.startsWith("| 32 | 2 / 2 |")), out);
    }

    /**
     * Overheads from medians computed by hand: b 1000 examples in 0.1 s of thread CPU, c in 0.125 s:
     * +25 %; wall 0.1 s against 0.15 s: +50 %; process CPU 0.1 s against 0.125 s: +25 %.
     */
    @Test
    void overheadIsTheRatioOfMediansMinusOne() {
        BenchRow b = new BenchRow("b", "ref", 32, List.of(new EpochTiming(1000, 100_000_000L, 100_000_000L, 100_000_000L)), -1);
        BenchRow c = new BenchRow("c", "listener", 32, List.of(new EpochTiming(1000, 150_000_000L, 125_000_000L, 125_000_000L)), -1);
        String t = ListenerOverhead.table(32, List.of(b, c));
        assertTrue(t.contains("| c | listener | 6,667 | 8,000 | +25.0 % | +50.0 % | +25.0 % |"), t);
    }

    @Test
    void blockPairsNeedTwoSetupsAndAtLeastOneStepPerBlock() {
        ListenerOverhead one = new ListenerOverhead();
        new CommandLine(one).parseArgs("--setups", "c");
        assertEquals("block pairs need at least two setups, got c", assertThrows(IllegalArgumentException.class, one::call).getMessage());
        ListenerOverhead zero = new ListenerOverhead();
        new CommandLine(zero).parseArgs("--block-steps", "0");
        assertEquals("--block-steps must be >= 1, got 0", assertThrows(IllegalArgumentException.class, zero::call).getMessage());
    }

    @Test
    void setupsThatNeedTheirOwnJvmAreRefused() {
        ListenerOverhead cmd = new ListenerOverhead();
        new CommandLine(cmd).parseArgs("--setups", "a,b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmd::call);
        assertTrue(e.getMessage().startsWith("setup a changes more than the listener"), e.getMessage());
    }
}
