package org.explosionlab.training;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One-call copies between a contiguous float32 INDArray (DL4J's flattened parameter / gradient views)
 * and a reusable Java {@code float[]}: a single native memcpy instead of one native reduction per
 * figure, so all statistics of a step come from one pass in Java.
 */
final class NdBuffers {
    private NdBuffers() {
    }

    static void copy(INDArray from, float[] to) {
        check(from, to);
        new FloatPointer(from.data().addressPointer()).get(to, 0, to.length);   // already at the view's first element
    }

    static void write(float[] from, INDArray to) {
        check(to, from);
        new FloatPointer(to.data().addressPointer()).put(from, 0, from.length);
    }

    private static void check(INDArray arr, float[] buf) {
        if (arr.dataType() != DataType.FLOAT || arr.length() != buf.length || !arr.isVectorOrScalar() && !arr.isRowVector()) {
            throw new IllegalStateException("expected a float32 vector of " + buf.length + " elements, got "
                    + arr.dataType() + " " + java.util.Arrays.toString(arr.shape()));
        }
        if (arr.elementWiseStride() != 1) throw new IllegalStateException("expected a contiguous view");
    }
}
