package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.explosionlab.detection.Verdict;
import org.explosionlab.detection.Warning;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.training.RunSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A healthy run with early warnings: the report lists and marks them, and still says healthy. */
class RunReportWarningsTest {
    @TempDir
    Path tmp;

    @Test
    void aHealthyRunWithWarningsStaysHealthyAndTheReportSaysSo() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        RunSummary s = RunJson.MAPPER.readValue(run.resolve("summary.json").toFile(), RunSummary.class);
        Verdict warned = new Verdict(List.of(), 20L, 0, Map.of(), List.of(
                new Warning(7, "sharpness", 25.0, 20.0, "lower the learning rate below 0.08"),
                new Warning(12, "grad_norm_spike", 7.5, 7.0, "clip the global norm")));
        Files.writeString(run.resolve("summary.json"), SpecJson.mapper().writeValueAsString(
                new RunSummary(s.spec(), s.provenance(), s.results(), s.epochs(), warned, s.metricsSha256(), s.metricsBytes())));

        Reports.writeRunReport(run);
        XhtmlDocument page = XhtmlDocument.parse(run.resolve("report.html"));
        assertEquals("healthy", page.text("//section[@id='verdict']/div[@class='kind']"));
        assertTrue(page.text("//p[@class='warnings']").contains("no explosion followed, so the run is healthy"));
        assertEquals(List.of("7", "12"), page.all("//table[@class='warnings']/tbody/tr/td[1]"));
        assertTrue(page.text("//script[@id='chart-data']").contains("warning: sharpness @ 7"), "a marker on the charts");
    }
}
