package org.explosionlab.data;

import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training minibatches in an order reshuffled every epoch, reproducibly: one {@code java.util.Random(seed)}
 * draws a Fisher-Yates shuffle (Knuth, TAOCP vol. 2, Algorithm 3.4.2 P) of 0..n-1 per epoch, so epoch e's order
 * depends only on the seed and e. The constructor draws the first shuffle and every {@code reset()} the next;
 * the CLI's runs and the walkthroughs reset once before {@code net.fit(iterator, epochs)} (DL4J resets only a
 * used-up iterator), so their epoch e trains on the shuffle drawn by reset e + 1, as when they reset before every epoch.
 * <pre>
 * for i = n-1 down to 1:  j = rng.nextInt(i + 1);  swap(order[i], order[j])
 * </pre>
 */
public final class ShuffledBatchIterator extends InMemoryBatchIterator {
    private static final long serialVersionUID = 1L;

    /**
     * @param data       the split to iterate (usually {@link MnistLikeDataset#train()})
     * @param batchSize  examples per batch; the last batch of an epoch may be smaller
     * @param seed       seed of the per-epoch shuffles
     * @param maxBatches at most this many batches per epoch (for smoke runs); 0 or negative means no limit
     */
    public ShuffledBatchIterator(DataSet data, int batchSize, long seed, int maxBatches) {
        super(data, batchSize, maxBatches, new SeededShuffle(seed));
    }

    private static final class SeededShuffle implements EpochOrder, java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final Random rng;

        SeededShuffle(long seed) {
            this.rng = new Random(seed);
        }

        @Override
        public void arrange(int[] order) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
    }
}
