package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sweepDirectoryGetsEveryRunReportAndTheSweepReport() throws Exception {
        Path sweep = tmp.resolve("sweep");
        RunFixtures.healthy(sweep.resolve("a"));
        RunFixtures.nonFinite(sweep.resolve("b"));
        List<Path> written = Reports.rebuild(sweep);
        assertEquals(6 + 6 + 2, written.size());
        assertTrue(Files.isRegularFile(sweep.resolve("a/report.html")));
        assertTrue(Files.isRegularFile(sweep.resolve("b/grad_norm.png")));
        assertEquals(List.of("a", "b", "sweep.html", "sweep_grad_norm.png"), names(sweep));
    }

    @Test
    void aDamagedRunInASweepStopsEverythingBeforeAnyFileIsWritten() throws Exception {
        Path sweep = tmp.resolve("sweep");
        RunFixtures.healthy(sweep.resolve("a"));
        Path b = RunFixtures.healthy(sweep.resolve("b"));
        List<String> lines = Files.readAllLines(b.resolve("metrics.jsonl"));
        lines.set(3, lines.get(3).substring(0, 20));
        Files.write(b.resolve("metrics.jsonl"), lines);
        ReportInputException e = assertThrows(ReportInputException.class, () -> Reports.rebuild(sweep));
        assertTrue(e.getMessage().contains("line 4 is not valid JSON"), e.getMessage());
        assertEquals(List.of("metrics.jsonl", "summary.json"), names(sweep.resolve("a")));
        assertEquals(List.of("a", "b"), names(sweep));
    }

    @Test
    void runDirectoryWithoutSummaryIsAnErrorAndWritesNothing() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"));
        Files.delete(run.resolve("summary.json"));
        ReportInputException e = assertThrows(ReportInputException.class, () -> Reports.rebuild(run));
        assertTrue(e.getMessage().contains("has metrics.jsonl but no summary.json"), e.getMessage());
        assertEquals(List.of("metrics.jsonl"), names(run));
    }

    @Test
    void missingAndUnrelatedDirectoriesAreErrors() throws Exception {
        ReportInputException missing = assertThrows(ReportInputException.class,
                () -> Reports.rebuild(tmp.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.createDirectories(tmp.resolve("other/sub"));
        ReportInputException other = assertThrows(ReportInputException.class,
                () -> Reports.rebuild(tmp.resolve("other")));
        assertTrue(other.getMessage().contains("holds neither"), other.getMessage());
        assertFalse(other.getMessage().contains("\n"));
    }
}
