package org.explosionlab.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run files travel from executor to driver byte for byte, and an archive cannot write outside its run directory. */
class RunFilesTest {

    @Test
    void packedRunFilesArriveByteForByte(@TempDir Path tmp) throws IOException {
        Path executor = Files.createDirectories(tmp.resolve("executor"));
        byte[] model = new byte[3000];
        for (int i = 0; i < model.length; i++) model[i] = (byte) (i * 31);
        Files.write(executor.resolve("model.zip"), model);
        Files.writeString(executor.resolve("summary.json"), "{\"results\":{}}");
        Files.writeString(executor.resolve("checkpoint.zip"), "superseded by model.zip, never sent");
        Map<String, byte[]> entries = RunFiles.unpack(RunFiles.pack(executor));
        assertEquals(List.of("summary.json", "model.zip"), List.copyOf(entries.keySet()));
        assertNull(RunFiles.failureReason(entries));
        Path driver = Files.createDirectories(tmp.resolve("driver"));
        RunFiles.write(entries, driver);
        assertArrayEquals(model, Files.readAllBytes(driver.resolve("model.zip")));
        assertEquals("{\"results\":{}}", Files.readString(driver.resolve("summary.json")));
        assertFalse(Files.exists(driver.resolve("checkpoint.zip")));
    }

    @Test
    void aFailureCarriesItsReason() {
        assertEquals("DataException: no such directory", RunFiles.failureReason(RunFiles.unpack(RunFiles.failure("DataException: no such directory"))));
    }

    @Test
    void anEntryOutsideTheRunFilesIsRefused() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("../../.bashrc"));
            out.write("echo hi".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFiles.unpack(bytes.toByteArray()));
        assertEquals("unexpected entry '../../.bashrc' in a sweep task's result", e.getMessage());
    }
}
