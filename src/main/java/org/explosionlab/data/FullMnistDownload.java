package org.explosionlab.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.common.resources.DL4JResources;
import org.eclipse.deeplearning4j.resources.DataSetResource;
import org.eclipse.deeplearning4j.resources.utils.MnistResourceConstants;

/**
 * The full MNIST set (60,000 train / 10,000 test) through DL4J's own download path: the same
 * {@link DataSetResource} files, URLs and MD5 sums that {@code MnistDataFetcher} uses, downloaded once into
 * DL4J's cache (default {@code ~/.deeplearning4j}, where DL4J unpacks them uncompressed) and read from there.
 * Offline, loading fails with one line that points to {@code --data mnist-embedded}.
 */
public final class FullMnistDownload {
    public static final String NAME = "mnist";
    /** Attempts per file; DL4J's Downloader retries after an MD5 mismatch. */
    public static final int DOWNLOAD_TRIES = 3;
    public static final int CONNECT_TIMEOUT_MS = 30_000;
    public static final int READ_TIMEOUT_MS = 60_000;

    private final Path cacheDir;
    private final String baseUrl;

    /**
     * @param cacheDir where the unpacked IDX files are kept (DL4J default: {@code DL4JResources.getBaseDirectory()})
     * @param baseUrl  DL4J's resource server root (DL4J default: {@code DL4JResources.getBaseDownloadURL()})
     */
    public FullMnistDownload(Path cacheDir, String baseUrl) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir").toAbsolutePath().normalize();
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").endsWith("/") ? baseUrl : baseUrl + "/";
    }

    /** DL4J's configured cache directory and download server (system properties may override both). */
    public static FullMnistDownload dl4jDefaults() {
        return new FullMnistDownload(DL4JResources.getBaseDirectory().toPath(), DL4JResources.getBaseDownloadURL());
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** The folder URL the four .gz files are fetched from. */
    public String rootUrl() {
        return baseUrl + MnistResourceConstants.MNIST_ROOT;
    }

    /** Downloads whichever of the four files are not yet in the cache, then loads all of them. */
    public MnistLikeDataset load() {
        for (DataSetResource resource : resources()) {
            if (!resource.existsLocally()) {
                download(resource);
            }
        }
        return IdxReader.readDirectory(cacheDir, NAME, EmbeddedMnist.DIGITS);
    }

    private void download(DataSetResource resource) {
        try {
            resource.download(true, DOWNLOAD_TRIES, CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
        } catch (Exception e) { // DataSetResource.download rethrows IOExceptions undeclared (Lombok @SneakyThrows)
            throw new DataException("Could not download full MNIST " + resource.archiveFileName() + " from "
                    + rootUrl() + " into " + cacheDir + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); offline? use --data mnist-embedded, or --data DIR with the four MNIST IDX files", e);
        }
    }

    private List<DataSetResource> resources() {
        String dir = cacheDir.toString();
        return List.of(
                new DataSetResource(MnistResourceConstants.TRAINING_FILES_FILENAME_UNZIPPED,
                        MnistResourceConstants.TRAINING_FILES_MD_5, MnistResourceConstants.TRAINING_FILES_FILENAME,
                        dir, rootUrl()),
                new DataSetResource(MnistResourceConstants.TRAINING_FILE_LABELS_FILENAME_UNZIPPED,
                        MnistResourceConstants.TRAINING_FILE_LABELS_MD_5,
                        MnistResourceConstants.TRAINING_FILE_LABELS_FILENAME, dir, rootUrl()),
                new DataSetResource(MnistResourceConstants.TEST_FILES_FILENAME_UNZIPPED,
                        MnistResourceConstants.TEST_FILES_MD_5, MnistResourceConstants.TEST_FILES_FILENAME,
                        dir, rootUrl()),
                new DataSetResource(MnistResourceConstants.TEST_FILE_LABELS_FILENAME_UNZIPPED,
                        MnistResourceConstants.TEST_FILE_LABELS_MD_5, MnistResourceConstants.TEST_FILE_LABELS_FILENAME,
                        dir, rootUrl()));
    }
}
