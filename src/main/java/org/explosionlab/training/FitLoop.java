package org.explosionlab.training;

import java.util.ArrayList;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.explosionlab.data.InMemoryBatchIterator;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.monitor.ExplosionMonitor;
import org.explosionlab.monitor.RemedyChain;
import org.explosionlab.run.Checkpoint;
import org.explosionlab.run.MetricsDigest;
import org.explosionlab.run.RunOutput;
import org.explosionlab.spec.ExperimentSpec;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A run's epochs, trained the way DL4J trains: {@code net.fit(iterator, epochs)}, so every listener's
 * {@code onEpochStart}/{@code onEpochEnd} fires (DL4J's {@code EvaluativeListener}, {@code CheckpointListener},
 * a user's own) and DL4J counts the epochs. What the run adds happens at two points:
 * <ul>
 *   <li>between two steps, in {@link StepFeed} (the step is complete there): count the batch and its
 *       examples, end the run when the monitor's stop rule fired or skip-non-finite gave up, and write the
 *       every-N-iterations checkpoint;</li>
 *   <li>in this listener's {@code onEpochEnd} (the last step is complete): the epoch checkpoint and
 *       {@code summary.json}. DL4J advances its epoch counter after this call, which
 *       {@link Checkpoint#networkToContinue} accounts for.</li>
 * </ul>
 *
 * <p>Epoch e's order is what it has always been: {@link InMemoryBatchIterator} draws one shuffle when it
 * is built and one per {@code reset()}, and the runs have always reset before every epoch, the first
 * included, so epoch e is shuffle e + 1. DL4J resets only a used-up iterator (before epochs 2, 3, ...), so
 * the run resets it once itself before handing it over (and, resuming, replays the earlier epochs' resets
 * and skips the batches the checkpoint already trained).
 */
final class FitLoop extends BaseTrainingListener {
    private final ExperimentSpec spec;
    private final RunOptions options;
    private final MultiLayerNetwork net;
    private final ExplosionMonitor monitor;
    private final RemedyChain remedies;
    private final java.util.function.Consumer<MetricsDigest.Mark> writeSummary;
    private final double secondsBefore;
    private long t0;
    private int epoch;
    private int batchInEpoch;
    private int epochsCompleted;
    private long examples;
    private String stopReason;
    private final RunOutput output;

    /** Ends {@code net.fit} between two steps; carries the stop reason. */
    private static final class RunStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RunStopped(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * @param from         the checkpoint to continue from, or null for a fresh run
     * @param writeSummary writes {@code summary.json} at an epoch end, recording the digest of metrics.jsonl then (only called
     *                     with a run directory)
     */
    /** The data's file name → SHA-256, recorded in every checkpoint so that a resume on other data is refused. */
    private final java.util.Map<String, String> dataSha256;

    FitLoop(ExperimentSpec spec, RunOptions options, MultiLayerNetwork net, ExplosionMonitor monitor, RemedyChain remedies,
            Checkpoint from, java.util.Map<String, String> dataSha256, RunOutput output,
            java.util.function.Consumer<MetricsDigest.Mark> writeSummary) {
        this.spec = spec;
        this.dataSha256 = dataSha256;
        this.options = options;
        this.net = net;
        this.monitor = monitor;
        this.remedies = remedies;
        this.writeSummary = writeSummary;
        this.secondsBefore = from == null ? 0 : from.trainSeconds();
        this.epoch = from == null ? 0 : from.epoch();
        this.batchInEpoch = from == null ? 0 : from.batchesInEpoch();
        this.epochsCompleted = from == null ? 0 : from.epochsCompleted();
        this.examples = from == null ? 0 : from.examples();
        this.output = output;
    }

    /** Trains the remaining epochs, or until a stop; then {@link #stopReason()} says which. */
    void run(InMemoryBatchIterator train) {
        for (int e = 0; e <= epoch; e++) train.reset();              // epoch e is shuffle e + 1 (see the class comment)
        for (int b = 0; b < batchInEpoch && train.hasNext(); b++) train.next();
        t0 = System.nanoTime();
        int epochs = spec.training().epochs() - epoch;
        if (epochs <= 0) return;                                      // killed after its last epoch: nothing left to train
        net.addListeners(this);
        try {
            net.fit(new StepFeed(train, this::afterStep), epochs);
        } catch (RunStopped stopped) {
            stopReason = stopped.getMessage();
        } finally {
            var kept = new ArrayList<>(net.getListeners());          // the returned network must not write into the run directory
            kept.remove(this);
            net.setListeners(kept);
        }
    }

    private void afterStep(DataSet batch, boolean epochGoesOn) {
        batchInEpoch++;
        examples += batch.numExamples();
        if (monitor.stopRequested()) {
            ExplosionEvent e = monitor.stopEvent().orElseThrow();
            throw new RunStopped("stopOn " + e.kind().label() + " at iteration " + e.iteration());
        }
        if (remedies.gaveUp()) {
            throw new RunStopped("skipNonFinite gave up after " + spec.skip().maxConsecutiveSkips() + " consecutive non-finite steps");
        }
        if (output.dir() != null && options.checkpointEvery() > 0 && net.getIterationCount() % options.checkpointEvery() == 0
                && epochGoesOn) {                                     // at an epoch's end, onEpochEnd writes one
            checkpoint();
        }
    }

    @Override
    public void onEpochEnd(Model model) {
        epoch++;
        batchInEpoch = 0;
        epochsCompleted++;
        if (output.dir() != null) {
            checkpoint();
            writeSummary.accept(output.metricsMark());
        }
    }

    private void checkpoint() {
        output.writeCheckpoint(Checkpoint.of(net.getIterationCount(), epoch, batchInEpoch, epochsCompleted, examples, seconds(),
                options.maxBatches(), remedies.state(), monitor.state(), spec, dataSha256, output.metricsMark()), net);
    }

    /** Training wall time so far, the checkpoint's included. */
    double seconds() {
        return secondsBefore + (System.nanoTime() - t0) / 1e9;
    }

    long examples() {
        return examples;
    }

    /** The digest of metrics.jsonl as it stands now (every row recorded so far), or null without a run directory. */
    MetricsDigest.Mark metricsMark() {
        return output.dir() == null ? null : output.metricsMark();
    }

    int epochsCompleted() {
        return epochsCompleted;
    }

    /** Why the run stopped early, or null when it trained every epoch. */
    String stopReason() {
        return stopReason;
    }
}
