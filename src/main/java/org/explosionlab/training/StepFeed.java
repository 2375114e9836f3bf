package org.explosionlab.training;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The iterator {@link Trainer} hands to {@code net.fit(iterator, epochs)}: the training batches unchanged,
 * plus a call between two steps. DL4J 1.0.0-M2.1's {@code MultiLayerNetwork.fitHelper} asks
 * {@code hasNext()} after every step, once the step is complete: θ ← θ − Δθ applied, the layers'
 * constraints applied, the iteration counter advanced. That is the one moment a checkpoint may copy the
 * parameters and a stop rule may end the run; a listener's {@code iterationDone} comes before the
 * constraints and the counter, and the next step's listeners come after its forward pass. So the
 * previous batch's {@link AfterStep} runs there, at most once per step, before this iterator says
 * whether the epoch goes on.
 *
 * <p>An exception thrown by {@link AfterStep} leaves {@code net.fit} before the next step's forward pass
 * and before {@code onEpochEnd}, which is how {@link Trainer} stops a run. No prefetch thread
 * ({@link #asyncSupported()} false): DL4J would otherwise wrap this iterator in an
 * {@code AsyncDataSetIterator} that calls {@code hasNext()} ahead of the steps.
 */
final class StepFeed implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    /** Work between two steps. */
    @FunctionalInterface
    interface AfterStep {
        /**
         * @param batch       the minibatch the step just trained on
         * @param epochGoesOn whether the epoch has another batch
         */
        void done(DataSet batch, boolean epochGoesOn);
    }

    private final DataSetIterator source;
    private final transient AfterStep afterStep;
    private transient DataSet inFlight;

    StepFeed(DataSetIterator source, AfterStep afterStep) {
        this.source = source;
        this.afterStep = afterStep;
    }

    /** Runs {@link AfterStep} for the batch handed out last, if that has not happened yet. */
    private void settle() {
        if (inFlight == null) return;
        DataSet batch = inFlight;
        inFlight = null;
        afterStep.done(batch, source.hasNext());
    }

    @Override
    public boolean hasNext() {
        settle();
        return source.hasNext();
    }

    @Override
    public DataSet next() {
        settle();
        inFlight = source.next();
        return inFlight;
    }

    @Override
    public DataSet next(int num) {
        settle();
        inFlight = source.next(num);
        return inFlight;
    }

    @Override
    public void reset() {
        settle();
        source.reset();
    }

    @Override
    public boolean resetSupported() {
        return source.resetSupported();
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
    }

    @Override
    public int batch() {
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        source.setPreProcessor(preProcessor);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return source.getPreProcessor();
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }
}
