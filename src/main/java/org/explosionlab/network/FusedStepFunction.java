package org.explosionlab.network;

import java.lang.reflect.Field;
import org.deeplearning4j.optimize.api.ConvexOptimizer;
import org.deeplearning4j.optimize.api.StepFunction;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.deeplearning4j.optimize.solvers.StochasticGradientDescent;
import org.deeplearning4j.optimize.stepfunctions.NegativeGradientStepFunction;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link NegativeGradientStepFunction} — {@code params.subi(update)}, the last part of a
 * {@link StochasticGradientDescent} step — except for a step whose update the Adam pass already
 * subtracted ({@link #alreadyApplied}). Then it does nothing, once: the parameters end the step with
 * the same bits (θ − Δθ in float32 either way) and one pass over θ and Δθ less.
 *
 * <p>DL4J has no setter for an optimizer's step function and builds its own from the configuration,
 * so {@link #install} puts this one in place by reflection on {@code BaseOptimizer.stepFunction}, and
 * only over DL4J's default for SGD; anything else (another step function, a gradient accumulator)
 * keeps DL4J's step and the Adam pass leaves θ alone.
 */
final class FusedStepFunction implements StepFunction {
    private static final Field STEP_FUNCTION = stepFunctionField();

    private final StepFunction dl4j;
    private boolean applied;

    private FusedStepFunction(StepFunction dl4j) {
        this.dl4j = dl4j;
    }

    /**
     * The fused step function of {@code optimizer}, installed over DL4J's default if need be (an
     * updater that replaces another on the same network finds it there); null when the optimizer is not
     * plain SGD with DL4J's negative-gradient step and no gradient accumulator.
     */
    static FusedStepFunction install(ConvexOptimizer optimizer) {
        if (STEP_FUNCTION == null || !(optimizer instanceof StochasticGradientDescent) || optimizer.getGradientsAccumulator() != null) {
            return null;
        }
        try {
            Object current = STEP_FUNCTION.get(optimizer);
            if (current instanceof FusedStepFunction f) return f;
            if (current == null || current.getClass() != NegativeGradientStepFunction.class) return null;
            FusedStepFunction f = new FusedStepFunction((StepFunction) current);
            STEP_FUNCTION.set(optimizer, f);
            return f;
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private static Field stepFunctionField() {
        try {
            Field f = BaseOptimizer.class.getDeclaredField("stepFunction");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The coming {@link #step(INDArray, INDArray)} of this iteration is to do nothing. */
    void alreadyApplied() {
        applied = true;
    }

    /** Forgets a pending {@link #alreadyApplied} (a step that ended before DL4J's step function ran). */
    void reset() {
        applied = false;
    }

    @Override
    public void step(INDArray x, INDArray line, double step) {
        if (consume()) return;
        dl4j.step(x, line, step);
    }

    @Override
    public void step(INDArray x, INDArray line) {
        if (consume()) return;
        dl4j.step(x, line);
    }

    @Override
    public void step() {
        dl4j.step();
    }

    private boolean consume() {
        boolean was = applied;
        applied = false;
        return was;
    }
}
