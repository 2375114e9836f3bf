package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecOverrides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {

    @TempDir
    Path tmp;

    /** A 3 × 2 grid learningRate × clipping written in plan order under names that sort differently. */
    private List<String> grid(Path sweep) throws Exception {
        List<String> order = new ArrayList<>();
        String[] lrs = {"0.1", "0.01", "1.0"};
        String[] clips = {"none", "global_l2"};
        int k = 0;
        for (String lr : lrs) {
            for (String clip : clips) {
                String name = "z" + (9 - k++) + "-lr" + lr + "-" + clip;
                ExperimentSpec spec = SpecOverrides.apply(Presets.load("bad-init"),
                        List.of("learningRate=" + lr, "clipping=" + clip, "name=" + name, "epochs=3"));
                RunFixtures.write(sweep.resolve(name), RunFixtures.healthyRows(30, 10), spec, List.of());
                order.add(name);
            }
        }
        return order;
    }

    @Test
    void rowsFollowThePlanAndSixRunsBecomeSmallMultiplesByTheSlowAxis() throws Exception {
        Path sweep = tmp.resolve("sweep");
        List<String> order = grid(sweep);
        Reports.writeSweepReport(sweep, order);
        XhtmlDocument page = XhtmlDocument.parse(sweep.resolve("sweep.html"));
        assertEquals(order, page.all("//table[@class='runs']/tbody/tr/td[1]"));
        assertEquals(List.of("run", "learningRate", "clipping"), page.all("//table[@class='runs']/thead/tr/th").subList(0, 3));
        SweepReport.Sweep loaded = SweepReport.load(sweep, order);
        List<String> axes = SweepReport.variedFields(loaded.runs());
        assertEquals(List.of("learningRate", "clipping"), axes);
        List<Chart> panels = SweepReport.panels(loaded.runs(), axes);
        assertEquals(List.of("learningRate = 0.1", "learningRate = 0.01", "learningRate = 1.0"),
                panels.stream().map(Chart::title).toList());
        for (Chart p : panels) {
            assertEquals(List.of("clipping = none", "clipping = global_l2"), p.series().stream().map(Chart.Series::label).toList());
            assertEquals(panels.get(0).yMin(), p.yMin(), "one y range for all panels");
        }
        assertEquals(3, page.all("//div[@class='panels']/figure").size());
        assertTrue(Files.isRegularFile(sweep.resolve("sweep_grad_norm_3.png")));
    }

    @Test
    void withoutAnOrderTheRunsFollowComparisonCsv() throws Exception {
        Path sweep = tmp.resolve("sweep");
        List<String> order = grid(sweep);
        List<String> reversed = new ArrayList<>(order);
        java.util.Collections.reverse(reversed);
        Files.writeString(sweep.resolve("comparison.csv"), "run,test_accuracy\n" + String.join(",0.9\n", reversed) + ",0.9\n");
        Reports.rebuild(sweep);
        assertEquals(reversed, XhtmlDocument.parse(sweep.resolve("sweep.html")).all("//table[@class='runs']/tbody/tr/td[1]"));
    }

    @Test
    void fourRunsOrFewerShareOneChart() throws Exception {
        Path sweep = tmp.resolve("sweep");
        for (String name : List.of("b", "a")) {
            RunFixtures.healthy(sweep.resolve(name), 1);
        }
        Reports.writeSweepReport(sweep, List.of("b", "a"));
        List<Chart> panels = SweepReport.panels(SweepReport.load(sweep, List.of("b", "a")).runs(), List.of());
        assertEquals(1, panels.size());
        assertEquals(List.of("b", "a"), panels.get(0).series().stream().map(Chart.Series::label).toList());
        assertTrue(Files.isRegularFile(sweep.resolve(SweepReport.PNG_FILE)));
    }

    /** The demo's three runs: two share clipping=none but differ in the slower axes; on one chart each needs its own colour. */
    @Test
    void overlaidRunsThatShareTheFastAxisValueGetDistinctColours() throws Exception {
        Path sweep = tmp.resolve("sweep");
        List<String> order = new ArrayList<>();
        for (String preset : List.of("seed-baseline", "bad-init", "bad-init-clip-global")) {
            ExperimentSpec spec = SpecOverrides.apply(Presets.load(preset), List.of("epochs=1"));
            RunFixtures.write(sweep.resolve(preset), RunFixtures.healthyRows(30, 10), spec, List.of());
            order.add(preset);
        }
        var runs = SweepReport.load(sweep, order).runs();
        List<String> axes = SweepReport.variedFields(runs);
        assertEquals("clipping", axes.get(axes.size() - 1), "clipping is the fastest varied axis here");
        List<Chart> panels = SweepReport.panels(runs, axes);
        assertEquals(1, panels.size());
        List<String> colours = panels.get(0).series().stream().map(Chart.Series::color).toList();
        assertEquals(3, colours.stream().distinct().count(), "series colours " + colours);
    }

    @Test
    void aDirectoryNamedLikeAScriptUrlIsAnEncodedRelativeLink() throws Exception {
        Path sweep = tmp.resolve("sweep");
        RunFixtures.healthy(sweep.resolve("javascript:alert(1)"), 1);
        RunFixtures.healthy(sweep.resolve("a b&c\"<x>"), 1);
        Reports.rebuild(sweep);
        XhtmlDocument page = XhtmlDocument.parse(sweep.resolve("sweep.html"));
        List<String> hrefs = page.all("//table[@class='runs']//a/@href");
        assertEquals(List.of("./a%20b%26c%22%3Cx%3E/report.html", "./javascript%3Aalert%281%29/report.html"), hrefs);
        for (String href : hrefs) {
            assertTrue(href.startsWith("./") && !href.contains(":") && !href.contains(".."), href);
            // The browser resolves it to the run's own report inside the sweep directory.
            assertTrue(Files.isRegularFile(Path.of(sweep.resolve("x").toUri().resolve(href))), href);
        }
        assertFalse(Files.readString(sweep.resolve("sweep.html")).contains("href=\"javascript"));
    }

    @Test
    void aRunDirectoryThatLinksOutOfTheSweepGetsNoLink() throws Exception {
        Path outside = RunFixtures.healthy(tmp.resolve("outside"), 1);
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        Files.createSymbolicLink(sweep.resolve("elsewhere"), outside);
        assertNull(SweepReport.runLink(sweep, sweep.resolve("elsewhere")));
        RunFixtures.healthy(sweep.resolve("inside"), 1);
        assertEquals("./inside/report.html", SweepReport.runLink(sweep, sweep.resolve("inside")));
    }
}
