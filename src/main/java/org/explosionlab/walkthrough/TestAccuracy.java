package org.explosionlab.walkthrough;

import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.data.MnistLikeDataset;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Test-set accuracy with DL4J's {@link Evaluation}, by the rule the CLI's {@code Trainer} reports:
 * a test example whose prediction holds NaN or ±Inf counts as wrong. DL4J's own
 * {@code net.evaluate(iterator)} refuses a batch with any NaN prediction (an exception), and a run that
 * blew up must still end with a number.
 * <pre>  accuracy = correct / (finite rows + non-finite rows)</pre>
 */
final class TestAccuracy {
    /** Test examples per forward pass: large batches make evaluation fast, and the 2,004 fit in three. */
    static final int EVAL_BATCH = 1000;

    private TestAccuracy() {
    }

    static double of(MultiLayerNetwork net, MnistLikeDataset data) {
        Evaluation eval = new Evaluation();
        long nonFinite = 0;
        DataSetIterator test = data.testIterator(EVAL_BATCH);
        while (test.hasNext()) {
            DataSet batch = test.next();
            INDArray predicted = net.output(batch.getFeatures(), false);   // false: inference mode
            if (!BooleanIndexing.or(predicted, Conditions.isNan()) && !BooleanIndexing.or(predicted, Conditions.isInfinite())) {
                eval.eval(batch.getLabels(), predicted);                  // the usual case: DL4J's Evaluation as is
                continue;
            }
            double[][] rows = predicted.toDoubleMatrix();
            for (int r = 0; r < rows.length; r++) {
                boolean finite = Arrays.stream(rows[r]).allMatch(Double::isFinite);
                if (finite) eval.eval(batch.getLabels().getRow(r, true), predicted.getRow(r, true));
                else nonFinite++;
            }
        }
        long total = eval.getNumRowCounter() + nonFinite;
        if (total == 0) return Double.NaN;
        double correct = eval.getNumRowCounter() == 0 ? 0 : eval.accuracy() * eval.getNumRowCounter();
        return correct / total;
    }
}
