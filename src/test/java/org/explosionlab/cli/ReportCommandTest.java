package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {

    @TempDir
    Path tmp;

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** A run directory holding the records training writes (see RunFixtures). */
    private static Path runDir(Path dir) throws Exception {
        return org.explosionlab.report.RunFixtures.healthy(dir, 1);
    }

    @Test
    void rebuildsARunReport() throws Exception {
        Path dir = runDir(tmp.resolve("run"));
        Result r = run(dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("wrote " + dir.resolve("report.html")), r.out());
        assertEquals(List.of("grad_norm.png", "layer_grad_norm.png", "loss.png", "lr.png", "metrics.jsonl",
                "report.html", "summary.json", "update_ratio.png"), names(dir));
    }

    @Test
    void rebuildsASweep() throws Exception {
        runDir(tmp.resolve("sweep/one"));
        runDir(tmp.resolve("sweep/two"));
        Result r = run(tmp.resolve("sweep").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("sweep/sweep.html")));
        assertTrue(Files.isRegularFile(tmp.resolve("sweep/two/report.html")));
    }

    @Test
    void missingDirectoryIsOneLineAndExitCodeTwo() {
        Result r = run(tmp.resolve("absent").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().startsWith("explosion-lab: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void missingSummaryIsOneLineAndNothingIsWritten() throws Exception {
        Path dir = runDir(tmp.resolve("run"));
        Files.delete(dir.resolve("summary.json"));
        Result r = run(dir.toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no summary.json"), r.err());
        assertEquals(List.of("metrics.jsonl"), names(dir));
    }

    @Test
    void damagedSummaryIsOneLineAndNothingIsWritten() throws Exception {
        Path dir = runDir(tmp.resolve("run"));
        Files.writeString(dir.resolve("summary.json"), "{\"spec\": {");
        Result r = run(dir.toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("summary.json does not follow the summary.json format"), r.err());
        assertEquals(List.of("metrics.jsonl", "summary.json"), names(dir));
    }
}
