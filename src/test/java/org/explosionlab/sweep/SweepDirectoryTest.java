package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.run.PointStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28, finding 9: a sweep point never clears a finished run that another process wrote into its
 * directory after the sweep checked it (a {@code train --out sweep/bad-init} while the sweep ran), neither
 * in a sweep nor in {@code sweep --resume} after the point failed; the point fails and the run stays.
 */
class SweepDirectoryTest {
    @TempDir
    Path tmp;

    private static final List<SweepPoint> POINTS = SweepPlan.presets(List.of("seed-baseline", "bad-init"), List.of("epochs=1"));

    /** A finished run in out/bad-init, as another process's train would leave it. */
    private static byte[] foreignRun(Path out) throws Exception {
        SweepPoint other = SweepPlan.presets(List.of("bad-init"), List.of("epochs=1", "seed=99")).get(0);
        MnistLikeDataset data = DatasetResolver.resolve(other.spec().training().dataset());
        PointRunner.train(other, data, out.resolve("bad-init"), 1, "train --out " + out.resolve("bad-init"));
        return Files.readAllBytes(out.resolve("bad-init").resolve("model.zip"));
    }

    private static SweepResult sweep(Path out, boolean resume) {
        return new Sweep(null, new InJvmExecutor(DatasetResolver::resolve), p -> 0, 1, 0)
                .run(new SweepManifest("test", 1, POINTS), out, resume);
    }

    @Test
    void aPointKeepsAFinishedRunItDidNotWrite() throws Exception {
        Path out = tmp.resolve("sweep");
        byte[] model = foreignRun(out);
        SweepResult r = sweep(out, false);
        assertEquals(List.of(PointStatus.DONE, PointStatus.FAILED), r.outcomes().stream().map(PointOutcome::status).toList());
        String why = r.outcomes().get(1).message();
        assertTrue(why.contains("already holds a finished run (model.zip) that this sweep did not write; it is kept"), why);
        assertTrue(why.startsWith(out.resolve("bad-init").toString()), "a plain line, no exception class name: " + why);
        assertArrayEquals(model, Files.readAllBytes(out.resolve("bad-init").resolve("model.zip")));
    }

    @Test
    void resumeKeepsAFinishedRunItDidNotWrite() throws Exception {
        Path out = tmp.resolve("sweep");
        Files.createDirectories(out);
        new SweepManifest("test", 1, POINTS).write(out);
        byte[] model = foreignRun(out);
        PointStatus.FAILED.write(out.resolve("bad-init"), "an earlier failure");
        SweepResult r = sweep(out, true);
        assertEquals(PointStatus.FAILED, r.outcomes().get(1).status());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("bad-init").resolve("model.zip")));
    }

    /**
     * Issue 28 (second pass, finding 10): a point this sweep finished whose summary.json was deleted is its own
     * unfinished run, not "a finished run that this sweep did not write": resume trains it again.
     */
    @Test
    void resumeRerunsItsOwnPointWhoseSummaryWasDeleted() throws Exception {
        Path out = tmp.resolve("sweep");
        SweepResult first = sweep(out, false);
        assertEquals(List.of(PointStatus.DONE, PointStatus.DONE), first.outcomes().stream().map(PointOutcome::status).toList());
        Files.delete(out.resolve("bad-init").resolve("summary.json"));

        SweepResult r = sweep(out, true);

        assertEquals(List.of(PointStatus.DONE, PointStatus.DONE), r.outcomes().stream().map(PointOutcome::status).toList(),
                String.valueOf(r.outcomes().get(1).message()));
        assertTrue(Files.isRegularFile(out.resolve("bad-init").resolve("summary.json")));
    }
}
