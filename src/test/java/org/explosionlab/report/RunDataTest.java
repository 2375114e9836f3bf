package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28 (fourth pass, findings 2, 5 and 6): a report never shows {@code healthy} for files that cannot back it. The
 * SHA-256 of metrics.jsonl that summary.json records is computed here with the JDK's MessageDigest over the bytes as
 * written, independently of the code under test.
 */
class RunDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aHealthyFixtureIsShownHealthy() throws Exception {
        RunData run = RunData.load(RunFixtures.healthy(tmp.resolve("run"), 2));
        assertNull(run.unconfirmed());
        assertEquals("healthy", run.verdictLabel());
    }

    /** Finding 5, with the digest summary.json records: the row edited to 1e999 is refused (report exits 2). */
    @Test
    void aRowEditedSinceTheSummaryIsRefusedByTheRecordedSha256() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        recordDigest(run);
        RunData.load(run);                                                       // as written: it reads
        editRow(run, 4, "1e999");

        ReportInputException e = assertThrows(ReportInputException.class, () -> RunData.load(run));
        assertEquals(run.resolve("metrics.jsonl") + " is not the file summary.json was written with (the SHA-256 of its"
                + " first " + sizeBefore + " bytes differs from the one recorded): rows were edited, lost or added since;"
                + " re-run the training", e.getMessage());
    }

    /** Rows a running run appended after the summary was written are not an edit. */
    @Test
    void rowsAppendedAfterTheSummaryStillRead() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        recordDigest(run);
        Files.writeString(run.resolve("metrics.jsonl"), "", java.nio.file.StandardOpenOption.APPEND);
        assertEquals("healthy", RunData.load(run).verdictLabel());
    }

    /** Finding 5, in a summary written before the digest was recorded: the Infinity row keeps the run from "healthy". */
    @Test
    void aNonFiniteLossRowIsNeverShownHealthy() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> s.remove(List.of("metrics_sha256", "metrics_bytes")));
        editRow(run, 4, "1e999");

        RunData data = RunData.load(run);

        assertEquals("unconfirmed", data.verdictLabel());
        assertEquals("summary.json records a healthy verdict, but metrics.jsonl holds 1 rows with a NaN or infinite loss,"
                + " which the detector would have judged: the files disagree; re-run the training", data.unconfirmed());
        String html = RunReport.html(data);
        assertTrue(html.contains("<div class=\"kind\">unconfirmed</div>"), html);
        assertTrue(html.contains(data.unconfirmed()), html);
    }

    /** Finding 6: test_accuracy NaN in summary.json. */
    @Test
    void aNanTestAccuracyIsNeverShownHealthy() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> ((ObjectNode) s.get("results")).put("test_accuracy", "NaN"));

        RunData data = RunData.load(run);

        assertEquals("unconfirmed", data.verdictLabel());
        assertEquals("summary.json records a healthy verdict, but its test_accuracy is NaN, which a healthy run never has:"
                + " the file is damaged or was edited; re-run the training", data.unconfirmed());
    }

    /** Finding 2 in summary.json: train_seconds 1e308 contradicts examples_per_second and the iterations. */
    @Test
    void aTrainSecondsTheOtherFiguresContradictIsRefused() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> ((ObjectNode) s.get("results")).put("train_seconds", 1e308));

        ReportInputException e = assertThrows(ReportInputException.class, () -> RunData.load(run));
        assertTrue(e.getMessage().startsWith(run.resolve("summary.json") + ": train_seconds (1.0E308) × examples_per_second ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" examples, but 20 iterations of batch 32 trained between 20 and 640; it was"
                + " changed by hand; re-run the training"), e.getMessage());
    }

    /** Issue 28, fifth pass, S2: a run killed after an epoch (a verdict, no results, its checkpoint) is unfinished, never healthy. */
    @Test
    void aRunKilledAfterAnEpochIsShownUnfinished() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> s.putNull("results"));
        Files.writeString(run.resolve("checkpoint.zip"), "");

        RunData data = RunData.load(run);

        assertEquals("unfinished", data.verdictLabel());
        assertEquals("the run did not finish (summary.json holds no results yet), so it has no verdict yet: finish it with"
                + " train --resume " + run, data.unfinished());
        String html = RunReport.html(data);
        assertTrue(html.contains("<div class=\"kind\">unfinished</div>"), html);
        assertTrue(!html.contains("No action needed"), html);
    }

    /** K11: rows a killed run recorded past its last summary are not an edit while it is unfinished. */
    @Test
    void rowsPastTheLastSummaryOfAKilledRunAreUnfinishedNotDamaged() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> ((ObjectNode) s.get("verdict")).put("samples", 15));
        assertThrows(ReportInputException.class, () -> RunData.load(run));          // finished: rows were added
        editSummary(run, s -> s.putNull("results"));
        Files.writeString(run.resolve("checkpoint.zip"), "");
        assertEquals("unfinished", RunData.load(run).verdictLabel());
    }

    /** M1: a verdict edited to healthy over a run that did not learn, or an accuracy outside [0, 1], is not shown healthy. */
    @Test
    void aHealthyVerdictTheResultsContradictIsUnconfirmed() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> ((ObjectNode) s.get("results")).put("test_accuracy", 0.05));
        assertEquals("summary.json records a healthy verdict, but its test_accuracy is 0.05, at most the 0.55 at which the"
                + " detector judges a run not_learning: the files disagree; re-run the training", RunData.load(run).unconfirmed());
        editSummary(run, s -> ((ObjectNode) s.get("results")).put("test_accuracy", 1e308));
        assertEquals("summary.json records a healthy verdict, but its test_accuracy is 1.0E308, outside [0, 1]: the file is"
                + " damaged or was edited; re-run the training", RunData.load(run).unconfirmed());
    }

    /** M2: a summary without the fields that tie it to the rows is unconfirmed, not healthy. */
    @Test
    void aSummaryWithoutItsIntegrityFieldsIsUnconfirmed() throws Exception {
        Path run = RunFixtures.healthy(tmp.resolve("run"), 2);
        editSummary(run, s -> {
            s.remove(List.of("metrics_sha256", "metrics_bytes"));
            ((ObjectNode) s.get("verdict")).remove("samples");
        });
        RunData data = RunData.load(run);
        assertEquals("unconfirmed", data.verdictLabel());
        assertEquals("summary.json records a healthy verdict, but not the metrics_sha256, metrics_bytes and verdict.samples"
                + " that tie it to metrics.jsonl, so the report cannot check it against the rows; re-run the training",
                data.unconfirmed());
    }

    private long sizeBefore;

    /** Records in summary.json the SHA-256 and length of metrics.jsonl as it is now, as training does. */
    private void recordDigest(Path run) throws Exception {
        byte[] bytes = Files.readAllBytes(run.resolve("metrics.jsonl"));
        sizeBefore = bytes.length;
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        editSummary(run, s -> s.put("metrics_sha256", sha).put("metrics_bytes", bytes.length));
    }

    /** Sets the loss of row {@code index} (0-based) to the JSON number {@code loss}, keeping the file's length. */
    private static void editRow(Path run, int index, String loss) throws IOException {
        Path file = run.resolve("metrics.jsonl");
        List<String> lines = Files.readAllLines(file);
        String edited = lines.get(index).replaceFirst("\"loss\":[-0-9.eE]+", "\"loss\":" + loss);
        assertTrue(!edited.equals(lines.get(index)), "no loss in " + lines.get(index));
        lines.set(index, edited);
        Files.write(file, lines);
    }

    private static void editSummary(Path run, Consumer<ObjectNode> edit) throws IOException {
        Path file = run.resolve("summary.json");
        ObjectNode summary = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(summary);
        Files.writeString(file, JSON.writeValueAsString(summary));
    }
}
