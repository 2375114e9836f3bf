package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian {@code chromium}) for the report tests: screenshots a page or dumps its
 * DOM after its scripts ran, with the console logged. Where Chromium is absent the test is skipped,
 * unless {@code EXPLOSION_LAB_REQUIRE_CHROMIUM} is set (as {@code .ci/run} sets it): then it fails.
 */
public final class Chromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    /** What a page did in the browser. */
    public record Result(String dom, String log, List<String> consoleErrors) {
    }

    private Chromium() {
    }

    /** Skips (or, in CI, fails) when Chromium is not installed. */
    public static void require() {
        if (!Files.isExecutable(BINARY)) {
            if (System.getenv("EXPLOSION_LAB_REQUIRE_CHROMIUM") != null) {
                fail(BINARY + " is missing; .ci/run installs the Debian package chromium");
            }
            assumeTrue(false, "chromium not installed (.ci/run installs it)");
        }
    }

    /** Loads {@code page} at {@code width} × {@code height}; writes a screenshot when {@code screenshot} is not null. */
    public static Result open(Path page, int width, int height, Path screenshot, Path scratch) throws Exception {
        require();
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--hide-scrollbars", "--user-data-dir=" + Files.createDirectories(scratch.resolve("profile")),
                "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--window-size=" + width + "," + height));
        cmd.add(screenshot != null ? "--screenshot=" + screenshot : "--dump-dom");
        cmd.add(page.toUri().toString());
        Path out = scratch.resolve("chromium.out");
        Path log = scratch.resolve("chromium.log");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), logText);
        List<String> errors = logText.lines().filter(l -> l.contains("CONSOLE") || l.contains("Failed to load resource")
                || l.contains("Uncaught")).toList();
        return new Result(Files.readString(out, StandardCharsets.UTF_8), logText, errors);
    }
}
