package org.explosionlab.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.MnistLikeDataset;
import org.explosionlab.data.InMemoryBatchIterator;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains one DL4J network in this JVM and times what it trains: whole epochs, or blocks of steps that
 * continue where the last block stopped. The timing of a stretch reads three clocks right before and
 * right after it: {@code System.nanoTime} (wall), the process's CPU time and the calling thread's CPU
 * time ({@link EpochTiming}). Two feeds ({@link Feed}).
 */
public final class TrainingRun {
    /** Where minibatches come from. */
    public enum Feed {
        /**
         * The project's way, as {@code Trainer} trains: {@link InMemoryBatchIterator} (the split gathered
         * once per epoch in a seeded order, each minibatch a view of it) and {@code net.fit(batch)} per
         * minibatch.
         */
        IN_MEMORY,
        /**
         * DL4J's way for in-memory data: {@code net.fit(ListDataSetIterator)} per epoch over one
         * {@code DataSet} per example (shuffled once with the seed), merged into a minibatch on each
         * {@code next()}.
         */
        LIST_ITERATOR
    }

    private final MultiLayerNetwork net;
    private final InMemoryBatchIterator batches;
    private final ListDataSetIterator<DataSet> list;
    private final int listExamples;
    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /**
     * @param maxBatches stop each epoch after this many minibatches (smoke runs); 0 = whole epochs
     */
    public TrainingRun(MultiLayerNetwork net, Feed feed, MnistLikeDataset data, int batchSize, long seed, int maxBatches) {
        this.net = net;
        if (feed == Feed.LIST_ITERATOR) {
            List<DataSet> examples = data.train().asList();
            if (maxBatches > 0) examples = examples.subList(0, Math.min(examples.size(), maxBatches * batchSize));
            examples = new ArrayList<>(examples);
            Collections.shuffle(examples, new Random(seed));
            this.list = new ListDataSetIterator<>(examples, batchSize);
            this.listExamples = examples.size();
            this.batches = null;
        } else {
            this.list = null;
            this.listExamples = 0;
            this.batches = data.trainIterator(batchSize, seed, maxBatches);
        }
    }

    public MultiLayerNetwork network() {
        return net;
    }

    /** Minibatches in one epoch of this run's feed: ⌈examples / batch size⌉ (capped by maxBatches). */
    public int batchesPerEpoch() {
        if (batches != null) return batches.batchesPerEpoch();
        return (listExamples + list.batch() - 1) / list.batch();
    }

    /** Trains one epoch and returns its timing. */
    public EpochTiming epoch() {
        return timed(() -> {
            if (list != null) {
                list.reset();
                net.fit(list);
                return listExamples;
            }
            batches.reset();
            long examples = 0;
            while (batches.hasNext()) {
                DataSet batch = batches.next();
                net.fit(batch);
                examples += batch.numExamples();
            }
            return examples;
        });
    }

    /**
     * Trains the next {@code n} minibatches of the in-memory feed — continuing where the last call
     * stopped, starting the feed's next epoch when one ends — and returns their timing (one block of
     * {@link BlockPairs}).
     */
    public EpochTiming steps(int n) {
        if (batches == null) throw new IllegalStateException("blocks of steps need the in-memory feed");
        if (n < 1) throw new IllegalArgumentException("a block needs at least one step, got " + n);
        return timed(() -> {
            long examples = 0;
            for (int i = 0; i < n; i++) {
                if (!batches.hasNext()) batches.reset();
                DataSet batch = batches.next();
                net.fit(batch);
                examples += batch.numExamples();
            }
            return examples;
        });
    }

    /** Runs {@code train} (which returns the examples it trained) between two readings of the three clocks. */
    private EpochTiming timed(LongSupplier train) {
        long cpu0 = os.getProcessCpuTime();
        long thread0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long examples = train.getAsLong();
        long wall = System.nanoTime() - t0;
        long cpu = Math.max(0, os.getProcessCpuTime() - cpu0);
        long thread = Math.max(0, threads.getCurrentThreadCpuTime() - thread0);
        return new EpochTiming(examples, Math.max(1, wall), cpu, thread);
    }
}
