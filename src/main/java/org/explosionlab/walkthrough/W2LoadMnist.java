package org.explosionlab.walkthrough;

import java.util.Arrays;
import java.util.Locale;
import org.explosionlab.cli.ConsoleLogging;
import org.explosionlab.data.DatasetResolver;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.training.RuntimeTuning;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Step 2, "load the data" (the tutorial's {@code mnist.load_data()}, {@code x_train / 255.0} and
 * {@code fit(..., batch_size=32)}): the embedded MNIST subset, its split sizes, the pixel range after
 * dividing the bytes by 255, how many examples each digit has, and the minibatches DL4J's
 * {@code fit} receives — a {@link DataSetIterator} over the split held in memory, reshuffled every epoch
 * from the seed, 32 examples each: ⌈7,996 / 32⌉ = 250 minibatches per epoch, the last one holding
 * 7,996 − 249·32 = 28.
 *
 * <p>Labels are one-hot rows ({@code [32, 10]}): DL4J's {@code MCXENT} loss on them is Keras'
 * {@code sparse_categorical_crossentropy} on the digits 0–9. {@code DatasetResolver.resolve("mnist")}
 * loads the full 60,000 / 10,000 MNIST the same way, through DL4J's own download.
 */
public final class W2LoadMnist {
    /** Keras {@code fit()}'s default {@code batch_size}, and every preset's. */
    public static final int BATCH_SIZE = 32;

    private W2LoadMnist() {
    }

    /**
     * What the data looks like.
     *
     * @param trainCount         training examples
     * @param testCount          test examples
     * @param features           inputs per example (28·28 = 784)
     * @param pixelMin           smallest pixel value over both splits
     * @param pixelMax           largest pixel value over both splits
     * @param trainLabelCounts   examples per digit in the training split
     * @param testLabelCounts    examples per digit in the test split
     * @param batches            minibatches the iterator gave in one epoch (at most --max-batches)
     * @param examplesInBatches  examples in those minibatches
     * @param firstBatch         the epoch's first minibatch
     * @param lastBatchSize      examples in the epoch's last minibatch
     */
    public record Result(int trainCount, int testCount, long features, double pixelMin, double pixelMax,
                         int[] trainLabelCounts, int[] testLabelCounts, int batches, long examplesInBatches,
                         DataSet firstBatch, int lastBatchSize) {
    }

    public static void main(String... args) {
        ConsoleLogging.apply();               // the application's slf4j-simple settings, before any logger exists
        run(args);
    }

    public static Result run(String... args) {
        WalkthroughArgs a = WalkthroughArgs.parse(args, 0, 1);
        RuntimeTuning.applyDefaults();        // one OpenMP thread: on data this small, per-op overhead beats parallelism
        MnistLikeDataset data = DatasetResolver.resolve(DatasetResolver.DEFAULT_DATASET);  // the 7,996 / 2,004 subset inside the jar: offline
        INDArray train = data.train().getFeatures();   // [7996, 784] float32, pixel byte / 255
        INDArray test = data.test().getFeatures();

        // what fit() will receive: minibatches as views of the split already in memory (no copy per batch,
        // no prefetch thread), in an order reshuffled every epoch from the seed, like Keras fit(shuffle=True)
        DataSetIterator minibatches = data.trainIterator(BATCH_SIZE, W1ModelDefinition.SEED, a.maxBatches());
        int batches = 0;
        long examples = 0;
        DataSet first = null;
        int lastSize = 0;
        while (minibatches.hasNext()) {
            DataSet batch = minibatches.next();
            if (first == null) first = batch.copy();
            lastSize = batch.numExamples();
            examples += lastSize;
            batches++;
        }

        Result r = new Result((int) train.rows(), (int) test.rows(), train.columns(),
                Math.min(train.minNumber().doubleValue(), test.minNumber().doubleValue()),
                Math.max(train.maxNumber().doubleValue(), test.maxNumber().doubleValue()),
                counts(data.train().getLabels()), counts(data.test().getLabels()), batches, examples, first, lastSize);
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
        DataSet b = r.firstBatch();
        int[] digits = b.getLabels().argMax(1).toIntVector();
        System.out.printf(Locale.ROOT, "minibatches of %d: %d in one epoch, %d examples, the last one of %d%n", BATCH_SIZE,
                r.batches(), r.examplesInBatches(), r.lastBatchSize());
        System.out.printf(Locale.ROOT, "the first: features %s, one-hot labels %s, digits %s%n", Arrays.toString(b.getFeatures().shape()),
                Arrays.toString(b.getLabels().shape()), Arrays.toString(digits));
        System.out.println("Notice: inputs lie in [0, 1], as the tutorial's x / 255.0 makes them; the ten digits are roughly"
                + " balanced (5s are rarest, 1s most common), and a shuffled minibatch mixes them.");
    }
}
