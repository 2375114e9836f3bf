package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @TempDir
    Path tmp;

    /** Writes the report and checks what every report must satisfy; returns the parsed page. */
    private static XhtmlDocument writeAndCheck(Path run) throws Exception {
        List<Path> written = RunReport.write(run);
        assertEquals(6, written.size());
        assertEquals(run.resolve("report.html"), written.get(5), "the page is written last");
        for (String png : RunReport.pngFiles()) {
            BufferedImage image = ImageIO.read(run.resolve(png).toFile());
            assertEquals(900, image.getWidth(), png);
            assertEquals(400, image.getHeight(), png);
        }
        try (Stream<Path> files = Files.list(run)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
        String html = Files.readString(run.resolve("report.html"), StandardCharsets.UTF_8);
        XhtmlDocument page = XhtmlDocument.parse(run.resolve("report.html"));
        assertSelfContained(html, page);
        assertEquals(List.of("chart-loss", "chart-grad_norm", "chart-layer_grad_norm", "chart-update_ratio",
                "chart-lr"), page.all("//svg/@id"));
        return page;
    }

    static void assertSelfContained(String html, XhtmlDocument page) throws Exception {
        assertFalse(html.contains("http://"), "no http:// anywhere");
        assertFalse(html.contains("https://"), "no https:// anywhere");
        assertEquals(List.of(), page.all("//script"));
        assertEquals(List.of(), page.all("//link"));
        assertEquals(List.of(), page.all("//img"));
        for (String ref : page.all("//@src | //@href | //@*[local-name()='href']")) {
            assertFalse(ref.contains(":") || ref.startsWith("//"), "local reference only: " + ref);
        }
    }

    @Test
    void healthyRun() throws Exception {
        XhtmlDocument page = writeAndCheck(RunFixtures.healthy(tmp.resolve("healthy")));
        assertEquals("healthy", page.text("//section[@id='verdict']/div[@class='kind']"));
        assertTrue(page.text("//section[@id='verdict']//p[@class='advice']").contains("Nothing to do"));
        assertEquals(List.of(), page.all("//span[@class='nonfinite-note']"));
        assertEquals("0", page.text("//svg[@id='chart-grad_norm']/@data-nonfinite"));
        // Global norms 1 … 2: the log axis runs 1 … 10.
        List<Double> ticks = page.yTicks("grad_norm");
        assertEquals(1.0, Collections.min(ticks));
        assertEquals(10.0, Collections.max(ticks));
        // The spec and provenance tables show the recorded values.
        assertEquals("[784, 128, 64, 10]", page.text("//table[@class='kv']//tr[th/code='layerSizes']/td"));
        assertEquals("1.0.0-M2.1", page.text("//table[@class='kv']//tr[th/code='dl4j']/td"));
        assertEquals("93.7 %", page.text("//div[@class='card'][div[@class='k']='test accuracy']/div[@class='v']"));
    }

    @Test
    void explodingRunShowsVerdictEventsAndTheFullRange() throws Exception {
        XhtmlDocument page = writeAndCheck(RunFixtures.exploding(tmp.resolve("exploding")));
        assertEquals("explosion", page.text("//section[@id='verdict']/div[@class='kind']"));
        assertEquals("3", page.text("//strong[@class='first-iteration']"));
        assertEquals(List.of("3", "9"), page.all("//table[@class='events']/tbody/tr/td[1]"));
        assertTrue(page.text("//section[@id='verdict']//p[@class='advice']").contains("clip the global gradient norm"));
        // Event markers sit at the flagged iterations on the gradient-norm chart.
        assertEquals(List.of("3.0", "9.0"), page.all("//svg[@id='chart-grad_norm']//line[@class='event']/@data-x"));
        // Norms 1 … 1e15 before clipping: the ticks cover the range.
        List<Double> ticks = page.yTicks("grad_norm");
        assertTrue(Collections.min(ticks) <= 1.0, "lowest tick " + ticks);
        assertTrue(Collections.max(ticks) >= 1e15, "highest tick " + ticks);
        // Per-layer norms 1e-3 … 1e15: ticks every third decade, 1e-3 … 1e15.
        assertEquals(List.of(1e-3, 1.0, 1e3, 1e6, 1e9, 1e12, 1e15), page.yTicks("layer_grad_norm"));
        // The labels people read: plain decimals up to 1000, then 10 with a superscript exponent.
        List<String> labels = page.all("//svg[@id='chart-layer_grad_norm']//text[contains(@class,'ytick')]");
        assertEquals(List.of("0.001", "1", "1000", "106", "109", "1012", "1015"), labels);
        assertEquals("15", page.text("(//svg[@id='chart-layer_grad_norm']//text[contains(@class,'ytick')])[last()]/tspan"));
        // Threshold and after-clipping lines are drawn.
        assertEquals(List.of("before clipping", "after clipping", "clip threshold"),
                page.all("//svg[@id='chart-grad_norm']//path[@class='series']/title"));
        // The healthy band is shaded on the update-ratio chart, and its ends are within the axis.
        assertEquals("1", page.text("count(//svg[@id='chart-update_ratio']//rect[@class='band'])"));
        List<Double> ratioTicks = page.yTicks("update_ratio");
        assertTrue(Collections.min(ratioTicks) <= 1e-4 && Collections.max(ratioTicks) >= 1e-2, ratioTicks.toString());
    }

    @Test
    void nonFiniteRunReportsItsNonFinitePointsWithCounts() throws Exception {
        XhtmlDocument page = writeAndCheck(RunFixtures.nonFinite(tmp.resolve("nonfinite")));
        assertEquals("nonfinite", page.text("//section[@id='verdict']/div[@class='kind']"));
        assertEquals("8", page.text("//table[@class='events']/tbody/tr/td[1]"));
        // ‖g‖: iterations 8–11 (Infinity, NaN, bare NaN, NaN) → 4; loss: 4; per layer: 3 layers × 4 = 12.
        assertEquals("4", page.text("//svg[@id='chart-grad_norm']/@data-nonfinite"));
        assertEquals("4", page.text("//svg[@id='chart-loss']/@data-nonfinite"));
        assertEquals("12", page.text("//svg[@id='chart-layer_grad_norm']/@data-nonfinite"));
        assertTrue(page.text("//figure[@id='figure-grad_norm']//span[@class='nonfinite-note']")
                .startsWith("4 NaN/Inf values are pinned at the top edge"));
        assertEquals("4", page.text("//figure[@id='figure-grad_norm']//span[@class='nonfinite-note']/@data-count"));
        assertTrue(page.text("//svg[@id='chart-grad_norm']//text[@class='legend'][1]").endsWith("4 NaN/Inf"));
        assertEquals("NaN/Inf", page.text("//svg[@id='chart-grad_norm']//text[.='NaN/Inf']"));
        // Update ratios: per W parameter iterations 9–11 (3 × 3 = 9); per bias iteration 0 (Infinity) and 9–11 (3 × 4 = 12).
        assertEquals("21", page.text("//svg[@id='chart-update_ratio']/@data-nonfinite"));
        // Finite norms are all 2, so the axis is the decade 1 … 10 — not stretched by the infinities.
        List<Double> ticks = page.yTicks("grad_norm");
        assertEquals(1.0, Collections.min(ticks));
        assertEquals(10.0, Collections.max(ticks));
        assertTrue(page.all("//ul[@class='notes']/li").contains("4 of 12 recorded iterations have a NaN/Inf loss."));
    }

    @Test
    void truncatedRunIsReportedWithANote() throws Exception {
        XhtmlDocument page = writeAndCheck(RunFixtures.truncated(tmp.resolve("truncated")));
        List<String> notes = page.all("//ul[@class='notes']/li");
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).contains("last line (line 11) is incomplete"), notes.get(0));
        assertEquals("10", page.text("//div[@class='card'][div[@class='k']='recorded iterations']/div[@class='v']"));
    }

    @Test
    void runKilledBeforeItsFirstRowStillGetsAReport() throws Exception {
        Path run = RunFixtures.write(tmp.resolve("empty"), List.of(),
                RunFixtures.summary("empty", "none", null, 0.1, RunFixtures.HEALTHY_VERDICT, 0));
        XhtmlDocument page = writeAndCheck(run);
        assertTrue(page.all("//ul[@class='notes']/li").get(0).contains("holds no complete rows"));
        assertEquals("1", page.text("count(//svg[@id='chart-loss']//text[.='no finite values recorded'])"));
        assertEquals("—", page.text("//div[@class='card'][div[@class='k']='median ‖g‖₂']/div[@class='v']"));
    }

    @Test
    void rebuildingReplacesTheFiles() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("again"));
        RunReport.write(run);
        Files.writeString(run.resolve("summary.json"), Files.readString(run.resolve("summary.json"))
                .replace("\"kind\": \"healthy\"", "\"kind\": \"collapse\""));
        XhtmlDocument page = writeAndCheck(run);
        assertEquals("collapse", page.text("//section[@id='verdict']/div[@class='kind']"));
    }
}
