package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.explosionlab.cli.ExplosionLab;
import org.explosionlab.run.PointStatus;
import org.explosionlab.spec.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: every point of a parallel sweep (two worker threads in one JVM) gives
 * exactly what {@code explosion-lab train --spec <that point's spec.json>} gives alone: the same
 * metrics.jsonl bytes, the same final parameters (read back from model.zip with plain DL4J) and the
 * same summary.json but for wall times, peak RSS and provenance. high-lr is chosen because its large
 * steps amplify any difference in the last bit (the sweep used to record a different loss at
 * iteration 0 and explode at another iteration). The train runs come after the sweep in this JVM, so
 * the comparison also shows that a point does not depend on what the JVM ran before.
 */
class SweepMatchesTrainTest {
    private static final List<String> POINTS = List.of("high-lr_seed-42", "high-lr_seed-43");
    @TempDir
    Path tmp;

    @Test
    void everyPointOfAParallelSweepEqualsTrainAlone() throws Exception {
        Path threads = tmp.resolve("threads");
        String[] sweep = {"sweep", "--presets", "high-lr", "--seeds", "2", "--epochs", "1", "--max-batches", "40", "--workers", "2"};
        assertEquals(0, ExplosionLab.execute(concat(sweep, "--out", threads.toString())));
        for (String point : POINTS) {
            Path alone = tmp.resolve("train-" + point);
            assertEquals(0, ExplosionLab.execute("train", "--spec", threads.resolve(point).resolve("spec.json").toString(),
                    "--max-batches", "40", "--console-every", "0", "--out", alone.toString()));
            for (Path sweepDir : List.of(threads)) {
                Path run = sweepDir.resolve(point);
                assertEquals(PointStatus.DONE, PointStatus.read(run));
                assertEquals(Files.readString(alone.resolve("metrics.jsonl")), Files.readString(run.resolve("metrics.jsonl")),
                        point + " metrics.jsonl in " + sweepDir.getFileName());
                assertEquals(40, Files.readAllLines(run.resolve("metrics.jsonl")).size());
                assertArrayEquals(params(alone), params(run), 0f, point + " final parameters in " + sweepDir.getFileName());
                assertEquals(comparable(alone), comparable(run), point + " summary.json in " + sweepDir.getFileName());
                assertTrue(Files.isRegularFile(run.resolve("report.html")), "each point writes its report");
            }
        }
        // sweep.html groups the two seeds: their mean test accuracy, recomputed from the runs' summaries
        String html = Files.readString(threads.resolve("sweep.html"));
        double mean = 0;
        for (String point : POINTS) {
            mean += SpecJson.mapper().readTree(threads.resolve(point).resolve("summary.json").toFile()).at("/results/test_accuracy").asDouble();
        }
        mean /= POINTS.size();
        assertTrue(html.contains("Groups (repeats over seeds)"), "sweep.html has no group table");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.4f", mean)), "sweep.html lacks the group mean " + mean);
    }

    private static float[] params(Path run) throws Exception {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(run.resolve("model.zip").toFile(), false);
        return net.params().toFloatVector();
    }

    /** summary.json without what differs between any two runs: wall times, throughput, peak RSS, provenance. */
    static JsonNode comparable(Path run) throws Exception {
        ObjectNode s = (ObjectNode) SpecJson.mapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(s.get("results").get("iterations").asLong() > 0);
        s.remove("provenance");
        ObjectNode results = (ObjectNode) s.get("results");
        for (String f : List.of("train_seconds", "examples_per_second", "peak_rss_mib")) results.remove(f);
        return s;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
