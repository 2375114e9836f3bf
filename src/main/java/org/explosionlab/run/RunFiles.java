package org.explosionlab.run;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The files a run (or a sweep, or a demo) writes into its directory, by name: what {@code --overwrite} and a
 * sweep point's fresh start remove ({@link #clear}), and nothing else, so a file a user put beside them survives;
 * the temp files a killed writer left ({@link #isLeftover}); and a finished run's files zipped for the trip from
 * a Spark executor back to the driver ({@link #pack}, {@link #unpack}, {@link #write}).
 */
public final class RunFiles {
    public static final String SPEC = "spec.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String SUMMARY = "summary.json";
    public static final String MODEL = "model.zip";
    /** A sweep's plan, in the sweep directory. */
    public static final String SWEEP_PLAN = "sweep.json";
    /** Run files: spec, metrics, summary, checkpoint, model, report and its charts; a sweep's tables and page. */
    public static final List<String> NAMES = List.of(SPEC, METRICS, METRICS_CSV, SUMMARY, Checkpoint.FILE, MODEL,
            "report.html", "loss.png", "early_warning.png", "grad_norm.png", "layer_grad_norm.png", "update_ratio.png", "lr.png",
            "comparison.md", "comparison.csv", "sweep.html");
    /** What a finished run directory holds (Trainer deletes checkpoint.zip once model.zip is written): what a Spark task sends back. */
    static final List<String> FINISHED = List.of(SPEC, METRICS, METRICS_CSV, SUMMARY, MODEL);
    /** The archive entry that carries a failed point's one-line reason. */
    static final String ERROR_ENTRY = "error.txt";

    /**
     * Every file name explosion-lab writes into a run or sweep directory through {@link AtomicFiles} (the
     * {@link #NAMES} and the sweep's plan, status and per-run table): the only targets whose temp files
     * {@link #clear} removes.
     */
    public static final Set<String> WRITTEN = Set.copyOf(Stream.concat(NAMES.stream(),
            Stream.of(SWEEP_PLAN, PointStatus.FILE, "comparison-runs.csv")).toList());
    /** {@code .<target>.<pid>.<hex>.tmp}, as {@link AtomicFiles#tempBeside} names them. */
    private static final Pattern TEMP = Pattern.compile("\\.(.+)\\.[0-9]{1,19}\\.[0-9a-f]{1,16}\\.tmp");
    /** Chart images, whose names vary with the sweep (e.g. a sweep.html panel per axis value). */
    private static final Pattern CHART = Pattern.compile("[A-Za-z0-9_-]+\\.png");

    private RunFiles() {
    }

    /** Removes the {@link #NAMES} files and the temp files of an earlier, interrupted writer ({@link #isLeftover}) from {@code dir}. */
    public static void clear(Path dir) {
        try {
            for (String f : NAMES) Files.deleteIfExists(dir.resolve(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
        deleteLeftovers(dir);
    }

    /**
     * True when {@code fileName} is a temp file {@link AtomicFiles#tempBeside} made for one of the files explosion-lab
     * writes ({@link #WRITTEN}, or a chart PNG): exactly {@code .<that name>.<pid>.<hex>.tmp}.
     */
    public static boolean isLeftover(String fileName) {
        Matcher m = TEMP.matcher(fileName);
        return m.matches() && (WRITTEN.contains(m.group(1)) || CHART.matcher(m.group(1)).matches());
    }

    /** Deletes the temp files a killed process left in {@code dir} ({@link #isLeftover}), and nothing else. */
    public static void deleteLeftovers(Path dir) {
        try (var leftovers = Files.newDirectoryStream(dir, p -> isLeftover(p.getFileName().toString())
                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path p : leftovers) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The {@link #FINISHED} files present in {@code runDir}, zipped (java.util.zip). */
    public static byte[] pack(Path runDir) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try {
            for (String name : FINISHED) {
                Path f = runDir.resolve(name);
                if (Files.isRegularFile(f)) files.put(name, Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run files in " + runDir + ": " + e.getMessage(), e);
        }
        return zip(files);
    }

    /** An archive that says the point failed, and why. */
    public static byte[] failure(String reason) {
        return zip(Map.of(ERROR_ENTRY, reason.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The entries of an archive made by {@link #pack} or {@link #failure}; any other name is refused, so an
     * archive can never write outside its run directory.
     */
    public static Map<String, byte[]> unpack(byte[] archive) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!FINISHED.contains(e.getName()) && !ERROR_ENTRY.equals(e.getName())) {
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
    public static String failureReason(Map<String, byte[]> entries) {
        byte[] reason = entries.get(ERROR_ENTRY);
        return reason == null ? null : new String(reason, StandardCharsets.UTF_8);
    }

    /** Writes each run file of an archive into {@code runDir}, every one atomically; summary.json last, as the mark of a complete run. */
    public static void write(Map<String, byte[]> entries, Path runDir) {
        for (String name : FINISHED) {
            if (!name.equals(SUMMARY) && entries.containsKey(name)) AtomicFiles.writeBytes(runDir.resolve(name), entries.get(name));
        }
        if (entries.containsKey(SUMMARY)) AtomicFiles.writeBytes(runDir.resolve(SUMMARY), entries.get(SUMMARY));
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
