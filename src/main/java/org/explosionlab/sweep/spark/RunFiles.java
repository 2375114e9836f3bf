package org.explosionlab.sweep.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.explosionlab.training.AtomicFiles;

/**
 * The files of one trained point as they travel from an executor back to the driver: a zip archive
 * (java.util.zip) holding the run directory's files by name, or a single {@value #ERROR_ENTRY} entry
 * when training failed. Only the names in {@link #RUN_FILES} are packed and unpacked, so an archive
 * can never write outside its run directory.
 */
final class RunFiles {
    /** What a finished run directory holds (Trainer deletes checkpoint.zip once model.zip is written). */
    static final List<String> RUN_FILES = List.of("spec.json", "metrics.jsonl", "metrics.csv", "summary.json", "model.zip");
    /** The entry that carries a failed point's one-line reason. */
    static final String ERROR_ENTRY = "error.txt";

    private RunFiles() {
    }

    /** The run files present in {@code runDir}, zipped. */
    static byte[] pack(Path runDir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            for (String name : RUN_FILES) {
                Path f = runDir.resolve(name);
                if (Files.isRegularFile(f)) files.put(name, Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run files in " + runDir + ": " + e.getMessage(), e);
        }
        return zip(files);
    }

    /** An archive that says the point failed, and why. */
    static byte[] failure(String reason) {
        return zip(Map.of(ERROR_ENTRY, reason.getBytes(StandardCharsets.UTF_8)));
    }

    /** The entries of an archive made by {@link #pack} or {@link #failure}; any other name is refused. */
    static Map<String, byte[]> entries(byte[] archive) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!RUN_FILES.contains(e.getName()) && !ERROR_ENTRY.equals(e.getName())) {
                    throw new IllegalArgumentException("unexpected entry '" + e.getName() + "' in a sweep task's result");
                }
                files.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a sweep task's result is not a readable archive: " + e.getMessage(), e);
        }
        return files;
    }

    /** The failure reason of an archive, or null when it holds a run. */
    static String failureReason(Map<String, byte[]> entries) {
        byte[] reason = entries.get(ERROR_ENTRY);
        return reason == null ? null : new String(reason, StandardCharsets.UTF_8);
    }

    /** Writes each run file into {@code runDir}, every one atomically; summary.json last, as the mark of a complete run. */
    static void write(Map<String, byte[]> entries, Path runDir) {
        for (String name : RUN_FILES) {
            if (!name.equals("summary.json") && entries.containsKey(name)) AtomicFiles.writeBytes(runDir.resolve(name), entries.get(name));
        }
        if (entries.containsKey("summary.json")) AtomicFiles.writeBytes(runDir.resolve("summary.json"), entries.get("summary.json"));
    }

    private static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                out.putNextEntry(new ZipEntry(f.getKey()));
                out.write(f.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
