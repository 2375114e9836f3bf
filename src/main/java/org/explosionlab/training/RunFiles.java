package org.explosionlab.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The files a run (or a sweep, or a demo) writes into its directory: what {@code --overwrite} and a
 * sweep point's fresh start remove, and nothing else, so a file a user put beside them survives.
 */
public final class RunFiles {
    /** Run files: spec, metrics, summary, checkpoint, model, report and its charts; a sweep's tables and page. */
    public static final List<String> NAMES = List.of("spec.json", "metrics.jsonl", "metrics.csv", "summary.json", Checkpoint.FILE,
            Trainer.MODEL_FILE, "report.html", "loss.png", "early_warning.png", "grad_norm.png", "layer_grad_norm.png", "update_ratio.png", "lr.png",
            "comparison.md", "comparison.csv", "sweep.html");

    /**
     * Every file name explosion-lab writes into a run or sweep directory through {@link AtomicFiles} (the
     * {@link #NAMES} and the sweep's plan, status and per-run table): the only targets whose temp files
     * {@link AtomicFiles#deleteLeftovers} removes.
     */
    public static final Set<String> WRITTEN = Set.copyOf(concat(NAMES, List.of("sweep.json", "point-status.txt", "comparison-runs.csv")));

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private RunFiles() {
    }

    /** Removes the {@link #NAMES} files and the temp files of an earlier, interrupted writer from {@code dir}. */
    public static void clear(Path dir) {
        try {
            for (String f : NAMES) Files.deleteIfExists(dir.resolve(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
        }
        AtomicFiles.deleteLeftovers(dir);
    }
}
