package org.explosionlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.spec.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badInputExitsWithTwoAndCreatesNothing() {
        Path out = tmp.resolve("sweep");
        List<String[]> bad = List.of(
                new String[] {"sweep", "--presets", "seed-baseline,no-such-preset", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--grid", "learningRate", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--grid", "learningrate=0.1,1", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--grid", "learningRate=0.1,-1", "--out", out.toString()},
                new String[] {"sweep", "--preset", "seed-baseline", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--preset", "bad-init", "--grid", "learningRate=0.1", "--out", out.toString()},
                new String[] {"sweep", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--set", "dataset=" + tmp.resolve("no-such-dir"), "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--epochs", "0", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--seeds", "0", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline", "--workers", "0", "--out", out.toString()},
                new String[] {"sweep", "--presets", "seed-baseline,high-lr", "--seeds", "3", "--max-points", "5", "--out", out.toString()},
                new String[] {"sweep", "--resume", out.toString()},
                new String[] {"sweep", "--resume", tmp.toString(), "--presets", "seed-baseline"},
                new String[] {"sweep", "--resume", tmp.toString()});
        for (String[] args : bad) {
            assertEquals(ExplosionLab.EXIT_BAD_INPUT, ExplosionLab.execute(args), String.join(" ", args));
            assertFalse(Files.exists(out), "nothing created for " + String.join(" ", args));
        }
    }

    @Test
    void aMillionPointGridIsRefusedBeforeAnySpecIsBuilt() {
        Path out = tmp.resolve("huge");
        String thousand = String.join(",", java.util.stream.IntStream.rangeClosed(1, 1000).mapToObj(i -> "0.00" + i).toList());
        java.io.StringWriter err = new java.io.StringWriter();
        int code = ExplosionLab.execute(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err),
                "sweep", "--preset", "seed-baseline", "--grid", "learningRate=" + thousand, "--grid", "seed=" + thousand.replace("0.00", ""),
                "--out", out.toString());
        assertEquals(ExplosionLab.EXIT_BAD_INPUT, code);
        assertEquals("explosion-lab: this sweep has 1000000 points, more than --max-points 10000; shorten the grid or raise --max-points",
                err.toString().strip());
        assertFalse(Files.exists(out));
    }

    /** --seeds groups the repeats: comparison.csv's per-group figures equal those computed here from each run's summary.json. */
    @Test
    void seedRepeatsAreGroupedInComparisonCsv() throws Exception {
        Path out = tmp.resolve("seeds");
        assertEquals(0, ExplosionLab.execute("sweep", "--preset", "bad-init", "--grid", "learningRate=0.1,0.001", "--seeds", "3",
                "--epochs", "1", "--max-batches", "8", "--workers", "2", "--out", out.toString()));
        List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals("group,runs,finished,test_accuracy_mean,test_accuracy_min,test_accuracy_max,explosion_rate,"
                + "median_first_explosion_iteration,verdicts", csv.get(0));
        assertEquals(3, csv.size());
        String[] lrs = {"0.1", "0.001"};
        for (int g = 0; g < 2; g++) {
            double sum = 0, min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
            int exploded = 0;
            List<Long> firsts = new java.util.ArrayList<>();
            for (int seed = 42; seed <= 44; seed++) {
                JsonNode s = SpecJson.mapper().readTree(out.resolve("bad-init_learningRate-" + lrs[g] + "_seed-" + seed)
                        .resolve("summary.json").toFile());
                assertEquals(seed, s.get("spec").get("seed").asLong());
                double acc = s.get("results").get("test_accuracy").asDouble();
                sum += acc;
                min = Math.min(min, acc);
                max = Math.max(max, acc);
                long first = Long.MAX_VALUE;
                for (JsonNode e : s.get("verdict").get("events")) {
                    String kind = e.get("kind").asText();
                    if (kind.equals("explosion") || kind.equals("nonfinite")) first = Math.min(first, e.get("iteration").asLong());
                }
                if (first != Long.MAX_VALUE) {
                    exploded++;
                    firsts.add(first);
                }
            }
            java.util.Collections.sort(firsts);
            String[] cells = csv.get(g + 1).split(",");
            assertEquals("bad-init[learningRate=" + lrs[g] + "]", cells[0].replace("\"", ""));
            assertEquals(List.of("3", "3"), List.of(cells[1], cells[2]));
            assertEquals(sum / 3, Double.parseDouble(cells[3]), 1e-12);
            assertEquals(min, Double.parseDouble(cells[4]));
            assertEquals(max, Double.parseDouble(cells[5]));
            assertEquals(exploded / 3.0, Double.parseDouble(cells[6]), 1e-12);
            assertEquals((double) firsts.get(1), Double.parseDouble(cells[7]), "median of three");
        }
        assertEquals(1 + 6, Files.readAllLines(out.resolve("comparison-runs.csv")).size(), "and one row per run");
        assertTrue(Files.readString(out.resolve("comparison.md")).startsWith("## Groups (repeats over seeds)"));
    }

    @Test
    void gridSweepWritesEveryRunAndTheComparison() throws Exception {
        Path out = tmp.resolve("grid");
        int code = ExplosionLab.execute("sweep", "--preset", "seed-baseline", "--grid", "learningRate=0.001,0.01",
                "--epochs", "1", "--max-batches", "3", "--out", out.toString());
        assertEquals(0, code);
        double[] expected = {0.001, 0.01};
        String[] dirs = {"seed-baseline_learningRate-0.001", "seed-baseline_learningRate-0.01"};
        for (int i = 0; i < 2; i++) {
            JsonNode summary = SpecJson.mapper().readTree(out.resolve(dirs[i]).resolve("summary.json").toFile());
            assertEquals(expected[i], summary.get("spec").get("learningRate").asDouble());
            assertEquals(3, summary.get("results").get("iterations").asLong(), "3 minibatches of 1 epoch");
            assertTrue(Files.size(out.resolve(dirs[i]).resolve("metrics.csv")) > 0);
            assertEquals("explosion-lab sweep --preset seed-baseline --grid learningRate=0.001,0.01 --epochs 1 --max-batches 3 --out " + out,
                    summary.get("provenance").get("command").asText(), "the command that was run");
        }
        List<String> md = Files.readAllLines(out.resolve("comparison.md"));
        assertEquals(2 + 2, md.size(), "header, separator and one row per run");
        assertTrue(md.get(2).startsWith("| seed-baseline[learningRate=0.001] |"), md.get(2));
        List<String> csv = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals(3, csv.size());
    }

    /** The closing line names sweep.html's path when the sweep wrote it, and only then. */
    @Test
    void theLastLineNamesSweepHtml() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("s1"));
        var table = new org.explosionlab.sweep.ComparisonTable(List.of());
        var groups = org.explosionlab.sweep.SeedGroups.of(List.of());
        assertEquals("runs and comparison.md / comparison.csv in " + out,
                SweepCommand.whereWritten(new org.explosionlab.sweep.SweepResult(List.of(), table, groups, out, false)), "no sweep.html");
        Files.writeString(out.resolve("sweep.html"), "<html></html>");
        assertEquals("runs and comparison.md / comparison.csv in " + out + "; open " + out.resolve("sweep.html") + " in a browser",
                SweepCommand.whereWritten(new org.explosionlab.sweep.SweepResult(List.of(), table, groups, out, false)));
        assertFalse(SweepCommand.whereWritten(new org.explosionlab.sweep.SweepResult(List.of(), table, groups, out, true)).contains("sweep.html"),
                "an interrupted sweep does not write sweep.html: an earlier one is not its report");
    }

    /** Issue 28, finding 8: sweep --overwrite removes the earlier sweep's points; its sweep.html lists only its own runs. */
    @Test
    void overwriteRemovesTheEarlierSweepsPoints() throws Exception {
        Path out = tmp.resolve("sweep");
        assertEquals(0, ExplosionLab.execute("sweep", "--presets", "seed-baseline,bad-init", "--epochs", "1", "--max-batches", "1",
                "--workers", "1", "--out", out.toString()));
        Files.writeString(out.resolve("notes.txt"), "the user's own file");
        assertEquals(0, ExplosionLab.execute("sweep", "--presets", "seed-baseline", "--epochs", "1", "--max-batches", "1",
                "--workers", "1", "--out", out.toString(), "--overwrite"));
        assertFalse(Files.exists(out.resolve("bad-init")), "the earlier sweep's point is gone");
        assertTrue(Files.isRegularFile(out.resolve("seed-baseline").resolve("summary.json")));
        assertEquals("the user's own file", Files.readString(out.resolve("notes.txt")));
        assertFalse(Files.readString(out.resolve("sweep.html")).contains("bad-init"));
        assertFalse(Files.readString(out.resolve("comparison-runs.csv")).contains("bad-init"));
    }
}
