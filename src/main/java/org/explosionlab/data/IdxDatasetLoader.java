package org.explosionlab.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Loads the four IDX files of a MNIST-like set (train/test images and labels) into a {@link MnistLikeDataset},
 * hashing each source file for the provenance and, when expected hashes are given, refusing files that differ.
 */
final class IdxDatasetLoader {

    private IdxDatasetLoader() {
    }

    /**
     * @param sources          the four sources keyed by {@link IdxFormat#FILE_NAMES} base name
     * @param expectedSha256   source file name &rarr; required SHA-256 hex; empty to accept any content
     */
    static MnistLikeDataset load(String name, String location, Map<String, IdxSource> sources,
                                 List<String> classNames, Map<String, String> expectedSha256) {
        for (String base : IdxFormat.FILE_NAMES) {            // header and length first: a 5 GB file is refused unread
            java.nio.file.Path plain = sources.get(base).plainFile();
            if (plain == null) continue;
            if (base.contains("images")) IdxValidator.checkImages(plain, sources.get(base).fileName());
            else IdxValidator.checkLabels(plain, sources.get(base).fileName());
        }
        Map<String, String> sha256 = new LinkedHashMap<>();
        for (String base : IdxFormat.FILE_NAMES) {
            IdxSource source = sources.get(base);
            String actual = source.sha256();
            String expected = expectedSha256.get(source.fileName());
            if (!expectedSha256.isEmpty() && !actual.equals(expected)) {
                throw new DataException(source.location() + " has SHA-256 " + actual + ", expected " + expected
                        + "; the data was altered or damaged, restore it from a clean checkout or jar");
            }
            sha256.put(source.fileName(), actual);
        }
        DataSet train = IdxSplitReader.read("train", sources.get(IdxFormat.TRAIN_IMAGES),
                sources.get(IdxFormat.TRAIN_LABELS), classNames);
        DataSet test = IdxSplitReader.read("test", sources.get(IdxFormat.TEST_IMAGES),
                sources.get(IdxFormat.TEST_LABELS), classNames);
        DatasetProvenance provenance = new DatasetProvenance(name, location,
                train.numExamples(), test.numExamples(), sha256);
        return new MnistLikeDataset(train, test, classNames, provenance);
    }
}
