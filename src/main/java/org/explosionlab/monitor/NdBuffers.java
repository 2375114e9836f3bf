package org.explosionlab.monitor;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between DL4J's flattened parameter / gradient vector and a reusable Java {@code float[]}, for
 * the remedies that rewrite the gradient in Java. A contiguous float32 vector (DL4J's default) is
 * copied with one native memcpy; any other data type or layout goes through ND4J's own conversion.
 */
final class NdBuffers {
    private NdBuffers() {
    }

    static void copy(INDArray from, float[] to) {
        checkLength(from, to);
        if (direct(from)) {
            new FloatPointer(from.data().addressPointer()).get(to, 0, to.length);   // already at the view's first element
        } else {
            float[] v = from.reshape(from.length()).toFloatVector();
            System.arraycopy(v, 0, to, 0, to.length);
        }
    }

    /** Copies all of {@code from} (a vector view) into {@code to} starting at {@code at}. */
    static void copy(INDArray from, float[] to, int at) {
        int n = (int) from.length();
        if (at < 0 || at + n > to.length) throw new IllegalStateException("expected at most " + (to.length - at) + " elements, got " + n);
        if (direct(from)) {
            new FloatPointer(from.data().addressPointer()).get(to, at, n);
        } else {
            float[] v = from.reshape(from.length()).toFloatVector();
            System.arraycopy(v, 0, to, at, n);
        }
    }

    static void write(float[] from, INDArray to) {
        checkLength(to, from);
        if (direct(to)) {
            new FloatPointer(to.data().addressPointer()).put(from, 0, from.length);
        } else {
            to.assign(Nd4j.createFromArray(from).castTo(to.dataType()).reshape(to.shape()));
        }
    }

    private static boolean direct(INDArray arr) {
        return arr.dataType() == DataType.FLOAT && arr.elementWiseStride() == 1 && (arr.isVectorOrScalar() || arr.isRowVector());
    }

    private static void checkLength(INDArray arr, float[] buf) {
        if (arr.length() != buf.length) {
            throw new IllegalStateException("expected " + buf.length + " elements, got " + java.util.Arrays.toString(arr.shape()));
        }
    }
}
