package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void aDamagedRunInASweepStopsEverythingBeforeAnyFileIsWritten() throws Exception {
        Path sweep = tmp.resolve("sweep");
        RunFixtures.healthy(sweep.resolve("a"), 1);
        RunFixtures.healthy(sweep.resolve("b"), 1);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(sweep.resolve("b/metrics.jsonl")));
        lines.set(3, "{\"iteration\": ");
        Files.write(sweep.resolve("b/metrics.jsonl"), lines);
        ReportInputException e = assertThrows(ReportInputException.class, () -> Reports.rebuild(sweep));
        assertTrue(e.getMessage().contains("line 4 is not a metrics row"), e.getMessage());
        assertEquals(List.of("metrics.jsonl", "summary.json"), names(sweep.resolve("a")));
        assertEquals(List.of("a", "b"), names(sweep));
    }

    @Test
    void aSummaryThatIsNotTheTrainingRecordIsOneLine() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 1);
        Files.writeString(run.resolve("summary.json"), "{\"spec\": {\"layerSizes\": \"many\"}}");
        ReportInputException e = assertThrows(ReportInputException.class, () -> Reports.rebuild(run));
        assertTrue(e.getMessage().contains("does not follow the summary.json format"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void runDirectoryWithoutSummaryIsAnErrorAndWritesNothing() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 1);
        Files.delete(run.resolve("summary.json"));
        ReportInputException e = assertThrows(ReportInputException.class, () -> Reports.rebuild(run));
        assertTrue(e.getMessage().contains("has metrics.jsonl but no summary.json"), e.getMessage());
        assertEquals(List.of("metrics.jsonl"), names(run));
    }

    @Test
    void missingAndUnrelatedDirectoriesAreErrors() throws Exception {
        assertTrue(assertThrows(ReportInputException.class, () -> Reports.rebuild(tmp.resolve("absent")))
                .getMessage().contains("does not exist"));
        Files.createDirectories(tmp.resolve("empty/sub"));
        assertTrue(assertThrows(ReportInputException.class, () -> Reports.rebuild(tmp.resolve("empty")))
                .getMessage().contains("holds neither"));
    }
}
