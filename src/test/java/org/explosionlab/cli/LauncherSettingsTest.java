package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM options the build hands to {@code ./explosion-lab} and Spark executors are pom.xml's {@code jvm.flags},
 * read here from pom.xml itself, and every one of them is an option this JVM accepts.
 */
class LauncherSettingsTest {
    private static String pomFlags() throws IOException {
        Matcher m = Pattern.compile("<jvm\\.flags>([^<]*)</jvm\\.flags>").matcher(Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8));
        assertTrue(m.find(), "pom.xml has no jvm.flags property");
        return m.group(1).trim();
    }

    @Test
    void theBuildWritesPomsJvmFlags() throws IOException {
        String flags = LauncherSettings.jvmFlags();
        assertFalse(flags.isEmpty(), "launcher.properties is missing or unfiltered");
        assertEquals(pomFlags(), flags);
    }

    @Test
    void everyFlagStartsAJvm() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(LauncherSettings.jvmFlags().split("\\s+")));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "java " + LauncherSettings.jvmFlags() + " -version: " + out);
        assertFalse(out.contains("warning"), out);
    }
}
