package org.explosionlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Stream;

/**
 * Chooses and prepares a run's output directory: {@code runs/<name>-<yyyyMMdd-HHmmss>} unless
 * {@code --out} is given. Checks come first ({@link #check}); the directory is created only when the
 * run is about to start ({@link #create}), so bad input leaves nothing on disk.
 */
final class RunDirectory {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {
    }

    static Path defaultFor(String name) {
        return Path.of("runs", name + "-" + LocalDateTime.now().format(STAMP));
    }

    /** Fails with one line when {@code dir} cannot become a fresh run directory. */
    static void check(Path dir, boolean overwrite) {
        if (dir.toString().isBlank()) {
            throw new BadInputException("--out is empty; give the directory the run should be written to, e.g. --out runs/try1");
        }
        if (Files.isRegularFile(dir)) {
            throw new BadInputException("output " + dir + " is a file, not a directory; choose another --out");
        }
        if (Files.isDirectory(dir) && !isEmpty(dir) && !overwrite) {
            throw new BadInputException("output directory " + dir + " already holds a run; choose another --out or add --overwrite");
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null || !Files.isDirectory(existing)) {
            throw new BadInputException("cannot create output directory " + dir + ": " + existing + " is not a directory; choose another --out");
        }
        if (!Files.isWritable(existing)) {
            throw new BadInputException("cannot create output directory " + dir + ": " + existing + " is not writable; choose another --out");
        }
    }

    /** Creates the directory; with overwrite, removes the previous run's files first. */
    static Path create(Path dir, boolean overwrite) {
        try {
            if (overwrite && Files.isDirectory(dir)) {
                for (String f : new String[] {"metrics.jsonl", "metrics.csv", "summary.json", "spec.json", "checkpoint.zip", "model.zip", "report.html"}) {
                    Files.deleteIfExists(dir.resolve(f));
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException("cannot create output directory " + dir + " (" + e.getMessage() + "); choose another --out");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }
}
