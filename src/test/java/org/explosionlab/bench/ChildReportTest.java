package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.explosionlab.bench.EpochTiming.Clock;
import org.junit.jupiter.api.Test;

/** {@link ChildReport}'s lines and {@link EpochTiming}'s arithmetic. */
class ChildReportTest {
    @Test
    void linesReadBackAmongOtherOutput() {
        ChildReport r = new ChildReport("project", 32, List.of(new EpochTiming(7996, 261_000_000L, 300_000_000L, 255_000_000L),
                new EpochTiming(7996, 250_000_000L, 0, 0)), 612_345, 1);
        List<String> out = new ArrayList<>(List.of("[main] INFO org.nd4j - Backend used: [CPU]", "GCC: \"7.5.0\""));
        out.addAll(r.toLines());
        out.add("trailing noise=1");
        assertEquals(r, ChildReport.parse(out));
        assertEquals("bench-epoch setup=project batch=32 examples=7996 wall_ns=261000000 cpu_ns=300000000 thread_ns=255000000",
                r.toLines().get(0));
        assertEquals("bench-peak setup=project batch=32 vmhwm_kib=612345 threads=1", r.toLines().get(2));
    }

    @Test
    void aPeakLineWithoutThreadsReadsAsUnknown() {
        ChildReport r = ChildReport.parse(List.of("bench-epoch setup=b batch=128 examples=10 wall_ns=5 cpu_ns=5 thread_ns=4",
                "bench-peak setup=b batch=128 vmhwm_kib=7"));
        assertEquals(-1, r.threads());
        assertEquals(7, r.peakRssKib());
        assertEquals(128, r.batch());
    }

    @Test
    void incompleteOutputIsAnErrorThatSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChildReport.parse(List.of("bench-epoch setup=b batch=32 examples=10 wall_ns=5 cpu_ns=5 thread_ns=4")));
        assertTrue(e.getMessage().contains("bench-peak"), e.getMessage());
        IllegalStateException missingKey = assertThrows(IllegalStateException.class,
                () -> ChildReport.parse(List.of("bench-epoch setup=b batch=32 examples=10 cpu_ns=5 thread_ns=4")));
        assertTrue(missingKey.getMessage().contains("wall_ns"), missingKey.getMessage());
    }

    @Test
    void epochRatesAreExamplesOverSeconds() {
        EpochTiming t = new EpochTiming(8000, 250_000_000L, 500_000_000L, 200_000_000L);   // 0.25 s wall, 0.5 s CPU, 0.2 s thread
        assertEquals(32_000, t.examplesPerSecond(), 1e-9);
        assertEquals(16_000, t.examplesPerCpuSecond(), 1e-9);
        assertEquals(40_000, t.examplesPerThreadCpuSecond(), 1e-9);
        assertEquals(31_250, t.nanosPerExample(Clock.WALL), 1e-9);
        assertEquals(62_500, t.nanosPerExample(Clock.PROCESS_CPU), 1e-9);
        assertEquals(25_000, t.nanosPerExample(Clock.THREAD_CPU), 1e-9);
        assertTrue(Double.isNaN(new EpochTiming(1, 1, 0).examplesPerCpuSecond()));
        assertTrue(Double.isNaN(new EpochTiming(1, 1, 0).nanosPerExample(Clock.THREAD_CPU)));
        assertThrows(IllegalArgumentException.class, () -> new EpochTiming(1, 0, 0));
    }

    @Test
    void aChildsEpochsAddUpToOneStretch() {
        ChildReport r = new ChildReport("x", 32, List.of(new EpochTiming(100, 10, 20, 5), new EpochTiming(50, 30, 40, 7)), 1, 2);
        assertEquals(new EpochTiming(150, 40, 60, 12), r.total());
        assertThrows(IllegalArgumentException.class, () -> EpochTiming.sum(List.of()));
    }
}
