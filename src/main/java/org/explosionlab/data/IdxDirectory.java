package org.explosionlab.data;

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
            if (Files.isRegularFile(raw)) {
                sources.put(base, IdxSource.ofFile(raw));
            } else if (Files.isRegularFile(gz)) {
                sources.put(base, IdxSource.ofFile(gz));
            } else {
                missing.add(base);
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException("Dataset directory " + absolute + " lacks " + String.join(", ", missing)
                    + " (or .gz); it needs " + EXPECTED);
        }
        return IdxDatasetLoader.load(name, absolute.toString(), sources, classNames, Map.of());
    }
}
