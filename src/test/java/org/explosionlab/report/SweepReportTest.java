package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {

    @TempDir
    Path tmp;

    private Path sweep() throws Exception {
        Path sweep = tmp.resolve("lr-sweep");
        RunFixtures.exploding(sweep.resolve("a-no-remedy"));
        RunFixtures.healthy(sweep.resolve("b-clipped"));
        Files.createDirectories(sweep.resolve("c-killed"));
        Files.writeString(sweep.resolve("c-killed/metrics.jsonl"), "{\"iteration\": 0}\n");
        Files.createDirectories(sweep.resolve("logs"));
        Files.writeString(sweep.resolve("sweep.csv"), "run,lr,note\na-no-remedy,0.1,\"big, no clip\"\nb-clipped,0.001,ok\n");
        return sweep;
    }

    private static List<String> row(XhtmlDocument page, String run) throws Exception {
        return page.all("//table[@class='runs']/tbody/tr[td[1]/a='" + run + "']/td");
    }

    @Test
    void comparesRunsComputedFromTheirFiles() throws Exception {
        Path sweep = sweep();
        List<Path> written = SweepReport.write(sweep);
        assertEquals(List.of(sweep.resolve("sweep_grad_norm.png"), sweep.resolve("sweep.html")), written);
        BufferedImage image = ImageIO.read(sweep.resolve("sweep_grad_norm.png").toFile());
        assertEquals(900, image.getWidth());
        assertEquals(400, image.getHeight());

        String html = Files.readString(sweep.resolve("sweep.html"));
        XhtmlDocument page = XhtmlDocument.parse(sweep.resolve("sweep.html"));
        RunReportTest.assertSelfContained(html, page);
        // run, clipping, accuracy, verdict, first flagged, max, median, NaN/Inf rows, clip rate, rows
        assertEquals(List.of("a-no-remedy", "global_l2 ≤ 1.0", "0.098", "explosion", "3", "1e15", "5.5e7", "0",
                "93.8 %", "16"), row(page, "a-no-remedy"));
        assertEquals(List.of("b-clipped", "none", "0.937", "healthy", "—", "2", "1.5", "0", "0.0 %", "40"),
                row(page, "b-clipped"));
        assertEquals("a-no-remedy/report.html", page.text("//table[@class='runs']//a[.='a-no-remedy']/@href"));
        // One log chart with both runs' curves; its ticks cover 1 … 1e15.
        assertEquals(List.of("a-no-remedy", "b-clipped"),
                page.all("//svg[@id='chart-sweep_grad_norm']//path[@class='series']/title"));
        List<Double> ticks = page.yTicks("sweep_grad_norm");
        assertTrue(Collections.min(ticks) <= 1.0 && Collections.max(ticks) >= 1e15, ticks.toString());
        // The half-written run is named, and sweep.csv is shown as written.
        assertTrue(page.all("//ul[@class='notes']/li").get(0).contains("c-killed"));
        assertEquals(List.of("a-no-remedy", "0.1", "big, no clip"),
                page.all("//table[@class='csv']/tbody/tr[1]/td"));
    }

    @Test
    void aDirectoryWithoutRunsIsAnError() throws Exception {
        Files.createDirectories(tmp.resolve("empty/sub"));
        ReportInputException e = assertThrows(ReportInputException.class, () -> SweepReport.load(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("has no run sub-directories"), e.getMessage());
    }

    @Test
    void csvFieldsMayBeQuoted() {
        assertEquals(List.of(List.of("a", "b,c", "say \"hi\""), List.of("1", "", "3")),
                SweepCsv.parse("a,\"b,c\",\"say \"\"hi\"\"\"\r\n1,,3\n"));
    }
}
