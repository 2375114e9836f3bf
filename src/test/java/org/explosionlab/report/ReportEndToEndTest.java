package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.explosionlab.cli.ExplosionLab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real training output into the reports: a short clipped training and a real 2-point sweep through the
 * command line, then {@code report} on both, then headless Chromium renders report.html and sweep.html
 * with every chart drawn and no console error. The report's numbers are checked against metrics.csv,
 * which training writes with its own writer.
 */
class ReportEndToEndTest {

    @TempDir
    Path tmp;

    @Test
    void trainSweepReportAndBrowser() throws Exception {
        Chromium.require();
        Path run = tmp.resolve("run");
        assertEquals(0, ExplosionLab.execute("train", "--preset", "bad-init-clip-global", "--epochs", "1",
                "--max-batches", "30", "--out", run.toString(), "--console-every", "0"));
        Path sweep = tmp.resolve("sweep");
        assertEquals(0, ExplosionLab.execute("sweep", "--preset", "seed-baseline", "--grid", "learningRate=0.001,0.5",
                "--epochs", "1", "--max-batches", "20", "--out", sweep.toString()));
        // The sweep itself wrote every run's report and sweep.html, in plan order.
        assertTrue(Files.isRegularFile(sweep.resolve("sweep.html")));
        List<String> runs = List.of("seed-baseline_learningRate-0.001", "seed-baseline_learningRate-0.5");
        for (String r : runs) {
            assertTrue(Files.isRegularFile(sweep.resolve(r).resolve("report.html")), r);
            assertTrue(Files.isRegularFile(sweep.resolve(r).resolve("grad_norm.png")), r);
        }
        assertEquals(runs, XhtmlDocument.parse(sweep.resolve("sweep.html")).all("//table[@class='runs']/tbody/tr/td[1]"));

        assertEquals(0, ExplosionLab.execute("report", run.toString()));
        assertEquals(0, ExplosionLab.execute("report", sweep.toString()));

        // The key figure equals the largest grad_l2_global of metrics.csv (a different writer of the same step).
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        int column = Arrays.asList(csv.get(0).split(",")).indexOf("grad_l2_global");
        double max = csv.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[column])).max().orElseThrow();
        assertEquals(30, csv.size() - 1);
        RunData data = RunData.load(run);
        assertEquals(max, data.stats().maxGlobal(), 1e-9 * max);
        assertEquals(Numbers.format(max), XhtmlDocument.parse(run.resolve("report.html"))
                .text("//div[@class='card'][div[@class='k']='max ‖g‖₂ (finite)']/div[@class='v']"));
        Chart g = data.chart("grad_norm");
        assertEquals("after clipping", g.series().get(g.series().size() - 1).label());

        Chromium.Result page = Chromium.open(run.resolve("report.html"), 1400, 3000, null, tmp.resolve("c1"));
        assertTrue(page.consoleErrors().isEmpty(), "report.html console errors: " + page.consoleErrors());
        assertTrue(page.dom().contains("data-charts-drawn=\"5\""), "report.html charts drawn (no early-warning chart: instruments off)");
        Chromium.Result sweepPage = Chromium.open(sweep.resolve("sweep.html"), 1400, 2000, null, tmp.resolve("c2"));
        assertTrue(sweepPage.consoleErrors().isEmpty(), "sweep.html console errors: " + sweepPage.consoleErrors());
        assertTrue(sweepPage.dom().contains("data-charts-drawn=\"1\""), "sweep.html chart drawn");
        assertTrue(sweepPage.dom().contains("class=\"u-wrap\""), "uPlot drew into sweep.html");
    }
}
