package org.explosionlab.data;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a loaded dataset came from, so a run can be repeated and its data checked byte for byte.
 *
 * @param name       the name or path that selects this dataset again (what {@code --data} takes)
 * @param location   where the files were read: a classpath folder, a cache directory or a directory path
 * @param trainCount number of training examples
 * @param testCount  number of test examples
 * @param sha256     file name &rarr; lower-case hex SHA-256 of that source file as read (gzipped or not)
 */
public record DatasetProvenance(String name, String location, int trainCount, int testCount,
                                Map<String, String> sha256) {

    public DatasetProvenance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        SortedMap<String, String> sorted = new TreeMap<>(Objects.requireNonNull(sha256, "sha256"));
        sha256 = Collections.unmodifiableSortedMap(sorted);
    }
}
