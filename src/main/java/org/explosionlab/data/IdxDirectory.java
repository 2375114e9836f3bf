package org.explosionlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory holding the four MNIST-style IDX files under their standard names
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}), each gzipped ({@code .gz}) or not; an uncompressed file wins over its
 * {@code .gz} twin. Any example count is accepted.
 */
public final class IdxDirectory {
    private static final String EXPECTED = String.join(", ", IdxFormat.FILE_NAMES) + " (each may end in .gz)";

    private IdxDirectory() {
    }

    /**
     * @param name       the name recorded in the provenance (what selects this dataset again)
     * @param classNames names of the ten classes
     */
    public static MnistLikeDataset load(Path dir, String name, List<String> classNames) {
        return load(dir, name, classNames, false);
    }

    /**
     * A directory the user names ({@code --data DIR}): as {@link #load(Path, String, List)}, but a file there both
     * plain and gzipped is refused rather than one of them chosen silently (they may hold different data). DL4J's
     * own MNIST cache keeps each download's {@code .gz} beside what it extracted, so that one goes by the plain file.
     */
    public static MnistLikeDataset loadUserDirectory(Path dir, String name, List<String> classNames) {
        return load(dir, name, classNames, true);
    }

    private static MnistLikeDataset load(Path dir, String name, List<String> classNames, boolean refuseTwins) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new DataException("Dataset directory " + absolute + " does not exist; give a directory holding "
                    + EXPECTED + ", or use --data mnist-embedded");
        }
        if (!Files.isDirectory(absolute)) {
            throw new DataException(absolute + " is not a directory; give a directory holding " + EXPECTED
                    + ", or use --data mnist-embedded");
        }
        Map<String, IdxSource> sources = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String base : IdxFormat.FILE_NAMES) {
            Path raw = absolute.resolve(base);
            Path gz = absolute.resolve(base + IdxFormat.GZIP_SUFFIX);
            if (refuseTwins && Files.exists(raw) && Files.exists(gz)) {
                throw new DataException("Dataset directory " + absolute + " holds both " + base + " and " + base + IdxFormat.GZIP_SUFFIX
                        + ", which may differ, and explosion-lab will not pick one silently; remove or rename one of them");
            }
            if (Files.exists(raw) && !Files.isRegularFile(raw) || !Files.exists(raw) && Files.exists(gz) && !Files.isRegularFile(gz)) {
                Path odd = Files.exists(raw) ? raw : gz;
                throw new DataException("Dataset directory " + absolute + ": " + odd.getFileName() + " is " + kind(odd)
                        + ", not a file; put the IDX file itself there");
            }
            if (Files.isRegularFile(raw)) {
                sources.put(base, IdxSource.ofFile(raw));
            } else if (Files.isRegularFile(gz)) {
                sources.put(base, IdxSource.ofFile(gz));
            } else {
                missing.add(base);
            }
        }
        if (missing.size() == IdxFormat.FILE_NAMES.size()) {
            throw new DataException("Dataset directory " + absolute + " holds no MNIST-style data set (none of " + EXPECTED
                    + "); give a directory holding them, or a known name: mnist-embedded, mnist, fashion-mnist");
        }
        if (!missing.isEmpty()) {
            throw new DataException("Dataset directory " + absolute + " lacks " + String.join(", ", missing)
                    + " (or .gz); it needs " + EXPECTED);
        }
        return IdxDatasetLoader.load(name, absolute.toString(), sources, classNames, Map.of());
    }

    /** "a directory", "a named pipe (FIFO)", ... for a path that is not a regular file. */
    static String kind(Path p) {
        if (Files.isDirectory(p)) return "a directory";
        try {
            int type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
            return type == 0010000 ? "a named pipe (FIFO)" : type == 0020000 ? "a character device"
                    : type == 0060000 ? "a block device" : type == 0140000 ? "a socket" : "not a regular file";
        } catch (IOException | RuntimeException e) {
            return "not a regular file";
        }
    }
}
