package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;

/** metrics.jsonl and metrics.csv with the instruments' columns, and files from before them. */
class MetricsFilesWithInstrumentsTest {

    @Test
    void rowsRoundTripAndOldRowsReadWithoutTheInstruments(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = DirectionalSharpnessTest.tiny(new Adam(0.01), 2);
        List<IterationMetrics> rows = new ArrayList<>();
        try (ExplosionMonitor m = ExplosionMonitor.builder().logEvents(false).instruments(true).sharpnessEvery(1).sink(rows::add).runDirectory(dir).attach(net)) {
            for (int i = 0; i < 3; i++) net.fit(DirectionalSharpnessTest.batch(i, 8));
        }
        ObjectMapper json = new ObjectMapper();                  // as the Trainer reads metrics.jsonl on resume
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        IterationMetrics back = json.readValue(lines.get(2), IterationMetrics.class);
        assertEquals(rows.get(2).updateRms(), back.updateRms());
        assertEquals(rows.get(2).sharpness(), back.sharpness());
        assertEquals(rows.get(2).sharpnessLimit(), back.sharpnessLimit());
        String old = lines.get(2).replaceAll(",\"(update_rms|update_rms_layer|update_cos|update_cos_layer|sharpness|sharpness_limit|grad_norm_z)\":(\\[[^\\]]*\\]|[^,}]*)", "");
        assertTrue(!old.contains("sharpness") && !old.contains("update_rms"), old);
        IterationMetrics oldRow = json.readValue(old, IterationMetrics.class);
        assertNull(oldRow.updateRms());
        assertNull(oldRow.sharpness());
        assertEquals(back.loss(), oldRow.loss());

        List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
        List<String> header = List.of(csv.get(0).split(",", -1));
        assertEquals(header.size(), csv.get(1).split(",", -1).length);
        assertEquals(String.valueOf(rows.get(1).updateRms()), csv.get(2).split(",", -1)[header.indexOf("update_rms")]);
    }

    @Test
    void appendingToAnOldCsvKeepsItsHeader(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "iteration,epoch,loss,update_rms_typo\n0,0,2.3,\n");
        MultiLayerNetwork net = DirectionalSharpnessTest.tiny(new Adam(0.01), 2);
        try (MetricsCsvWriter w = new MetricsCsvWriter(file)) {
            List<IterationMetrics> rows = new ArrayList<>();
            ExplosionMonitor.builder().logEvents(false).instruments(true).sink(rows::add).attach(net);
            net.fit(DirectionalSharpnessTest.batch(1, 8));
            w.accept(rows.get(0));
            List<String> lines = Files.readAllLines(file);
            assertEquals(3, lines.size());
            assertEquals("iteration,epoch,loss,update_rms_typo", lines.get(0));
            assertEquals("0,0," + rows.get(0).loss() + ",", lines.get(2));
        }
    }
}
