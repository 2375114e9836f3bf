package org.explosionlab.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Peak resident set size of this process: the {@code VmHWM} ("high water mark") line of
 * {@code /proc/self/status}, in KiB, as Linux reports it (proc(5)). Includes the Java heap, ND4J's
 * off-heap buffers and the native libraries.
 */
public final class PeakRss {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakRss() {
    }

    /** This process's peak RSS in KiB, or -1 where /proc is not available. */
    public static long selfKib() {
        try {
            return parseKib(Files.readAllLines(STATUS));
        } catch (IOException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** The VmHWM value of a /proc/PID/status text, in KiB. */
    static long parseKib(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmHWM:")) {
                String[] parts = line.substring("VmHWM:".length()).trim().split("\\s+");
                if (parts.length == 2 && parts[1].equals("kB")) return Long.parseLong(parts[0]);
                throw new IllegalArgumentException("unexpected VmHWM line: " + line);
            }
        }
        throw new IllegalArgumentException("no VmHWM line in the status text");
    }
}
