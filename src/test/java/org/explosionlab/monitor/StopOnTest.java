package org.explosionlab.monitor;

import static org.explosionlab.monitor.MonitorOnAnyNetworkTest.assertBitwiseEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.spec.EventKind;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.monitor.Remedies;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;

/**
 * {@code ExplosionMonitor.builder().stopOn(EventKind.NONFINITE)} on a network fed a NaN-poisoned minibatch
 * (batch 1 of 5, one NaN pixel): {@code net.fit(iterator)} must throw {@link TrainingStoppedException} at
 * the start of the next step, so that
 * <ul>
 *   <li>the event is the poisoned step's (iteration 1) and DL4J's iteration count is event + 1;</li>
 *   <li>the parameters are those after the event's step — compared with an untouched clone that was
 *       fitted on exactly batches 0 and 1 by DL4J alone, and shown to differ from where batch 2 leads;</li>
 *   <li>the network is still usable: {@code output} and {@code evaluate} run, and after {@code close()}
 *       another {@code fit} trains (no workspace left open by the exception) and matches the clone
 *       given the same batch.</li>
 * </ul>
 * The second case installs {@code Remedies.skipNonFinite} so that the parameters stay finite and the
 * comparison with the clone is bit for bit on real numbers; the first lets the NaN reach the weights
 * (the comparison is then NaN-for-NaN).
 */
class StopOnTest {
    private static final int POISONED = 1;

    @Test
    void stopsAtTheStepAfterTheNaNWithSkipNonFinite() {
        MultiLayerNetwork net = MonitorTestNets.dense(31);
        List<DataSet> batches = poisonedBatches();
        MultiLayerNetwork reference = net.clone();
        Remedies.skipNonFinite(5).installOn(net);
        List<ExplosionEvent> events = new ArrayList<>();
        ExplosionMonitor monitor = ExplosionMonitor.builder().stopOn(EventKind.NONFINITE).onEvent(events::add).attach(net);

        TrainingStoppedException stop = assertThrows(TrainingStoppedException.class, () -> net.fit(new ExistingDataSetIterator(batches)));
        ExplosionEvent event = stop.event();
        assertEquals(EventKind.NONFINITE, event.kind());
        assertEquals(POISONED, event.iteration(), "the poisoned step raised the event");
        assertEquals(List.of(event), events);
        assertEquals(event, monitor.stopEvent().orElseThrow());
        assertEquals(event.iteration() + 1, net.getIterationCount(), "stopped before the next step was counted");
        assertEquals(POISONED + 1, monitor.metrics().size(), "the stopped step is not recorded");
        assertTrue(monitor.metrics().get(POISONED).skipped(), "skip-non-finite dropped the NaN step");

        // reference: DL4J alone; the NaN step is skipped, so the network is where batch 0 left it
        reference.fit(batches.get(0));
        assertBitwiseEqual(reference.params(), net.params(), "parameters after the event's step");
        assertTrue(allFinite(net.params()));
        MultiLayerNetwork further = reference.clone();
        further.fit(batches.get(POISONED + 1));
        assertFalse(further.params().equals(net.params()), "the step after the event was not applied");

        assertUsable(net, monitor, reference, batches.get(POISONED + 1));
    }

    @Test
    void stopsAtTheStepAfterTheNaN() {
        MultiLayerNetwork net = MonitorTestNets.dense(32);
        List<DataSet> batches = poisonedBatches();
        MultiLayerNetwork reference = net.clone();
        ExplosionMonitor monitor = ExplosionMonitor.builder().stopOn(EventKind.NONFINITE).attach(net);

        TrainingStoppedException stop = assertThrows(TrainingStoppedException.class, () -> net.fit(new ExistingDataSetIterator(batches)));
        assertEquals(EventKind.NONFINITE, stop.event().kind());
        assertEquals(POISONED, stop.event().iteration());
        assertEquals(POISONED + 1, net.getIterationCount());
        assertTrue(monitor.metrics().get(POISONED).gradNonFinite() > 0);

        reference.fit(batches.get(0));
        reference.fit(batches.get(POISONED));
        assertBitwiseEqual(reference.params(), net.params(), "parameters after the event's step (NaN where DL4J put NaN)");
        assertFalse(allFinite(net.params()), "the NaN reached the weights");

        // still usable, though its outputs are NaN
        INDArray out = net.output(batches.get(0).getFeatures());
        assertEquals(batches.get(0).getLabels().shape()[0], out.shape()[0]);
        monitor.close();
        net.fit(batches.get(POISONED + 1));
        assertEquals(POISONED + 2, net.getIterationCount(), "fit runs again once the monitor is closed");
    }

    /** After the stop: output, evaluate, the stopped monitor refusing further steps, then fit after close(). */
    private static void assertUsable(MultiLayerNetwork net, ExplosionMonitor monitor, MultiLayerNetwork reference, DataSet next) {
        INDArray out = net.output(next.getFeatures());
        assertBitwiseEqual(reference.output(next.getFeatures()), out, "output of the stopped network");
        double accuracy = net.evaluate(new ExistingDataSetIterator(List.of(next))).accuracy();
        assertTrue(accuracy >= 0 && accuracy <= 1);

        INDArray before = net.params().dup();
        long iteration = net.getIterationCount();
        assertThrows(TrainingStoppedException.class, () -> net.fit(next), "a stopped monitor stops every further fit");
        assertBitwiseEqual(before, net.params(), "no step taken");
        assertEquals(iteration, net.getIterationCount());

        monitor.close();
        net.fit(next);
        // the skipped step advanced DL4J's iteration counter (which Adam's bias correction reads), not Adam's moments
        reference.setIterationCount(Math.toIntExact(iteration));
        reference.fit(next);
        assertBitwiseEqual(reference.params(), net.params(), "the next fit after close() is DL4J's own step");
        assertEquals(iteration + 1, net.getIterationCount());
    }

    /** Five minibatches of 32; batch {@link #POISONED} gets one NaN pixel. */
    private static List<DataSet> poisonedBatches() {
        List<DataSet> batches = MonitorTestNets.mnistBatches(32, 33, 5);
        batches.get(POISONED).getFeatures().putScalar(3, 400, Float.NaN);
        return batches;
    }

    private static boolean allFinite(INDArray a) {
        for (float x : a.reshape(a.length()).toFloatVector()) if (!Float.isFinite(x)) return false;
        return true;
    }
}
