package org.explosionlab.data;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The test-set accuracy every entry point reports (CLI, sweeps, walkthroughs): one rule, one place. */
public final class TestSetAccuracy {
    /** Test examples per forward pass: large batches make evaluation fast, and the 2,004 fit in three. */
    public static final int EVAL_BATCH = 1000;

    private TestSetAccuracy() {
    }

    /**
     * Test-set accuracy with DL4J's {@link Evaluation}, where a test example whose prediction holds NaN
     * or ±Inf counts as wrong: DL4J's {@code Evaluation} refuses such rows with an exception, and a run
     * that blew up must still end with its accuracy and verdict.
     * <pre>  accuracy = correct / (finite rows + non-finite rows)</pre>
     */
    public static double of(MultiLayerNetwork net, MnistLikeDataset data) {
        Evaluation eval = new Evaluation();
        long nonFiniteRows = 0;
        DataSetIterator test = data.testIterator(EVAL_BATCH);
        while (test.hasNext()) {
            DataSet batch = test.next();
            INDArray predicted = net.output(batch.getFeatures(), false);
            int[] finite = finiteRows(predicted);
            nonFiniteRows += predicted.rows() - finite.length;
            if (finite.length == predicted.rows()) {
                eval.eval(batch.getLabels(), predicted);
            } else if (finite.length > 0) {
                eval.eval(batch.getLabels().getRows(finite), predicted.getRows(finite));
            }
        }
        int evaluated = eval.getNumRowCounter();
        long total = evaluated + nonFiniteRows;
        if (total == 0) return Double.NaN;
        double correct = evaluated == 0 ? 0 : eval.accuracy() * evaluated;
        return correct / total;
    }

    /** Indices of the rows of {@code m} whose every element is finite. */
    private static int[] finiteRows(INDArray m) {
        double[][] rows = m.toDoubleMatrix();
        return IntStream.range(0, rows.length)
                .filter(r -> Arrays.stream(rows[r]).allMatch(Double::isFinite))
                .toArray();
    }

}
