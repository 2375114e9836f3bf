package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.run.PointStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 28, finding 16: a point that runs out of disk space ends as failed (not running), with no stack
 * trace on stderr and no temp file (the JDK zip file system's {@code zipfstmp*.tmp}) left behind.
 * Opt-in: it needs a small file system of its own, e.g. as root
 * {@code mount -t tmpfs -o size=4m tmpfs /mnt/small}, then {@code -Dexplosionlab.smallFs=/mnt/small}.
 */
class FullDiskTest {
    @Test
    void aPointOnAFullDiskEndsFailedAndLeavesNoTempFile() throws Exception {
        String fs = System.getProperty("explosionlab.smallFs");
        Assumptions.assumeTrue(fs != null, "no -Dexplosionlab.smallFs=DIR (a small file system of its own)");
        Path root = Files.createTempDirectory(Path.of(fs), "fulldisk-");
        Path filler = root.resolve("filler");
        try {
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] block = new byte[64 * 1024];
                while (true) out.write(block);
            } catch (IOException full) {
                // the file system is full
            }
            long keep = Files.size(filler) - 1500 * 1024;   // 1.5 MiB free: the small files and DL4J's model zip (0.9 MiB) fit, a copy of it does not
            try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(keep);
            }
            Path out = root.resolve("sweep");
            List<SweepPoint> points = SweepPlan.presets(List.of("seed-baseline"), List.of("epochs=1"));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream before = System.err;
            SweepResult r;
            System.setErr(new PrintStream(err, true));
            try {
                r = new Sweep(null, new InJvmExecutor(DatasetResolver::resolve), p -> 0, 1, 0)
                        .run(new SweepManifest("test", 2, points), out, false);
            } finally {
                System.setErr(before);
            }
            assertEquals(PointStatus.FAILED, r.outcomes().get(0).status(), String.valueOf(r.outcomes().get(0).message()));
            assertEquals(PointStatus.FAILED, PointStatus.read(out.resolve("seed-baseline")));
            assertFalse(err.toString().contains("\tat "), err.toString());
            try (Stream<Path> files = Files.walk(root)) {
                List<String> temps = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
                assertTrue(temps.isEmpty(), temps.toString());
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
