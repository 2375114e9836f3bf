package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real browser renders each kind of report: the charts are drawn (uPlot canvases), the console
 * holds no error, and at 1,400 px every table fits inside its card.
 */
class ChromiumRenderTest {

    /** Appended to a copy of the page: records the layout where --dump-dom can read it. */
    private static final String LAYOUT_PROBE = "<script>addEventListener('load',function(){"
            + "var bad=[];document.querySelectorAll('table').forEach(function(t){var box=t.closest('.scroll')||t.parentElement;"
            + "if(t.getBoundingClientRect().right>box.getBoundingClientRect().right+1)bad.push(t.className);});"
            + "document.body.setAttribute('data-overflowing',bad.join(' ')||'none');"
            + "document.body.setAttribute('data-canvases',String(document.querySelectorAll('.chart canvas').length));});</script>";

    @ParameterizedTest
    @ValueSource(strings = {"healthy", "exploding", "clipped"})
    void rendersWithChartsNoConsoleErrorsAndTablesThatFit(String kind, @TempDir Path tmp) throws Exception {
        Chromium.require();
        Path run = tmp.resolve(kind);
        switch (kind) {
            case "healthy" -> RunFixtures.healthy(run, 20);
            case "exploding" -> RunFixtures.exploding(run);
            default -> RunFixtures.clipped(run);
        }
        Reports.writeRunReport(run);
        Path probe = run.resolve("probe.html");
        Files.writeString(probe, Files.readString(run.resolve("report.html")).replace("</body>", LAYOUT_PROBE + "</body>"));
        Chromium.Result dom = Chromium.open(probe, 1400, 3000, null, tmp);
        assertTrue(dom.consoleErrors().isEmpty(), "console errors: " + dom.consoleErrors());
        assertTrue(dom.dom().contains("data-charts-drawn=\"5\""), "report.js ran");
        assertTrue(dom.dom().contains("data-canvases=\"5\""), "five uPlot canvases");
        assertTrue(dom.dom().contains("data-overflowing=\"none\""), "a table overflows its card at 1400 px");
    }

    @Test
    void aScreenshotIsNotBlank(@TempDir Path tmp) throws Exception {
        Chromium.require();
        Path run = RunFixtures.exploding(tmp.resolve("run"));
        Reports.writeRunReport(run);
        Path shot = tmp.resolve("shot.png");
        Chromium.Result r = Chromium.open(run.resolve("report.html"), 1200, 2400, shot, tmp);
        assertTrue(r.consoleErrors().isEmpty(), "console errors: " + r.consoleErrors());
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1200, img.getWidth());
        int first = img.getRGB(0, 0);
        long differing = 0;
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) if (img.getRGB(x, y) != first) differing++;
        }
        assertTrue(differing > 1000, "the screenshot is blank");
    }

    /** A sweep of four presets varying five spec fields (updater, learningRate, init and its distribution, clipping). */
    @Test
    void sweepHtmlTablesFitAt1400Px(@TempDir Path tmp) throws Exception {
        Chromium.require();
        Path sweep = tmp.resolve("sweep");
        List<String> order = List.of("seed-baseline", "bad-init", "bad-init-clip-global", "high-lr");
        for (String preset : order) {
            RunFixtures.write(sweep.resolve(preset), RunFixtures.healthyRows(30, 10),
                    org.explosionlab.spec.SpecOverrides.apply(org.explosionlab.spec.Presets.load(preset), List.of("epochs=1")), List.of());
        }
        Reports.writeSweepReport(sweep, order);
        Path probe = sweep.resolve("probe.html");
        Files.writeString(probe, Files.readString(sweep.resolve("sweep.html")).replace("</body>", LAYOUT_PROBE + "</body>"));
        Chromium.Result dom = Chromium.open(probe, 1400, 900, null, tmp);
        assertTrue(dom.consoleErrors().isEmpty(), "console errors: " + dom.consoleErrors());
        assertTrue(dom.dom().contains("data-overflowing=\"none\""), "a sweep.html table scrolls sideways at 1400 px");
    }
}
