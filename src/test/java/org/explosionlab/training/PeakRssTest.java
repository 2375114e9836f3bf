package org.explosionlab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeakRssTest {
    @Test
    void readsTheHighWaterMarkLine() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9371648 kB", "VmHWM:\t  612345 kB", "VmRSS:\t  600000 kB");
        assertEquals(612_345, PeakRss.parseKib(status));
        assertThrows(IllegalArgumentException.class, () -> PeakRss.parseKib(List.of("VmRSS:\t 1 kB")));
        assertThrows(IllegalArgumentException.class, () -> PeakRss.parseKib(List.of("VmHWM:\t 1 MB")));
    }

    @Test
    void thisJvmHasAPeakOfSeveralMegabytesWhereProcExists() {
        long kib = PeakRss.selfKib();
        if (Files.isReadable(Path.of("/proc/self/status"))) assertTrue(kib > 10_000, "VmHWM " + kib + " KiB");
        else assertEquals(-1, kib);
    }
}
