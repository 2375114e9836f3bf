package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.run.PointStatus;
import org.explosionlab.spec.Presets;
import org.explosionlab.spec.SpecJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A point that fails never stops the others: the middle point of three cannot create its run directory
 * (a plain file stands where it should go), the two others train to the end on two workers, and the
 * failed point's status file, row and comparison.csv say what happened. bad-init explodes at its first
 * step; that is a finished run whose verdict says so.
 */
class SweepFailureTest {
    @TempDir
    Path tmp;

    @Test
    void aFailedPointIsRecordedAndTheOthersFinish() throws Exception {
        List<SweepPoint> points = SweepPlan.presets(List.of("seed-baseline", "high-lr", "bad-init"), List.of("epochs=1"));
        Path out = tmp.resolve("sweep");
        Files.createDirectories(out);
        Files.writeString(out.resolve("high-lr"), "not a directory");
        SweepResult r = new Sweep(null, new InJvmExecutor(DatasetResolver::resolve), p -> 0, 2, 0)
                .run(new SweepManifest("test", 5, points), out, false);

        assertEquals(List.of(PointStatus.DONE, PointStatus.FAILED, PointStatus.DONE), r.outcomes().stream().map(PointOutcome::status).toList());
        String failure = r.outcomes().get(1).message();
        assertTrue(failure.contains("high-lr"), failure);
        assertNull(r.summary("high-lr"));
        for (String ok : List.of("seed-baseline", "bad-init")) {
            assertEquals(PointStatus.DONE, PointStatus.read(out.resolve(ok)));
            JsonNode s = SpecJson.mapper().readTree(out.resolve(ok).resolve("summary.json").toFile());
            assertEquals(5, s.get("results").get("iterations").asLong());
            assertTrue(Files.isRegularFile(out.resolve(ok).resolve("model.zip")));
        }
        assertEquals("explosion", r.summary("bad-init").verdict().kind().label());
        List<String> csv = Files.readAllLines(out.resolve(Sweep.CSV));
        assertEquals(4, csv.size());
        assertTrue(csv.get(2).startsWith("high-lr,NaN,-,,"), csv.get(2));
        assertTrue(csv.get(2).contains("failed: "), csv.get(2));
        assertTrue(csv.get(3).startsWith("bad-init,") && csv.get(3).endsWith(",done"), csv.get(3));
        assertEquals(3, SpecJson.mapper().readTree(out.resolve(SweepManifest.FILE).toFile()).get("points").size());
    }
}
