package org.explosionlab.data;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Turns one string, the CLI's {@code --data NAME|DIR} or the spec's {@code dataset} field, into a loaded dataset:
 * <ul>
 *   <li>{@code mnist-embedded} (default): the 7,996 / 2,004 subset inside the jar, offline ({@link EmbeddedMnist});</li>
 *   <li>{@code mnist}: full MNIST via DL4J's download into its cache ({@link FullMnistDownload});</li>
 *   <li>{@code fashion-mnist}: the IDX files the Debian package {@code dataset-fashion-mnist} installs in
 *       {@value #FASHION_MNIST_DEFAULT_DIR};</li>
 *   <li>anything else: a directory holding the four IDX files ({@link IdxReader#readUserDirectory}).</li>
 * </ul>
 * Names win over directories of the same name; write {@code ./mnist} to mean a directory.
 */
public final class DatasetResolver {
    public static final String DEFAULT_DATASET = EmbeddedMnist.NAME;
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String FASHION_MNIST_DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String FASHION_MNIST_PACKAGE = "dataset-fashion-mnist";
    /** Fashion-MNIST classes, index = label (zalandoresearch/fashion-mnist README). */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> NAMES = List.of(EmbeddedMnist.NAME, FullMnistDownload.NAME, FASHION_MNIST);

    private final Path fashionMnistDir;
    private final Supplier<FullMnistDownload> fullMnist;

    /**
     * @param fashionMnistDir where {@code fashion-mnist} is looked for
     * @param fullMnist       the download used for {@code mnist}; asked only when that name is chosen
     */
    public DatasetResolver(Path fashionMnistDir, Supplier<FullMnistDownload> fullMnist) {
        this.fashionMnistDir = Objects.requireNonNull(fashionMnistDir, "fashionMnistDir");
        this.fullMnist = Objects.requireNonNull(fullMnist, "fullMnist");
    }

    /** The standard locations: {@value #FASHION_MNIST_DEFAULT_DIR} and DL4J's cache and server. */
    public static DatasetResolver standard() {
        return new DatasetResolver(Path.of(FASHION_MNIST_DEFAULT_DIR), FullMnistDownload::dl4jDefaults);
    }

    /** Loads the dataset a name or directory path selects, from the standard locations. */
    public static MnistLikeDataset resolve(String nameOrPath) {
        return standard().load(nameOrPath);
    }

    /** Loads the dataset a name or directory path selects; bad or missing data throws {@link DataException}. */
    public MnistLikeDataset load(String nameOrPath) {
        String choice = nameOrPath == null ? "" : nameOrPath.trim();
        if (choice.isEmpty()) {
            throw new DataException("No dataset given; use one of " + String.join(", ", NAMES)
                    + " or a directory holding the four MNIST IDX files");
        }
        switch (choice.toLowerCase(Locale.ROOT)) {
            case EmbeddedMnist.NAME:
                return EmbeddedMnist.load();
            case FullMnistDownload.NAME:
                return fullMnist.get().load();
            case FASHION_MNIST:
                return loadFashionMnist();
            default:
                return loadDirectory(choice);
        }
    }

    private static MnistLikeDataset loadDirectory(String choice) {
        Path dir;
        try {
            dir = Path.of(choice).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new DataException(unknown(choice) + "; it is not a valid path (" + e.getReason() + ")");
        }
        if (!Files.exists(dir)) {
            throw new DataException(unknown(choice) + "; " + dir + " does not exist");
        }
        return IdxReader.readUserDirectory(dir, dir.toString(), EmbeddedMnist.DIGITS);
    }

    private static String unknown(String choice) {
        return "Dataset '" + choice + "' is neither a known name (" + String.join(", ", NAMES)
                + ") nor a directory holding the four MNIST IDX files";
    }

    private MnistLikeDataset loadFashionMnist() {
        if (!fashionMnistDir.toFile().isDirectory()) {
            throw new DataException("Fashion-MNIST not found: " + fashionMnistDir + " does not exist; install it with"
                    + " `sudo apt-get install " + FASHION_MNIST_PACKAGE + "`, or give a directory with its IDX files");
        }
        return IdxReader.readDirectory(fashionMnistDir, FASHION_MNIST, FASHION_CLASSES);
    }
}
