package org.explosionlab.diagnosis;

import static org.explosionlab.diagnosis.Numbers.fmt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.explosionlab.diagnosis.NetworkView.Output;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.AbstractDataSetNormalizer;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.*;

/** The checks that read a sample of the data: features, labels and the iterator's pre-processor. */
final class DataChecks {
    /** Features whose largest magnitude reaches this are far from [0, 1] or z-scores (pixels 0-255, raw counts). */
    static final double SEVERE_FEATURE_MAGNITUDE = 20;
    /** A magnitude from which features are suspicious when their spread is also wide. */
    static final double WARN_FEATURE_MAGNITUDE = 5;

    private DataChecks() {
    }

    /** Summary statistics of the sampled features, finite values only, and per column. */
    record FeatureStats(int rows, int columns, double min, double max, double mean, double std, long nan, long inf,
                        double[] colMin, double[] colMax, long[] colNonFinite) {
        double absMax() {
            return Math.max(Math.abs(min), Math.abs(max));
        }
    }

    static FeatureStats featureStats(DataSample s) {
        INDArray f = s.features;
        int rows = (int) f.rows(), cols = (int) f.columns();
        double[] colMin = new double[cols], colMax = new double[cols];
        long[] colBad = new long[cols];
        java.util.Arrays.fill(colMin, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(colMax, Double.NEGATIVE_INFINITY);
        double[] v = f.dup('c').data().asDouble();
        long nan = 0, inf = 0, n = 0;
        double sum = 0, sumSq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v.length; i++) {
            double x = v[i];
            int c = i % cols;
            if (Double.isNaN(x)) { nan++; colBad[c]++; continue; }
            if (Double.isInfinite(x)) { inf++; colBad[c]++; continue; }
            n++;
            sum += x;
            sumSq += x * x;
            if (x < min) min = x;
            if (x > max) max = x;
            if (x < colMin[c]) colMin[c] = x;
            if (x > colMax[c]) colMax[c] = x;
        }
        double mean = n == 0 ? Double.NaN : sum / n;
        double std = n == 0 ? Double.NaN : Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        return new FeatureStats(rows, cols, min, max, mean, std, nan, inf, colMin, colMax, colBad);
    }

    static List<Finding> run(NetworkView net, DataSample s, DataNormalization given) {
        List<Finding> out = new ArrayList<>();
        FeatureStats st = featureStats(s);
        out.addAll(unnormalized(st, s));
        out.addAll(constant(st));
        out.addAll(normalizer(st, s, given));
        Output o = net.outputs.isEmpty() ? null : net.outputs.get(net.outputs.size() - 1);
        if (o != null) {
            out.addAll(labels(o, s));
            out.addAll(regressionLabels(o, s));
        }
        return out;
    }

    private static String preProcessorName(DataSetPreProcessor p) {
        return p == null ? "no pre-processor attached" : "pre-processor " + p.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- unnormalized-input

    static List<Finding> unnormalized(FeatureStats st, DataSample s) {
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("min", st.min());
        nums.put("max", st.max());
        nums.put("mean", st.mean());
        nums.put("std", st.std());
        nums.put("nan", (double) st.nan());
        nums.put("inf", (double) st.inf());
        nums.put("rows", (double) st.rows());
        String range = String.format(Locale.ROOT, "features in [%s, %s], mean %s, std %s over %d sampled rows x %d columns (%s)",
                fmt(st.min()), fmt(st.max()), fmt(st.mean()), fmt(st.std()), st.rows(), st.columns(), preProcessorName(s.preProcessor));
        boolean pixels = st.min() >= 0 && st.max() > 1 && st.max() <= 255;
        String fix = pixels ? "iterator.setPreProcessor(new ImagePreProcessingScaler(0, 1))   // pixels / 255"
                : "DataNormalization n = new NormalizerStandardize(); n.fit(trainIter); trainIter.setPreProcessor(n); testIter.setPreProcessor(n)";
        String why = "the first layer's pre-activation scales with the inputs: inputs in the hundreds make the first forward pass, its "
                + "gradient and the first update hundreds of times too large (in #3346 a one-weight linear model diverges once x reaches ~1000)";
        if (st.nan() + st.inf() > 0) {
            return List.of(new Finding(Check.UNNORMALIZED_INPUT, Severity.SEVERE, "features",
                    st.nan() + " NaN and " + st.inf() + " Inf feature values; " + range, nums,
                    "a single NaN input makes the whole minibatch's loss and gradient NaN; DL4J's updater then writes NaN into every weight",
                    null, "clean or impute the data before the iterator (e.g. a DataVec TransformProcess); check the normalizer's statistics", null));
        }
        if (st.absMax() >= SEVERE_FEATURE_MAGNITUDE) {
            return List.of(new Finding(Check.UNNORMALIZED_INPUT, Severity.SEVERE, "features", range, nums, why, null, fix, null));
        }
        if (st.absMax() >= WARN_FEATURE_MAGNITUDE && st.std() > 2) {
            return List.of(new Finding(Check.UNNORMALIZED_INPUT, Severity.WARNING, "features", range, nums, why, null, fix, null));
        }
        return List.of();
    }

    // ---------------------------------------------------------------- constant-feature

    /**
     * The severity does not depend on the column's value: a constant column (0 for an image border, 1 or 1.4 in a table)
     * carries no information, and ND4J 1.0.0-M2.1's normalizers guard its zero spread, so it is {@link Severity#INFO};
     * it is {@link Severity#SEVERE} when a column is NaN/Inf in every sampled row (a division by its zero spread
     * happened, #1646).
     */
    static List<Finding> constant(FeatureStats st) {
        int constant = 0, nonZero = 0, firstNonZero = -1;
        for (int c = 0; c < st.columns(); c++) {
            if (st.colMin()[c] == st.colMax()[c]) {
                constant++;
                if (st.colMin()[c] != 0) { nonZero++; if (firstNonZero < 0) firstNonZero = c; }
            }
        }
        long badInConstant = 0;
        for (int c = 0; c < st.columns(); c++) badInConstant += st.colNonFinite()[c] == st.rows() ? 1 : 0;
        if (constant == 0 && badInConstant == 0) return List.of();
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("constantColumns", (double) constant);
        nums.put("nonZeroConstantColumns", (double) nonZero);
        nums.put("columns", (double) st.columns());
        nums.put("rows", (double) st.rows());
        nums.put("nonFiniteColumns", (double) badInConstant);
        String saw = String.format(Locale.ROOT, "%d of %d feature columns take a single value in the %d sampled rows (%d of them non-zero%s)",
                constant, st.columns(), st.rows(), nonZero, firstNonZero >= 0 ? ", first: column " + firstNonZero + " = " + fmt(st.colMin()[firstNonZero]) : "");
        String why = "standardizing divides by the column's standard deviation, 0 for a constant column: 0/0 = NaN in every row (#1646, "
                + "#1890); ND4J 1.0.0-M2.1's NormalizerStandardize replaces that 0 (no NaN), but the column still carries no information";
        String fix = "drop the column (DataVec TransformProcess.removeColumns) or standardize with NormalizerStandardize, which guards std = 0; "
                + "image borders that are always 0 are harmless";
        if (badInConstant > 0) {
            return List.of(new Finding(Check.CONSTANT_FEATURE, Severity.SEVERE, "features",
                    saw + "; " + badInConstant + " column(s) are NaN/Inf in every sampled row (a division by a zero spread)", nums, why, null, fix, null));
        }
        return List.of(new Finding(Check.CONSTANT_FEATURE, Severity.INFO, "features", saw, nums, why, null, fix, null));
    }

    // ---------------------------------------------------------------- normalizer-not-attached

    static List<Finding> normalizer(FeatureStats st, DataSample s, DataNormalization given) {
        return normalizer(st, s.preProcessor, given);
    }

    /** {@code st} is null when the iterator could not be read (its pre-processor threw). */
    static List<Finding> normalizer(FeatureStats st, DataSetPreProcessor attached, DataNormalization given) {
        List<Finding> out = new ArrayList<>();
        String fix = "trainIter.setPreProcessor(normalizer); testIter.setPreProcessor(normalizer)   // after normalizer.fit(trainIter)";
        String why = "fitting a normalizer computes its statistics but changes nothing: until it is the iterator's pre-processor, the "
                + "network trains on the raw data (and a model evaluated or served without it sees other inputs than in training)";
        if (given != null && attached != given && st != null) {
            boolean raw = st.absMax() >= WARN_FEATURE_MAGNITUDE;
            out.add(new Finding(Check.NORMALIZER_NOT_ATTACHED, raw ? Severity.SEVERE : Severity.WARNING, "iterator",
                    "a " + given.getClass().getSimpleName() + " was given but the iterator has " + preProcessorName(attached)
                            + String.format(Locale.ROOT, "; its batches are in [%s, %s]", fmt(st.min()), fmt(st.max())),
                    Map.of("min", st.min(), "max", st.max()), why, null, fix, null));
        }
        DataNormalization n = given != null ? given : attached instanceof DataNormalization d ? d : null;
        if (n instanceof AbstractDataSetNormalizer<?> a && !fitted(a)) {
            out.add(new Finding(Check.NORMALIZER_NOT_ATTACHED, Severity.SEVERE, "iterator",
                    "the " + n.getClass().getSimpleName() + " was never fitted", Map.of(),
                    "an unfitted normalizer has no statistics: DL4J throws at the first batch or passes the data through unchanged",
                    null, "normalizer.fit(trainIter); trainIter.setPreProcessor(normalizer)", null));
        }
        return out;
    }

    // ---------------------------------------------------------------- labels-invalid

    static boolean classification(ILossFunction loss) {
        return loss instanceof LossMCXENT || loss instanceof LossBinaryXENT || loss instanceof LossKLD;
    }

    static List<Finding> labels(Output o, DataSample s) {
        List<Finding> out = new ArrayList<>();
        ILossFunction loss = o.loss();
        long nOut = o.nOut();
        long nan = 0, inf = 0, nanMasked = 0, rows = 0, badRows = 0, outOfRange = 0, badIndex = 0;
        boolean anyMask = false;
        double maxIndex = Double.NEGATIVE_INFINITY, maxVal = Double.NEGATIVE_INFINITY, minVal = Double.POSITIVE_INFINITY;
        long width = -1;
        boolean sparse = loss instanceof LossSparseMCXENT;
        boolean oneHot = loss instanceof LossMCXENT && !sparse;
        boolean binary = loss instanceof LossBinaryXENT;
        for (DataSet d : s.batches) {
            INDArray l = d.getLabels();
            if (l == null) continue;
            INDArray rowsOf = DataSample.asRows(l);
            INDArray mask = d.getLabelsMaskArray();
            anyMask |= mask != null;
            INDArray maskRows = mask == null ? null : maskRows(mask, l);
            width = rowsOf.columns();
            double[][] m = rowsOf.toDoubleMatrix();
            double[][] mk = maskRows == null ? null : maskRows.toDoubleMatrix();
            for (int r = 0; r < m.length; r++) {
                boolean rowMasked = mk != null && mk[r].length == 1 && mk[r][0] == 0;
                double sum = 0;
                boolean rowBad = false, rowNonFinite = false;
                for (int c = 0; c < m[r].length; c++) {
                    double x = m[r][c];
                    boolean masked = rowMasked || (mk != null && mk[r].length == m[r].length && mk[r][c] == 0);
                    if (!Double.isFinite(x)) {
                        if (Double.isNaN(x)) nan++; else inf++;
                        if (masked) nanMasked++;
                        rowNonFinite = true;     // reported by the NaN/Inf finding, not again as "not one-hot"
                        continue;
                    }
                    if (masked) continue;
                    sum += x;
                    maxVal = Math.max(maxVal, x);
                    minVal = Math.min(minVal, x);
                    if ((oneHot || binary) && (x < 0 || x > 1)) { outOfRange++; rowBad = true; }
                    if (sparse) {
                        maxIndex = Math.max(maxIndex, x);
                        if (x < 0 || x != Math.rint(x) || (nOut > 0 && x >= nOut)) { badIndex++; rowBad = true; }
                    }
                }
                if (rowMasked) continue;
                rows++;
                if (rowNonFinite) continue;
                if (oneHot && !rowBad && m[r].length == nOut && Math.abs(sum - 1) > 1e-3) rowBad = true;
                if (rowBad) badRows++;
            }
        }
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("nan", (double) nan);
        nums.put("inf", (double) inf);
        nums.put("nonFiniteUnderMask", (double) nanMasked);
        nums.put("rows", (double) rows);
        nums.put("invalidRows", (double) badRows);
        nums.put("labelColumns", (double) width);
        nums.put("nOut", (double) nOut);
        String where = "labels of " + o.layer().label();
        if (nan + inf > 0) {
            String masked = nanMasked == 0 ? "" : nanMasked == nan + inf ? ", all of them under the label mask (mask 0)"
                    : ", " + nanMasked + " of them under the label mask";
            String why = nanMasked > 0
                    ? "the mask multiplies the per-output loss and gradient by 0, but 0 x NaN = NaN: a masked NaN still makes the score and every "
                            + "weight NaN (#3992)"
                    : "the loss of a minibatch is a sum over its rows: one NaN/Inf label makes the score and the gradient NaN, and DL4J's updater "
                            + "then writes NaN into every weight" + (anyMask ? " (a label mask does not help: 0 x NaN = NaN, #3992)" : "");
            String fix = nanMasked > 0 || anyMask
                    ? "replace missing labels by 0 before building the DataSet and keep them masked: labels.putScalar(i, j, 0.0)"
                    : "drop the rows with missing labels before building the DataSet (or fill them and mask them out with a label mask of 0)";
            out.add(new Finding(Check.LABELS_INVALID, Severity.SEVERE, where, nan + " NaN and " + inf + " Inf label values" + masked, nums,
                    why, null, fix, null));
        }
        if (oneHot && width > 0 && nOut > 0 && width != nOut) {
            boolean indices = width == 1;
            out.add(new Finding(Check.LABELS_INVALID, Severity.SEVERE, where,
                    indices ? String.format(Locale.ROOT, "labels have 1 column (class indices, max %s) but the output layer has nOut %d and a one-hot loss %s",
                            fmt(maxVal), nOut, loss.getClass().getSimpleName())
                            : String.format(Locale.ROOT, "labels have %d columns but the output layer has nOut %d", width, nOut),
                    nums, "DL4J compares the output with the labels column by column; a shape mismatch throws at fit() or, broadcast, trains on nonsense",
                    null, indices ? "one-hot the labels (new RecordReaderDataSetIterator(rr, batch, labelIndex, numClasses)) or use LossFunction.SPARSE_MCXENT"
                            : ".nOut(" + width + ") on the output layer, or one-hot with the right number of classes", null));
        } else if (sparse && badIndex > 0) {
            out.add(new Finding(Check.LABELS_INVALID, Severity.SEVERE, where,
                    String.format(Locale.ROOT, "%d class indices are negative, not whole or >= nOut %d (largest %s)", badIndex, nOut, fmt(maxIndex)),
                    nums, "an index >= nOut selects a probability that does not exist: DL4J throws or reads another class's output", null,
                    ".nOut(" + (long) (maxIndex + 1) + ") on the output layer (classes 0.." + (long) maxIndex + ")", null));
        } else if ((oneHot || binary) && badRows > 0) {
            out.add(new Finding(Check.LABELS_INVALID, Severity.SEVERE, where,
                    String.format(Locale.ROOT, "%d of %d unmasked label rows are not %s (values in [%s, %s])", badRows, rows,
                            oneHot ? "one-hot / probability vectors summing to 1" : "in [0, 1]", fmt(minVal), fmt(maxVal)),
                    nums, oneHot ? "cross-entropy -sum y log p is only a loss for y summing to 1: other rows push the softmax the wrong way or have no minimum"
                            : "binary cross-entropy needs targets in [0, 1]; others make the loss unbounded below",
                    null, oneHot ? "labels from new RecordReaderDataSetIterator(rr, batch, labelIndex, numClasses) are one-hot" : "scale the targets into [0, 1]", null));
        }
        return out;
    }

    /** The label mask as one value per label row ([rows, 1]) or per label ([rows, nOut]). */
    private static INDArray maskRows(INDArray mask, INDArray labels) {
        if (labels.rank() == 3 && mask.rank() == 2) return mask.castTo(DataType.DOUBLE).dup('c').reshape(mask.size(0) * mask.size(1), 1);
        if (labels.rank() == 3 && mask.rank() == 3) return DataSample.asRows(mask);
        if (mask.rank() == 1) return mask.castTo(DataType.DOUBLE).reshape(mask.length(), 1);
        return mask.castTo(DataType.DOUBLE);
    }

    // ---------------------------------------------------------------- unscaled-regression-labels

    static boolean regression(ILossFunction loss) {
        return loss instanceof LossL2 || loss instanceof LossL1 || loss instanceof LossMSLE || loss instanceof LossMAPE;   // MSE extends L2, MAE extends L1
    }

    static List<Finding> regressionLabels(Output o, DataSample s) {
        if (!regression(o.loss())) return List.of();
        double absMax = 0, sum = 0, sumSq = 0;
        long n = 0;
        for (DataSet d : s.batches) {
            if (d.getLabels() == null) continue;
            for (double x : d.getLabels().castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
                if (!Double.isFinite(x)) continue;
                absMax = Math.max(absMax, Math.abs(x));
                sum += x;
                sumSq += x * x;
                n++;
            }
        }
        if (n == 0) return List.of();
        double mean = sum / n, std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        Map<String, Double> nums = new LinkedHashMap<>();
        nums.put("absMax", absMax);
        nums.put("mean", mean);
        nums.put("std", std);
        String saw = String.format(Locale.ROOT, "regression targets up to |y| = %s (mean %s, std %s) under %s", fmt(absMax), fmt(mean), fmt(std),
                o.loss().getClass().getSimpleName());
        String why = "with squared error the output layer's gradient is 2 (y_hat - y): targets in the hundreds or thousands make the first "
                + "gradients that large, and an identity output must first grow its weights by the same factor (#4797, #2238)";
        String fix = "NormalizerStandardize n = new NormalizerStandardize(); n.fitLabel(true); n.fit(trainIter); trainIter.setPreProcessor(n);"
                + " predictions: n.revertLabels(output)";
        if (Activations.sigmoidLike(o.activation()) && absMax > 1) {
            return List.of(new Finding(Check.UNSCALED_REGRESSION_LABELS, Severity.SEVERE, "labels of " + o.layer().label(),
                    saw + ", but the sigmoid output stays in (0, 1)", nums, "the target is out of the output's reach: the loss can never fall",
                    null, fix + "  // or NormalizerMinMaxScaler with fitLabel(true)", null));
        }
        if (absMax >= 100) return List.of(new Finding(Check.UNSCALED_REGRESSION_LABELS, Severity.SEVERE, "labels of " + o.layer().label(), saw, nums, why, null, fix, null));
        if (absMax >= 10 || std >= 5) return List.of(new Finding(Check.UNSCALED_REGRESSION_LABELS, Severity.WARNING, "labels of " + o.layer().label(), saw, nums, why, null, fix, null));
        return List.of();
    }

    /** AbstractDataSetNormalizer.isFit() (protected in ND4J 1.0.0-M2.1). */
    static boolean fitted(AbstractDataSetNormalizer<?> n) {
        try {
            var m = AbstractDataSetNormalizer.class.getDeclaredMethod("isFit");
            m.setAccessible(true);
            return (Boolean) m.invoke(n);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }
}
