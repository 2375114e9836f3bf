package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.explosionlab.cli.ExplosionLab;
import org.explosionlab.spec.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} streams metrics.jsonl: a child JVM with a 48 MB heap reports on a 70 MB file of
 * 80,000 rows (reading it whole, as the report used to, needs twice its size in chars alone). No
 * timing is asserted; bench/report-1m.sh measures a million rows.
 */
class BoundedHeapReportTest {

    static final int ROWS = 80_000;

    @Test
    void aRunLargerThanTheHeapReports(@TempDir Path tmp) throws Exception {
        Path run = RunFixtures.write(tmp.resolve("run"), RunFixtures.healthyRows(10, 10), Presets.load("seed-baseline"),
                List.of());
        String line = Files.readAllLines(run.resolve("metrics.jsonl")).get(5);
        try (BufferedWriter out = Files.newBufferedWriter(run.resolve("metrics.jsonl"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < ROWS; i++) {
                out.write(line.replaceFirst("\"iteration\":5,", "\"iteration\":" + i + ","));
                out.write('\n');
            }
        }
        RunFixtures.recordRows(run, ROWS);
        long size = Files.size(run.resolve("metrics.jsonl"));
        assertTrue(size > 48L << 20, "the file must exceed the heap: " + size);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-cp", System.getProperty("java.class.path"), ExplosionLab.class.getName(), "report",
                run.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile()).start();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "report did not finish");
        String out = Files.readString(tmp.resolve("out.txt"));
        assertEquals(0, child.exitValue(), out);
        assertTrue(Files.readString(run.resolve("report.html")).contains("metrics.jsonl (" + ROWS + " rows)"));
    }
}
