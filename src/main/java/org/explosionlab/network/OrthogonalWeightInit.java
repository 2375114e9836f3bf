package org.explosionlab.network;

import java.util.Arrays;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Orthogonal initialisation (Saxe, McClelland &amp; Ganguli 2014, "Exact solutions to the nonlinear dynamics
 * of learning in deep linear neural networks"; Keras {@code Orthogonal}): W = gain·Q, where Q comes from a
 * matrix of N(0, 1) draws orthonormalised by Gram–Schmidt (the Q of its QR decomposition, diagonal of R
 * positive). A {@code [nIn, nOut]} weight with nIn ≥ nOut gets orthonormal columns (WᵀW = gain²·I),
 * otherwise orthonormal rows (WWᵀ = gain²·I). Draws come from ND4J's global RNG, which DL4J seeds from the
 * configuration's seed before initialising.
 *
 * <p>Replaces DL4J 1.0.0-M2.1's {@code OrthogonalDistribution}, whose SVD crashes the JVM on a 128×64
 * weight and does not return on 784×128.
 */
public final class OrthogonalWeightInit implements IWeightInit {
    private final double gain;

    public OrthogonalWeightInit(@JsonProperty("gain") double gain) {
        this.gain = gain;
    }

    public double getGain() {
        return gain;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("orthogonal init is defined here for 2-d weights, got shape " + Arrays.toString(shape));
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        boolean tall = rows >= cols;
        int k = tall ? cols : rows;          // how many orthonormal vectors
        int n = tall ? rows : cols;          // of what length
        double[][] v = Nd4j.randn(DataType.DOUBLE, k, n).toDoubleMatrix();
        orthonormalise(v);
        INDArray q = Nd4j.createFromArray(v);                 // [k, n], orthonormal rows
        INDArray w = (tall ? q.transpose() : q).mul(gain);    // [rows, cols]
        paramView.assign(Nd4j.toFlattened(order, w.castTo(paramView.dataType())));
        return paramView.reshape(order, shape);
    }

    /** Modified Gram–Schmidt, twice per vector ("twice is enough", Giraud et al. 2005), in place. */
    static void orthonormalise(double[][] v) {
        for (int j = 0; j < v.length; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double dot = dot(v[i], v[j]);
                    for (int t = 0; t < v[j].length; t++) v[j][t] -= dot * v[i][t];
                }
            }
            double norm = Math.sqrt(dot(v[j], v[j]));
            for (int t = 0; t < v[j].length; t++) v[j][t] /= norm;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) s += a[t] * b[t];
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrthogonalWeightInit other && Double.compare(other.gain, gain) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(gain);
    }

    @Override
    public String toString() {
        return "OrthogonalWeightInit(gain=" + gain + ")";
    }
}
