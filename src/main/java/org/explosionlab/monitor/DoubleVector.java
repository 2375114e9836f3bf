package org.explosionlab.monitor;

import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dasum;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_ddot;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A reusable float64 copy of a slice of DL4J's flattened parameter / gradient vector, for the early-warning
 * instruments that need a value of one callback at a later one. ND4J's {@code assign} converts the float32 values
 * natively (no Java loop); sums and dot products of a segment run in OpenBLAS ({@code cblas_ddot},
 * {@code cblas_dasum}) on the float64 values, so they are accumulated in double as a Java loop over
 * {@code (double) x[i]} would be, differing from it only in the order of the additions (about 1e-16 relative).
 * The vector starts on a {@value GradientStats#KERNEL_ALIGNMENT}-byte boundary, so a segment's address modulo the
 * kernel alignment (which OpenBLAS's SIMD kernels' partial sums depend on, see {@link GradientStats#alignedView})
 * depends on its offset only and the figures on the values only. Segment views are made once and cached.
 */
final class DoubleVector {
    private final INDArray vector;
    private final DoublePointer a;
    private final DoublePointer b;
    private final Map<Long, INDArray> views = new HashMap<>();

    DoubleVector(int length) {
        int pad = GradientStats.KERNEL_ALIGNMENT / Double.BYTES;
        INDArray allocation = Nd4j.createUninitialized(DataType.DOUBLE, length + pad);
        long address = allocation.data().addressPointer().address();
        int skip = (int) (((GradientStats.KERNEL_ALIGNMENT - address % GradientStats.KERNEL_ALIGNMENT) % GradientStats.KERNEL_ALIGNMENT) / Double.BYTES);
        this.vector = allocation.get(NDArrayIndex.interval(skip, skip + length));
        this.a = new DoublePointer(vector.data().addressPointer());          // the view's first element
        this.b = new DoublePointer(vector.data().addressPointer());
    }

    /** The {@code length} elements at {@code offset}, shaped as {@code like} when given (a cached view). */
    INDArray view(int offset, int length, INDArray like) {
        long key = ((long) offset << 32) | length;
        INDArray v = views.get(key);
        if (v == null || (like != null && !java.util.Arrays.equals(v.shape(), like.shape()))) {
            v = vector.get(NDArrayIndex.interval(offset, offset + length));
            if (like != null && like.rank() != 1) v = v.reshape(like.shape());
            views.put(key, v);
        }
        return v;
    }

    /** Copies {@code from} (same length, any data type) into the vector, converting natively. */
    void assign(INDArray from) {
        vector.assign(from.length() == vector.length() && from.rank() != 1 ? from.reshape(from.length()) : from);
    }

    /** Σ x_i y_i over {@code [offset, offset + length)} of this vector and {@code other}, in double. */
    double dot(DoubleVector other, int offset, int length) {
        a.position(offset);
        other.b.position(offset);
        return cblas_ddot(length, a, 1, other.b, 1);
    }

    /** Σ |x_i| over {@code [offset, offset + length)}: NaN if any element is NaN. */
    double sumAbs(int offset, int length) {
        a.position(offset);
        return cblas_dasum(length, a, 1);
    }
}
