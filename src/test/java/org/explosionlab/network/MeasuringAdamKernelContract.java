package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every measuring {@link AdamKernel} ({@link VectorAdamKernel}, {@link NativeAdamKernel}) must do:
 * the bits of {@link ScalarAdamKernel}, element by element, and in-pass figures equal to sums computed
 * here in double, element by element, from the same inputs. Subclasses name the kernel.
 */
abstract class MeasuringAdamKernelContract {
    /** Two parameters whose lengths are not multiples of a vector or of a chunk, and a 1-element one. */
    private static final int[] BOUNDS = {0, 3_001, 3_011, 3_012, 5_000};
    private static final int N = BOUNDS[BOUNDS.length - 1];

    /** A new instance of the kernel under test. */
    abstract AdamKernel kernel();

    @Test
    void updatesHaveTheScalarKernelsBitsForEveryDivisorAndWithParams() {
        for (int divisor : new int[] {1, 32, 28, 128}) {
            for (boolean withParams : new boolean[] {false, true}) {
                State s = State.random(divisor, 11);
                State t = s.copy();
                for (int step = 0; step < 3; step++) {
                    new ScalarAdamKernel().run(s.pass(withParams, null));
                    kernel().run(t.pass(withParams, null));
                    s.refreshGradient(step);
                    t.refreshGradient(step);
                }
                String what = "divisor " + divisor + (withParams ? " with θ" : "");
                assertArrayEquals(s.floats(s.m), t.floats(t.m), 0f, what + ": m");
                assertArrayEquals(s.floats(s.v), t.floats(t.v), 0f, what + ": v");
                assertArrayEquals(s.floats(s.theta), t.floats(t.theta), 0f, what + ": θ");
            }
        }
    }

    @Test
    void measuringChangesNoBitOfTheStep() {
        State s = State.random(32, 5);
        State t = s.copy();
        kernel().run(s.pass(true, null));
        kernel().run(t.pass(true, new Recorded()));
        assertArrayEquals(s.floats(s.gradient), t.floats(t.gradient), 0f);
        assertArrayEquals(s.floats(s.theta), t.floats(t.theta), 0f);
        assertArrayEquals(s.floats(s.m), t.floats(t.m), 0f);
    }

    @Test
    void figuresMatchDoubleSumsComputedElementByElement() {
        for (int divisor : new int[] {32, 28}) {
            State s = State.random(divisor, 3);
            Expected before = Expected.of(s, divisor);
            Recorded got = new Recorded();
            kernel().run(s.pass(true, got));
            Expected after = Expected.update(s);
            for (int p = 0; p + 1 < BOUNDS.length; p++) {
                String what = "divisor " + divisor + ", parameter " + p;
                assertRelative(before.gradSq[p], got.gradSq[p], what + " Σg²");
                assertEquals(before.gradMax[p], got.gradMax[p], 0, what + " max|g|");
                assertRelative(before.paramSq[p], got.paramSq[p], what + " Σθ²");
                assertRelative(before.paramAbs[p], got.paramAbs[p], what + " Σ|θ|");
                assertRelative(after.paramSq[p], got.updateSq[p], what + " ΣΔθ²");
                assertRelative(after.paramAbs[p], got.updateAbs[p], what + " Σ|Δθ|");
                assertEquals(0, got.gradBad[p] + got.paramBad[p] + got.updateBad[p], what + " non-finite");
            }
        }
    }

    /**
     * A NaN, an Inf and a finite value whose square overflows float: each chunk that holds one is counted
     * again exactly — the NaN and Inf counted and left out, the huge value summed in double.
     */
    @Test
    void nonFiniteElementsAreCountedExactlyAndLeftOutOfTheSums() {
        State s = State.random(32, 9);
        s.gradient.put(100, Float.NaN);
        s.gradient.put(2_500, Float.POSITIVE_INFINITY);
        s.gradient.put(3_005, 3e20f * 32);            // (g/k)² = 9e40 > float max
        s.theta.put(4_000, Float.NEGATIVE_INFINITY);
        Expected before = Expected.of(s, 32);
        Recorded got = new Recorded();
        kernel().run(s.pass(true, got));
        assertEquals(2, got.gradBad[0], "NaN and +Inf in parameter 0");
        assertEquals(0, got.gradBad[1]);
        assertRelative(before.gradSq[0], got.gradSq[0], "finite Σg² of parameter 0");
        assertRelative(before.gradSq[1], got.gradSq[1], "Σg² with a square beyond float range");
        assertEquals(3e20, got.gradMax[1], 1e14, "max|g| is the huge finite value");
        assertEquals(1, got.paramBad[3], "−Inf in θ of parameter 3");
        assertRelative(before.paramSq[3], got.paramSq[3], "finite Σθ² of parameter 3");
        assertEquals(2, got.updateBad[0], "the NaN/Inf gradients make NaN updates");
    }

    @Test
    void aMeasuredPassMustCoverTheBlockAndUpdateTheParameters() {
        State s = State.random(32, 1);
        assertThrows(IllegalStateException.class, () -> kernel().run(s.pass(false, new Recorded())));
        AdamPass p = s.pass(true, new Recorded());
        p.offset = 1;     // a block starting inside parameter 0
        assertThrows(IllegalStateException.class, () -> kernel().run(p));
    }

    @Test
    void theReciprocalIsUsedOnlyWhereItIsExact() {
        assertTrue(AdamPass.exactReciprocal(32) && AdamPass.exactReciprocal(1) && AdamPass.exactReciprocal(1 << 20));
        assertTrue(!AdamPass.exactReciprocal(28) && !AdamPass.exactReciprocal(0) && !AdamPass.exactReciprocal(96));
        Random r = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            float g = Float.intBitsToFloat(r.nextInt()) ;
            if (!Float.isFinite(g)) continue;
            assertEquals(Float.floatToIntBits(g / 128f), Float.floatToIntBits(g * (1f / 128f)), "g = " + g);
        }
    }

    private static void assertRelative(double expected, double actual, String what) {
        assertEquals(expected, actual, 2e-6 * Math.abs(expected) + 1e-30, what);
    }

    /** Adam's buffers for one block of {@link #N} elements, native memory like DL4J's. */
    private static final class State {
        final FloatBuffer gradient = direct(N);
        final FloatBuffer m = direct(N);
        final FloatBuffer v = direct(N);
        final FloatBuffer theta = direct(N);
        final int divisor;
        final Random random;

        State(int divisor, long seed) {
            this.divisor = divisor;
            this.random = new Random(seed);
        }

        static State random(int divisor, long seed) {
            State s = new State(divisor, seed);
            for (int i = 0; i < N; i++) {
                s.gradient.put(i, (float) (s.random.nextGaussian() * divisor * (i % 7 == 0 ? 0 : 1)));
                s.m.put(i, (float) (s.random.nextGaussian() * 0.01));
                s.v.put(i, (float) Math.abs(s.random.nextGaussian() * 1e-4));
                s.theta.put(i, (float) (s.random.nextGaussian() * 0.05));
            }
            return s;
        }

        State copy() {
            State c = new State(divisor, 0);
            for (int i = 0; i < N; i++) {
                c.gradient.put(i, gradient.get(i));
                c.m.put(i, m.get(i));
                c.v.put(i, v.get(i));
                c.theta.put(i, theta.get(i));
            }
            return c;
        }

        /** A new gradient for the next step, the same in every copy. */
        void refreshGradient(int step) {
            Random r = new Random(100 + step);
            for (int i = 0; i < N; i++) gradient.put(i, (float) (r.nextGaussian() * divisor));
        }

        AdamPass pass(boolean withParams, PassFigures figures) {
            AdamPass p = new AdamPass();
            p.gradient = gradient;
            p.m = m;
            p.v = v;
            p.params = withParams ? theta : null;
            p.length = N;
            p.beta1 = 0.9f;
            p.beta2 = 0.999f;
            p.epsilon = 1e-8f;
            p.alpha = FusedAdamUpdater.alpha(1e-3f, 0.9f, 0.999f, 1e-8f, 4);
            p.divisor = divisor;
            p.figures = figures;
            return p;
        }

        float[] floats(FloatBuffer b) {
            float[] f = new float[N];
            for (int i = 0; i < N; i++) f[i] = b.get(i);
            return f;
        }

        private static FloatBuffer direct(int n) {
            return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
    }

    /** Per-parameter sums over finite elements, in double, one element at a time. */
    private static final class Expected {
        final double[] gradSq = new double[BOUNDS.length - 1];
        final double[] gradMax = new double[BOUNDS.length - 1];
        final double[] paramSq = new double[BOUNDS.length - 1];
        final double[] paramAbs = new double[BOUNDS.length - 1];

        /** Figures of g/k and θ before the step. */
        static Expected of(State s, int divisor) {
            Expected e = new Expected();
            for (int p = 0; p + 1 < BOUNDS.length; p++) {
                for (int i = BOUNDS[p]; i < BOUNDS[p + 1]; i++) {
                    float g = s.gradient.get(i) / (float) divisor;
                    if (Float.isFinite(g)) {
                        e.gradSq[p] += (double) g * g;
                        e.gradMax[p] = Math.max(e.gradMax[p], Math.abs(g));
                    }
                    float t = s.theta.get(i);
                    if (Float.isFinite(t)) {
                        e.paramSq[p] += (double) t * t;
                        e.paramAbs[p] += Math.abs(t);
                    }
                }
            }
            return e;
        }

        /** ΣΔθ² and Σ|Δθ| (in the param fields) of the update the gradient buffer holds after the pass. */
        static Expected update(State s) {
            Expected e = new Expected();
            for (int p = 0; p + 1 < BOUNDS.length; p++) {
                for (int i = BOUNDS[p]; i < BOUNDS[p + 1]; i++) {
                    float u = s.gradient.get(i);
                    e.paramSq[p] += (double) u * u;
                    e.paramAbs[p] += Math.abs(u);
                }
            }
            return e;
        }
    }

    private static final class Recorded implements PassFigures {
        final int n = BOUNDS.length - 1;
        final double[] gradSq = new double[n];
        final double[] gradMax = new double[n];
        final long[] gradBad = new long[n];
        final double[] paramSq = new double[n];
        final double[] paramAbs = new double[n];
        final long[] paramBad = new long[n];
        final double[] updateSq = new double[n];
        final double[] updateAbs = new double[n];
        final long[] updateBad = new long[n];

        @Override
        public int[] paramBounds() {
            return BOUNDS;
        }

        @Override
        public void gradient(int p, double sumSq, double maxAbs, long nonFinite) {
            gradSq[p] = sumSq;
            gradMax[p] = maxAbs;
            gradBad[p] = nonFinite;
        }

        @Override
        public void params(int p, double sumSq, double sumAbs, long nonFinite) {
            paramSq[p] = sumSq;
            paramAbs[p] = sumAbs;
            paramBad[p] = nonFinite;
        }

        @Override
        public void update(int p, double sumSq, double sumAbs, long nonFinite) {
            updateSq[p] = sumSq;
            updateAbs[p] = sumAbs;
            updateBad[p] = nonFinite;
        }
    }
}
