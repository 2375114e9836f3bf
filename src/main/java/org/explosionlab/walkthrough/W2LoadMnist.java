package org.explosionlab.walkthrough;

import java.util.Locale;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Step 2, "load the data": the embedded MNIST subset, its split sizes, the pixel range after dividing
 * the bytes by 255 (the tutorial's {@code x_train / 255.0}), and how many examples each digit has.
 */
public final class W2LoadMnist {
    private W2LoadMnist() {
    }

    /**
     * What the data looks like.
     *
     * @param trainCount       training examples
     * @param testCount        test examples
     * @param features         inputs per example (28·28 = 784)
     * @param pixelMin         smallest pixel value over both splits
     * @param pixelMax         largest pixel value over both splits
     * @param trainLabelCounts examples per digit in the training split
     * @param testLabelCounts  examples per digit in the test split
     */
    public record Result(int trainCount, int testCount, long features, double pixelMin, double pixelMax,
                         int[] trainLabelCounts, int[] testLabelCounts) {
    }

    public static void main(String... args) {
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs.parse(args, 0, 1); // loading only; the options are accepted for uniformity
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);
        INDArray train = data.train().getFeatures();
        INDArray test = data.test().getFeatures();
        Result r = new Result((int) train.rows(), (int) test.rows(), train.columns(),
                Math.min(train.minNumber().doubleValue(), test.minNumber().doubleValue()),
                Math.max(train.maxNumber().doubleValue(), test.maxNumber().doubleValue()),
                counts(data.train().getLabels()), counts(data.test().getLabels()));
        print(r, data);
        return r;
    }

    /** Examples per class of one-hot labels: the column sums. */
    private static int[] counts(INDArray oneHot) {
        double[] sums = oneHot.sum(0).toDoubleVector();
        int[] c = new int[sums.length];
        for (int i = 0; i < c.length; i++) c[i] = (int) Math.round(sums[i]);
        return c;
    }

    private static void print(Result r, MnistLikeDataset data) {
        System.out.printf(Locale.ROOT, "%s: %d training and %d test examples of %d pixels (%s)%n", data.provenance().name(),
                r.trainCount(), r.testCount(), r.features(), data.provenance().location());
        System.out.printf(Locale.ROOT, "pixel range after /255: %.3f .. %.3f%n", r.pixelMin(), r.pixelMax());
        System.out.printf(Locale.ROOT, "%-6s %6s %6s%n", "digit", "train", "test");
        for (int d = 0; d < r.trainLabelCounts().length; d++) {
            System.out.printf(Locale.ROOT, "%-6s %6d %6d%n", data.classNames().get(d), r.trainLabelCounts()[d], r.testLabelCounts()[d]);
        }
        System.out.println("Notice: inputs lie in [0, 1], as the tutorial's x / 255.0 makes them; the ten digits are roughly balanced (5s are rarest, 1s most common).");
    }
}
