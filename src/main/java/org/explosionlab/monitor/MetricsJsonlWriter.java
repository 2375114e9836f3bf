package org.explosionlab.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * {@code metrics.jsonl}: one {@link IterationMetrics} JSON object per line, appended and flushed line
 * by line, so a run killed at any moment leaves a file whose every line but at most the last parses.
 * Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity" (Jackson's default).
 */
public final class MetricsJsonlWriter implements Consumer<IterationMetrics>, Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsJsonlWriter(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);            // runDirectory("runs/mine") on a fresh checkout
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(IterationMetrics m) {
        try {
            out.write(JSON.writeValueAsString(m));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics.jsonl: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
