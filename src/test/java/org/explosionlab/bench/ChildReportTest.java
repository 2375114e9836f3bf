package org.explosionlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChildReportTest {
    @Test
    void linesReadBackAmongOtherOutput() {
        ChildReport r = new ChildReport("b", 32, List.of(new EpochTiming(7996, 261_000_000L, 300_000_000L, 255_000_000L),
                new EpochTiming(7996, 250_000_000L, 0, 0)), 612_345);
        List<String> out = new ArrayList<>(List.of("[main] INFO org.nd4j - Backend used: [CPU]", "GCC: \"7.5.0\""));
        out.addAll(r.toLines());
        out.add("trailing noise=1");
        assertEquals(r, ChildReport.parse(out));
        assertEquals("bench-epoch setup=b batch=32 examples=7996 wall_ns=261000000 cpu_ns=300000000 thread_ns=255000000",
                r.toLines().get(0));
        assertEquals("bench-peak setup=b batch=32 vmhwm_kib=612345", r.toLines().get(2));
    }

    @Test
    void incompleteOutputIsAnErrorThatSaysWhatIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ChildReport.parse(List.of("bench-epoch setup=b batch=32 examples=10 wall_ns=5 cpu_ns=5 thread_ns=4")));
        assertTrue(e.getMessage().contains("bench-peak"), e.getMessage());
    }

    @Test
    void epochRatesAreExamplesOverSeconds() {
        EpochTiming t = new EpochTiming(8000, 250_000_000L, 500_000_000L, 200_000_000L);   // 0.25 s wall, 0.5 s CPU, 0.2 s thread
        assertEquals(32_000, t.examplesPerSecond(), 1e-9);
        assertEquals(16_000, t.examplesPerCpuSecond(), 1e-9);
        assertEquals(40_000, t.examplesPerThreadCpuSecond(), 1e-9);
        assertTrue(Double.isNaN(new EpochTiming(1, 1, 0).examplesPerCpuSecond()));
        assertThrows(IllegalArgumentException.class, () -> new EpochTiming(1, 0, 0));
    }
}
