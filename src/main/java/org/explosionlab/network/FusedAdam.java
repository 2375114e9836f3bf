package org.explosionlab.network;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Adam (Kingma &amp; Ba 2015, <a href="https://arxiv.org/abs/1412.6980">arXiv:1412.6980</a>) with
 * exactly DL4J's semantics, computed by {@link FusedAdamUpdater} in one Java pass over the flat float32
 * buffers instead of DL4J's native {@code adam_updater} op. A drop-in replacement for DL4J's
 * {@link Adam}: same hyper-parameters, same updater-state layout ({@code [m, v]}, 2 × numParams), same
 * numbers (checked against DL4J's Adam to 1e-6 over hundreds of steps in {@code FusedAdamTest}).
 *
 * <p>DL4J 1.0.0-M2.1 ({@code libnd4j helpers/cpu/updaterAdam.cpp}), with t = iteration + 1:
 * <pre>
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * α_t = lr·√(1 − β2^t) / (1 − β1^t)          (α_t = ε if that is NaN, ±∞ or 0)
 * update = α_t·m / (√v + ε)                  (parameters θ ← θ − update)
 * </pre>
 * i.e. the "efficient" form of the paper's §2, where ε sits outside the bias-corrected √v̂ scale
 * (ε̂ = ε·√(1 − β2^t) in the paper's notation), as in TensorFlow's Keras Adam.
 *
 * <p>Fields are plain bean properties so that DL4J's JSON configuration (type tag {@code @class}) and
 * Java serialisation carry them; the class holds no training state.
 */
public final class FusedAdam implements IUpdater {
    private static final long serialVersionUID = 1L;

    /**
     * System property that turns the fused updater off: {@code -Dexplosionlab.fastAdam=false} makes
     * {@link UpdaterFactory} build DL4J's own {@link Adam} instead.
     */
    public static final String ENABLED_PROPERTY = "explosionlab.fastAdam";

    private double learningRate = Adam.DEFAULT_ADAM_LEARNING_RATE;
    private ISchedule learningRateSchedule;
    private double beta1 = Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY;
    private double beta2 = Adam.DEFAULT_ADAM_BETA2_VAR_DECAY;
    private double epsilon = Adam.DEFAULT_ADAM_EPSILON;

    /** DL4J's Adam defaults: lr 1e-3, β1 0.9, β2 0.999, ε 1e-8 (also the JSON deserialisation constructor). */
    public FusedAdam() {
    }

    /**
     * @param learningRate         lr (used when {@code learningRateSchedule} is null)
     * @param learningRateSchedule lr per iteration/epoch, or null for a constant lr
     */
    public FusedAdam(double learningRate, ISchedule learningRateSchedule, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** The fused twin of a DL4J {@link Adam} configuration (same lr, schedule, β1, β2, ε). */
    public static FusedAdam of(Adam adam) {
        return new FusedAdam(adam.getLearningRate(), adam.getLearningRateSchedule(), adam.getBeta1(), adam.getBeta2(),
                adam.getEpsilon());
    }

    /**
     * System property that keeps the {@link NativeAdamKernel} (C, AVX2; the default where it is built)
     * off ({@code -Dexplosionlab.nativeAdam=false}): a Java kernel then computes the same updates.
     */
    public static final String NATIVE_PROPERTY = "explosionlab.nativeAdam";

    /**
     * System property that keeps the {@link VectorAdamKernel} off ({@code -Dexplosionlab.vectorAdam=false}):
     * the scalar kernel then computes the same updates and metrics are measured in separate passes.
     */
    public static final String VECTOR_PROPERTY = "explosionlab.vectorAdam";

    /** The JDK module of the Vector API the fastest Adam pass uses ({@link VectorAdamKernel}). */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * Whether this JVM was started with {@code --add-modules jdk.incubator.vector}, so that — where the
     * {@link NativeAdamKernel} is not built — the Adam pass runs the {@link VectorAdamKernel}, which also
     * takes the metrics on its way; without either, the scalar kernel computes the same updates and
     * metrics are measured in separate passes.
     */
    public static boolean vectorModuleLoaded() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Why the {@link NativeAdamKernel} cannot run here (library not built, not loadable, no AVX2/FMA), or null when it can. */
    public static String nativeKernelUnavailable() {
        return NativeAdamKernel.unavailableReason();
    }

    /** True unless {@code -Dexplosionlab.fastAdam=false} (read at each call, so tests can switch it). */
    public static boolean enabled() {
        return Switches.on(ENABLED_PROPERTY);
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        FusedAdamUpdater u = new FusedAdamUpdater(this);
        INDArray flat = viewArray.reshape(viewArray.length());
        u.setStateViewArray(flat, new long[] {flat.length() / 2}, flat.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        FusedAdamUpdater u = new FusedAdamUpdater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public FusedAdam clone() {
        return new FusedAdam(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), beta1,
                beta2, epsilon);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    public double getLearningRate() {
        return learningRate;
    }

    public void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }

    public ISchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    public void setLearningRateSchedule(ISchedule learningRateSchedule) {
        this.learningRateSchedule = learningRateSchedule;
    }

    public double getBeta1() {
        return beta1;
    }

    public void setBeta1(double beta1) {
        this.beta1 = beta1;
    }

    public double getBeta2() {
        return beta2;
    }

    public void setBeta2(double beta2) {
        this.beta2 = beta2;
    }

    public double getEpsilon() {
        return epsilon;
    }

    public void setEpsilon(double epsilon) {
        this.epsilon = epsilon;
    }

    /**
     * Value equality: DL4J merges consecutive layers whose updater configurations are equal into one
     * updater block, so equal configurations let one fused pass cover the whole network.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof FusedAdam a)) return false;
        return Double.compare(learningRate, a.learningRate) == 0 && Double.compare(beta1, a.beta1) == 0
                && Double.compare(beta2, a.beta2) == 0 && Double.compare(epsilon, a.epsilon) == 0
                && Objects.equals(learningRateSchedule, a.learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "FusedAdam(learningRate=" + learningRate + ", learningRateSchedule=" + learningRateSchedule + ", beta1="
                + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
    }
}
