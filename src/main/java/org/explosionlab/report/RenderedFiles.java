package org.explosionlab.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.explosionlab.run.AtomicFiles;

/**
 * Report files rendered in memory, written only once everything rendered: file name → bytes,
 * written in insertion order (the PNGs first, the HTML page that links them last), each atomically.
 *
 * @param dir   the directory to write into
 * @param files file name → content, in write order
 */
record RenderedFiles(Path dir, Map<String, byte[]> files) {

    RenderedFiles {
        files = new LinkedHashMap<>(files);
    }

    /** Writes every file; returns their paths in write order. */
    List<Path> write() {
        List<Path> written = new ArrayList<>(files.size());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path target = dir.resolve(e.getKey());
            AtomicFiles.writeBytes(target, e.getValue());       // UncheckedIOException "cannot write <target>: ..."
            written.add(target);
        }
        return written;
    }
}
