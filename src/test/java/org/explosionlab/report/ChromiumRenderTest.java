package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser renders each kind of report: headless Chromium (Debian {@code chromium}, which
 * {@code .ci/run} installs) screenshots {@code report.html} of a healthy, an exploding and a
 * non-finite run, with its console logged to stderr; the screenshot must exist, not be blank, and
 * the log must hold no console error or failed resource load. Skipped where Chromium is absent.
 */
class ChromiumRenderTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @ParameterizedTest
    @ValueSource(strings = {"healthy", "exploding", "nonFinite"})
    void rendersWithoutConsoleErrors(String kind, @TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed (.ci/run installs it)");
        Path run = Files.createDirectories(tmp.resolve(kind));
        switch (kind) {
            case "healthy" -> RunFixtures.healthy(run);
            case "exploding" -> RunFixtures.exploding(run);
            default -> RunFixtures.nonFinite(run);
        }
        RunReport.write(run);
        Path shot = tmp.resolve(kind + ".png");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--user-data-dir=" + Files.createDirectories(tmp.resolve("profile")),
                "--enable-logging=stderr", "--v=0", "--window-size=1200,2400",
                "--screenshot=" + shot, run.resolve("report.html").toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("chromium.log").toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        String log = Files.readString(tmp.resolve("chromium.log"));
        assertEquals(0, p.exitValue(), log);
        List<String> errors = log.lines().filter(l -> l.contains("CONSOLE") || l.contains("Failed to load resource")
                || l.contains("Uncaught")).toList();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
        BufferedImage img = ImageIO.read(shot.toFile());
        assertEquals(1200, img.getWidth());
        int first = img.getRGB(0, 0);
        long differing = 0;
        for (int y = 0; y < img.getHeight(); y += 7) {
            for (int x = 0; x < img.getWidth(); x += 7) if (img.getRGB(x, y) != first) differing++;
        }
        assertTrue(differing > 1000, "the screenshot is blank");
    }
}
