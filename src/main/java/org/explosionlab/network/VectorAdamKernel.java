package org.explosionlab.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AdamKernel} written with the Vector API (JDK 17's incubating {@code jdk.incubator.vector}; the
 * JVM needs {@code --add-modules jdk.incubator.vector}, see {@link AdamKernel#create}). The same
 * per-element float32 operations as {@link ScalarAdamKernel} — lane-wise IEEE multiply, add, divide
 * and square root, no fused multiply-add in the update — so the same bits; what it adds is measuring
 * in the same pass ({@link PassFigures}): per element of a recorded step
 * <pre>
 * Σg² (fma into a lane accumulator)   max|g| (integer max over the bits with the sign cleared)
 * Σθ², Σ|θ|                           ΣΔθ², Σ|Δθ|
 * </pre>
 * a handful of vector operations on values that are in registers anyway, instead of six passes over
 * the parameter vectors in memory. Chunk by chunk ({@link #CHUNK} elements copied into arrays that
 * stay in L1 cache), lane sums in float32 within {@link #FLUSH_CHUNKS} chunks, then in double.
 * The integer max doubles as the non-finite test: |x|'s bit pattern is ≥ {@code 0x7f800000} exactly
 * when x is ±Inf or NaN, and a NaN or ±Inf in any float lane sum survives their sum; a chunk that has
 * one keeps the lane sums as they were and is counted again element by element in double — from the
 * native buffers, which still hold its g and θ from before the step, and from its Δθ.
 *
 * <p>Measured on the seed model (bench/RESULTS.md, run 4, recorded against unrecorded steps): a step
 * the metrics listener records costs +10 % at batch 32 and +4.5 % at batch 128 with the figures taken
 * here, against +16 % and +8 % with separate OpenBLAS passes. The pass is bound by memory traffic, and here each chunk
 * is loaded, computed and stored in turn, so the extra arithmetic does not hide behind the loads.
 * A step whose θ DL4J's own step function updates goes to the {@link ScalarAdamKernel}.
 * Not the default: until C2 has compiled it, vector code runs interpreted and allocates heavily (a
 * 5-epoch run is no faster with it and peaks 100–230 MiB higher in resident memory).
 */
final class VectorAdamKernel implements AdamKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    private static final int NON_FINITE_BITS = 0x7f800000;
    /** Elements per chunk: 4 arrays × 512 floats = 8 KiB, well inside a 32 KiB L1 data cache. */
    static final int CHUNK = 512;
    /** Chunks between folds of the float lane sums into double (4,096 elements: 512 terms per lane). */
    static final int FLUSH_CHUNKS = 8;

    private final float[] g = new float[CHUNK];
    private final float[] m = new float[CHUNK];
    private final float[] v = new float[CHUNK];
    private final float[] t = new float[CHUNK];
    private final float[] scratch = new float[CHUNK];
    /** The pass for a step whose θ DL4J's step function updates (no measuring then either). */
    private final ScalarAdamKernel withoutParams = new ScalarAdamKernel();
    private final Sums raw = new Sums();
    private final Sums update = new Sums();
    private final Sums params = new Sums();
    /**
     * Lane accumulators of the vector loop, kept across the chunks of one parameter array (stored and
     * reloaded per chunk, folded into {@link Sums} in double every {@link #FLUSH_CHUNKS} chunks): Σg²,
     * max of |g|'s bits, ΣΔθ², Σ|Δθ|, Σθ², Σ|θ|.
     */
    private final float[] laneGradSq = new float[F.length()];
    private final int[] laneGradMax = new int[F.length()];
    private final float[] laneUpdateSq = new float[F.length()];
    private final float[] laneUpdateAbs = new float[F.length()];
    private final float[] laneParamSq = new float[F.length()];
    private final float[] laneParamAbs = new float[F.length()];
    /** Whether the last chunk's vector loop met a NaN/±Inf or overflowed float (its lane sums were not kept). */
    private boolean chunkNonFinite;

    VectorAdamKernel() {
        if (F.length() != I.length()) throw new IllegalStateException("float and int vector species differ in lanes");
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public boolean measures() {
        return true;
    }

    @Override
    public void run(AdamPass p) {
        if (p.params == null && p.figures == null) {      // DL4J subtracts: nothing here the scalar loop does not do
            withoutParams.run(p);
            return;
        }
        if (p.figures == null) {
            for (int start = 0; start < p.length; start += CHUNK) {
                int len = Math.min(CHUNK, p.length - start);
                load(p, start, len);
                updateWithParams(p, len);
                store(p, start, len);
            }
            return;
        }
        if (p.params == null) throw new IllegalStateException("a measured Adam pass must also update the parameters");
        int[] bounds = p.figures.paramBounds();
        int[] block = p.paramsInBlock();
        int from = p.offset;
        for (int q = block[0]; q < block[1]; q++) {
            int s = bounds[q];
            int e = bounds[q + 1];
            raw.reset();
            update.reset();
            params.reset();
            clearLanes();
            int chunks = 0;
            for (int c = s - from; c < e - from; c += CHUNK) {
                measuredChunk(p, c, Math.min(CHUNK, e - from - c));
                if (++chunks % FLUSH_CHUNKS == 0) flushLanes();
            }
            flushLanes();
            p.figures.gradient(q, raw.sq, raw.max, raw.bad);
            p.figures.params(q, params.sq, params.abs, params.bad);
            p.figures.update(q, update.sq, update.abs, update.bad);
        }
    }

    private void load(AdamPass p, int start, int len) {
        p.gradient.get(start, g, 0, len);
        p.m.get(start, m, 0, len);
        p.v.get(start, v, 0, len);
        p.params.get(start, t, 0, len);
    }

    private void store(AdamPass p, int start, int len) {
        p.gradient.put(start, g, 0, len);
        p.m.put(start, m, 0, len);
        p.v.put(start, v, 0, len);
        p.params.put(start, t, 0, len);
    }

    /** g ← Δθ, m and v updated, and θ ← θ − Δθ, over the chunk in the arrays. */
    private void updateWithParams(AdamPass p, int len) {
        float scale = scaleFor(p, len);
        FloatVector k = FloatVector.broadcast(F, scale);
        FloatVector b1 = FloatVector.broadcast(F, p.beta1);
        FloatVector b2 = FloatVector.broadcast(F, p.beta2);
        FloatVector k1 = FloatVector.broadcast(F, 1 - p.beta1);
        FloatVector k2 = FloatVector.broadcast(F, 1 - p.beta2);
        FloatVector a = FloatVector.broadcast(F, p.alpha);
        FloatVector e = FloatVector.broadcast(F, p.epsilon);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector gi = FloatVector.fromArray(F, g, i).mul(k);
            FloatVector mi = b1.mul(FloatVector.fromArray(F, m, i)).add(gi.mul(k1));
            FloatVector vi = b2.mul(FloatVector.fromArray(F, v, i)).add(gi.mul(gi).mul(k2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector ui = mi.mul(a).div(vi.sqrt().add(e));
            ui.intoArray(g, i);
            FloatVector.fromArray(F, t, i).sub(ui).intoArray(t, i);
        }
        for (; i < len; i++) {
            g[i] = scalar(p, scale, i);
            t[i] -= g[i];
        }
    }

    /**
     * The factor the vector loops multiply the chunk's gradient by to divide it by k: 1/k when that is
     * exact (k a power of two: g·(1/k) has the bits of g/k); otherwise the chunk is divided here, in a
     * plain loop, and the factor is 1. So the vector loops never divide by k, and have a single path.
     */
    private float scaleFor(AdamPass p, int len) {
        if (p.divisor == 1) return 1f;
        if (AdamPass.exactReciprocal(p.divisor)) return 1f / p.divisor;
        float k = p.divisor;
        for (int i = 0; i < len; i++) g[i] /= k;
        return 1f;
    }

    /** One element of the update in scalar float32 (the same operations as the vector lanes). */
    private float scalar(AdamPass p, float scale, int i) {
        float gi = g[i] * scale;
        float mi = p.beta1 * m[i] + gi * (1 - p.beta1);
        float vi = p.beta2 * v[i] + gi * gi * (1 - p.beta2);
        m[i] = mi;
        v[i] = vi;
        return (mi * p.alpha) / ((float) Math.sqrt(vi) + p.epsilon);
    }

    /** One chunk of a recorded step: update, subtract, measure; exact re-count where non-finite. */
    private void measuredChunk(AdamPass p, int start, int len) {
        load(p, start, len);
        int bound = F.loopBound(len);
        updateMeasured(p, len);
        if (chunkNonFinite) {
            // the native buffers still hold this chunk's g and θ from before the step: count exactly
            p.gradient.get(start, scratch, 0, bound);
            if (AdamPass.exactReciprocal(p.divisor)) {
                float inverse = 1f / p.divisor;
                for (int i = 0; i < bound; i++) scratch[i] *= inverse;
            } else {
                float k = p.divisor;
                for (int i = 0; i < bound; i++) scratch[i] /= k;
            }
            raw.addExactly(scratch, 0, bound);
            p.params.get(start, scratch, 0, bound);
            params.addExactly(scratch, 0, bound);
            update.addExactly(g, 0, bound);
        }
        store(p, start, len);
    }

    private void clearLanes() {
        java.util.Arrays.fill(laneGradSq, 0f);
        java.util.Arrays.fill(laneGradMax, 0);
        java.util.Arrays.fill(laneUpdateSq, 0f);
        java.util.Arrays.fill(laneUpdateAbs, 0f);
        java.util.Arrays.fill(laneParamSq, 0f);
        java.util.Arrays.fill(laneParamAbs, 0f);
    }

    /** Adds the lane sums to the double {@link Sums} and clears them. */
    private void flushLanes() {
        for (int l = 0; l < laneGradSq.length; l++) {
            raw.sq += laneGradSq[l];
            raw.max = Math.max(raw.max, Float.intBitsToFloat(laneGradMax[l]));
            update.sq += laneUpdateSq[l];
            update.abs += laneUpdateAbs[l];
            params.sq += laneParamSq[l];
            params.abs += laneParamAbs[l];
        }
        clearLanes();
    }

    /**
     * {@link #updateWithParams} that also accumulates into the lane sums. If a lane ends the chunk
     * non-finite (a NaN/±Inf element, or a float overflow), the lane sums are left as they were before
     * the chunk and {@link #chunkNonFinite} is set, for the caller to count the chunk exactly. The tail
     * (fewer elements than a vector) is counted exactly here.
     */
    private void updateMeasured(AdamPass p, int len) {
        float scale = scaleFor(p, len);
        FloatVector k = FloatVector.broadcast(F, scale);
        FloatVector b1 = FloatVector.broadcast(F, p.beta1);
        FloatVector b2 = FloatVector.broadcast(F, p.beta2);
        FloatVector k1 = FloatVector.broadcast(F, 1 - p.beta1);
        FloatVector k2 = FloatVector.broadcast(F, 1 - p.beta2);
        FloatVector a = FloatVector.broadcast(F, p.alpha);
        FloatVector e = FloatVector.broadcast(F, p.epsilon);
        FloatVector gradSq = FloatVector.fromArray(F, laneGradSq, 0);
        IntVector gradMax = IntVector.fromArray(I, laneGradMax, 0);
        FloatVector updSq = FloatVector.fromArray(F, laneUpdateSq, 0);
        FloatVector updAbs = FloatVector.fromArray(F, laneUpdateAbs, 0);
        FloatVector parSq = FloatVector.fromArray(F, laneParamSq, 0);
        FloatVector parAbs = FloatVector.fromArray(F, laneParamAbs, 0);
        int i = 0;
        for (int bound = F.loopBound(len); i < bound; i += F.length()) {
            FloatVector gi = FloatVector.fromArray(F, g, i).mul(k);
            gradSq = gi.fma(gi, gradSq);
            gradMax = gradMax.max(gi.reinterpretAsInts().and(0x7fffffff));
            FloatVector mi = b1.mul(FloatVector.fromArray(F, m, i)).add(gi.mul(k1));
            FloatVector vi = b2.mul(FloatVector.fromArray(F, v, i)).add(gi.mul(gi).mul(k2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector ui = mi.mul(a).div(vi.sqrt().add(e));
            ui.intoArray(g, i);
            updSq = ui.fma(ui, updSq);
            updAbs = updAbs.add(ui.abs());
            FloatVector ti = FloatVector.fromArray(F, t, i);
            parSq = ti.fma(ti, parSq);
            parAbs = parAbs.add(ti.abs());
            ti.sub(ui).intoArray(t, i);
        }
        // one test for all six: a NaN/±Inf in any float sum survives their sum; the max needs its own
        FloatVector all = gradSq.add(updSq).add(updAbs).add(parSq.add(parAbs));
        chunkNonFinite = all.reinterpretAsInts().and(0x7fffffff).compare(VectorOperators.GE, NON_FINITE_BITS)
                .or(gradMax.compare(VectorOperators.GE, NON_FINITE_BITS)).anyTrue();
        if (!chunkNonFinite) {
            gradSq.intoArray(laneGradSq, 0);
            gradMax.intoArray(laneGradMax, 0);
            updSq.intoArray(laneUpdateSq, 0);
            updAbs.intoArray(laneUpdateAbs, 0);
            parSq.intoArray(laneParamSq, 0);
            parAbs.intoArray(laneParamAbs, 0);
        }
        for (; i < len; i++) {
            float gi = g[i] * scale;
            raw.addExactly(gi);
            params.addExactly(t[i]);
            float ui = scalar(p, scale, i);
            g[i] = ui;
            update.addExactly(ui);
            t[i] -= ui;
        }
    }

    /** Sums of one parameter array, in double across chunks. */
    private static final class Sums {
        double sq;
        double abs;
        double max;
        long bad;

        void reset() {
            sq = 0;
            abs = 0;
            max = 0;
            bad = 0;
        }

        /** Element by element in double: finite elements summed, the others counted. */
        void addExactly(float[] a, int from, int to) {
            for (int i = from; i < to; i++) addExactly(a[i]);
        }

        void addExactly(float x) {
            if (Float.isFinite(x)) {
                double d = Math.abs(x);
                sq += d * d;
                abs += d;
                max = Math.max(max, d);
            } else {
                bad++;
            }
        }
    }

}
