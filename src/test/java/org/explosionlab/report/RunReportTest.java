package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.explosionlab.spec.EventKind;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The defects of issue 18, each against a fixture run whose figures are known by construction. */
class RunReportTest {

    @TempDir
    Path tmp;

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }

    @Test
    void writesThePageAndFivePngsThatParseAsXml() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        List<Path> written = Reports.writeRunReport(run);
        List<String> names = written.stream().map(p -> p.getFileName().toString()).toList();
        List<String> expected = new ArrayList<>(RunReport.pngFiles());
        expected.add("report.html");
        assertEquals(expected.stream().sorted().toList(), names.stream().sorted().toList());
        XhtmlDocument page = XhtmlDocument.parse(run.resolve("report.html"));
        assertEquals(5, page.all("//figure[div[@class='chart']]").size());
        assertTrue(page.text("//script[@id='chart-data']").contains("\"update_ratio\""));
    }

    @Test
    void theAdviceAppearsOnceAndTheVerdictSitsAboveTheCharts() throws Exception {
        Path run = RunFixtures.exploding(tmp.resolve("run"));
        Reports.writeRunReport(run);
        String html = Files.readString(run.resolve("report.html"));
        assertEquals(1, count(html, EventKind.EXPLOSION.remedy()), "the remedy text is printed once");
        assertEquals(0, count(html, "norm above the ceiling"), "event messages repeat the advice; the table shows figures");
        assertTrue(html.indexOf("id=\"verdict\"") < html.indexOf("id=\"figure-loss\""));
        XhtmlDocument page = XhtmlDocument.parse(run.resolve("report.html"));
        assertEquals(List.of("0", "12"), page.all("//table[@class='events']/tbody/tr/td[1]"));
        assertEquals("grad_l2_global = 50000", page.all("//table[@class='events']/tbody/tr/td[7]").get(1));
    }

    @Test
    void theSpecTableShowsOnlyTheFieldsOfTheUpdaterUsed() throws Exception {
        String fields = "//section[h2='Spec']/table/tbody/tr/th/code";
        Path sgd = RunFixtures.exploding(tmp.resolve("sgd"));              // bad-init: plain SGD
        Reports.writeRunReport(sgd);
        List<String> sgdFields = XhtmlDocument.parse(sgd.resolve("report.html")).all(fields);
        assertTrue(sgdFields.containsAll(List.of("updater", "learningRate", "lrSchedule", "batchSize")), sgdFields.toString());
        for (String adam : List.of("beta1", "beta2", "epsilon", "momentum", "rmsDecay")) {
            assertFalse(sgdFields.contains(adam), "an SGD run lists " + adam);
        }
        assertTrue(Files.readString(sgd.resolve("summary.json")).contains("\"beta1\""), "summary.json keeps every field");
        Path adam = RunFixtures.healthy(tmp.resolve("adam"), 1);           // seed-baseline: Adam
        Reports.writeRunReport(adam);
        List<String> adamFields = XhtmlDocument.parse(adam.resolve("report.html")).all(fields);
        assertTrue(adamFields.containsAll(List.of("beta1", "beta2", "epsilon")), adamFields.toString());
        assertFalse(adamFields.contains("momentum"));
    }

    @Test
    void theHeaderStatesTheEpochsThatRanNotThePresetDescription() throws Exception {
        assertTrue(Presets.load("seed-baseline").description().contains("5 epochs"), "the premise: the description says 5");
        Path run = RunFixtures.healthy(tmp.resolve("run"), 20);
        Reports.writeRunReport(run);
        String facts = XhtmlDocument.parse(run.resolve("report.html")).text("//p[@id='facts']");
        assertTrue(facts.contains("20 of 20 epochs"), facts);
        assertFalse(facts.contains("5 epochs"), facts);
        assertTrue(facts.contains("200 iterations"), facts);
    }

    @Test
    void biasesStartingAtZeroAreNoNonFiniteAlarm() throws Exception {
        RunData run = RunData.load(RunFixtures.healthy(tmp.resolve("run"), 1));
        Chart ratio = run.chart("update_ratio");
        assertEquals(0, ratio.series().stream().mapToLong(Chart.Series::nonFinite).sum());
        assertTrue(ratio.caption().contains("3 ratios are undefined"), ratio.caption());
        assertFalse(RunReport.html(run).contains("NaN/Inf value"), "no red NaN/Inf note on a healthy run");
        // log10 of the recorded ratios, independently: 1e-3 → −3, 2e-3 → log10(2) − 3.
        Chart.Series w = ratio.series().get(0);
        assertEquals("0_W", w.label());
        assertEquals(-3, w.y()[0], 1e-12);
        Chart.Series b = ratio.series().get(1);
        assertEquals(null, b.y()[0], "iteration 0: 0_b was 0, its ratio is undefined");
        assertEquals(Math.log10(2e-3), b.y()[1], 1e-12);
    }

    @Test
    void theRatioAxisEndsAtOneInTenBillionAndStartsAtTheGuidanceBand() throws Exception {
        List<RunFixtures.Row> rows = new ArrayList<>();
        for (RunFixtures.Row r : RunFixtures.healthyRows(20, 10)) {
            rows.add(new RunFixtures.Row(r.iteration(), r.epoch(), r.loss(), r.lr(), r.global(), r.global(), null,
                    r.layers(), r.iteration() == 5 ? 1e-21 : 1e-3, 2e-3, 0.05));
        }
        RunData run = RunData.load(RunFixtures.write(tmp.resolve("run"), rows, Presets.load("seed-baseline"), List.of()));
        Chart ratio = run.chart("update_ratio");
        assertEquals(RunCharts.RATIO_FLOOR_LOG10, ratio.yMin(), "not 1e-21");
        assertTrue(ratio.yMax() >= -1, "the band −4 … −2 and the guide −3 fit");
        assertEquals(-4, ratio.band().low());
        assertEquals(-2, ratio.band().high());
        assertEquals(-3, ratio.guide());
        assertTrue(ratio.caption().contains("below 1e-10"), ratio.caption());
        RunData healthy = RunData.load(RunFixtures.healthy(tmp.resolve("healthy"), 1));
        assertEquals(-5, healthy.chart("update_ratio").yMin(), "healthy: the axis ends one decade under the band");
    }

    @Test
    void aConstantLearningRateIsDrawnBelowTheTopBorder() throws Exception {
        Chart lr = RunData.load(RunFixtures.healthy(tmp.resolve("run"), 1)).chart("lr");
        assertFalse(lr.log());
        assertEquals(0.0, lr.yMin());
        assertNotNull(lr.yMax());
        assertTrue(lr.yMax() >= 0.001 * 1.2, "headroom above the constant 0.001: " + lr.yMax());
    }

    @Test
    void anEventAtTheFirstIterationStandsClearOfTheAxis() throws Exception {
        Chart g = RunData.load(RunFixtures.exploding(tmp.resolve("run"))).chart("grad_norm");
        assertEquals(0, g.events().get(0).x());
        assertTrue(g.xRange()[0] < 0, "x axis starts before iteration 0: " + g.xRange()[0]);
        assertTrue(g.xRange()[1] > 29);
    }

    @Test
    void afterClippingIsDrawnLastAndVisibleOnTheThreshold() throws Exception {
        Path dir = RunFixtures.clipped(tmp.resolve("run"));
        Chart g = RunData.load(dir).chart("grad_norm");
        assertEquals(List.of("clip threshold", "before clipping", "after clipping"),
                g.series().stream().map(Chart.Series::label).toList());
        Chart.Series after = g.series().get(2);
        assertTrue(after.width() > g.series().get(0).width());
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(PngChart.render(g)));
        int want = Integer.parseInt(after.color().substring(1), 16);
        long pixels = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < png.getWidth(); x++) {
                if ((png.getRGB(x, y) & 0xffffff) == want) pixels++;
            }
        }
        // A line across the plot at width 2.5 covers well over 1,000 pixels in its own colour; under the
        // grey threshold it would show only in the legend swatch (a few dozen).
        assertTrue(pixels > 1000, "after-clipping pixels in grad_norm.png: " + pixels);
    }

    @Test
    void aCutOffLastLineIsSkippedWithANoteAndABrokenMiddleLineIsAnError() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 1);
        Files.writeString(run.resolve("metrics.jsonl"), "{\"iteration\": 10, \"epo", java.nio.file.StandardOpenOption.APPEND);
        RunData data = RunData.load(run);
        assertEquals(10, data.stats().rows());
        assertTrue(data.notes().get(0).contains("(line 11) is incomplete"), data.notes().toString());
        Path broken = RunFixtures.healthy(tmp.resolve("broken"), 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(broken.resolve("metrics.jsonl")));
        lines.set(3, "{\"iteration\": 3, \"loss\": \"zero\"}");
        Files.write(broken.resolve("metrics.jsonl"), lines);
        ReportInputException e = assertThrows(ReportInputException.class, () -> Reports.rebuild(broken));
        assertTrue(e.getMessage().contains("line 4 lacks the field 'epoch' every metrics row has"), e.getMessage());
        try (Stream<Path> files = Files.list(broken)) {
            assertEquals(2, files.count(), "nothing written");
        }
    }

    @Test
    void theSummaryIsTheTrainingRecordAndItsNonFiniteFiguresReadBack() throws Exception {
        List<RunFixtures.Row> rows = new ArrayList<>(RunFixtures.healthyRows(10, 10));
        RunFixtures.Row r = rows.get(9);
        rows.set(9, new RunFixtures.Row(9, 0, Double.NaN, r.lr(), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                null, new double[] {Double.NaN, 1, 1}, Double.NaN, Double.NaN, 0.05));
        Path dir = RunFixtures.write(tmp.resolve("run"), rows, SpecOverrides.with(Presets.load("bad-init"), "epochs", 1),
                List.of(new org.explosionlab.detection.ExplosionEvent(EventKind.NONFINITE, 9, 0, 0, 0,
                        java.util.Map.of("loss", Double.NaN), "NaN loss")));
        RunData run = RunData.load(dir);
        assertEquals("nonfinite", run.summary().verdict().kind().label());
        assertTrue(Double.isNaN(run.summary().verdict().events().get(0).trigger().get("loss")));
        assertEquals(1, run.stats().nonFiniteGlobal());
        assertEquals(1, run.stats().nonFiniteLoss());
        Chart loss = run.chart("loss");
        assertEquals(1, loss.series().get(0).nonFinite());
        assertEquals(9, loss.series().get(0).firstNonFiniteX());
        assertTrue(loss.caption().contains("from iteration 9 on"), loss.caption());
    }
}
