package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The finite-difference Hessian-vector product against the exact Hessian of a tiny network (3-4-3, tanh, softmax,
 * float64, 31 parameters), built independently of DL4J's backprop: every entry a central second difference of
 * the loss DL4J scores, H_ij = [L(θ+he_i+he_j) − L(θ+he_i−he_j) − L(θ−he_i+he_j) + L(θ−he_i−he_j)] / 4h², and the
 * gradient by central first differences of the same loss.
 */
class DirectionalSharpnessTest {

    static MultiLayerNetwork tiny(IUpdater updater, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .updater(updater).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(4).nOut(3).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static DataSet batch(long seed, int k) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, k, 3);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, k, 3);
        for (int i = 0; i < k; i++) y.putScalar(i, i % 3, 1.0);
        return new DataSet(x, y);
    }

    /** The loss DL4J scores at parameters {@code theta} (mean over the minibatch, no regularisation here). */
    private static double loss(MultiLayerNetwork net, DataSet d, double[] theta) {
        net.setParams(Nd4j.createFromArray(theta).reshape(1, theta.length));
        return net.score(d, false);
    }

    private static double[][] exactHessian(MultiLayerNetwork net, DataSet d) {
        double[] t = net.params().toDoubleVector();
        int n = t.length;
        double h = 1e-4;
        double[][] hess = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double[] pp = t.clone(), pm = t.clone(), mp = t.clone(), mm = t.clone();
                pp[i] += h; pp[j] += h;
                pm[i] += h; pm[j] -= h;
                mp[i] -= h; mp[j] += h;
                mm[i] -= h; mm[j] -= h;
                hess[i][j] = hess[j][i] = (loss(net, d, pp) - loss(net, d, pm) - loss(net, d, mp) + loss(net, d, mm)) / (4 * h * h);
            }
        }
        net.setParams(Nd4j.createFromArray(t).reshape(1, n));
        return hess;
    }

    private static double[] exactGradient(MultiLayerNetwork net, DataSet d) {
        double[] t = net.params().toDoubleVector();
        double h = 1e-6;
        double[] g = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double[] p = t.clone(), m = t.clone();
            p[i] += h;
            m[i] -= h;
            g[i] = (loss(net, d, p) - loss(net, d, m)) / (2 * h);
        }
        net.setParams(Nd4j.createFromArray(t).reshape(1, t.length));
        return g;
    }

    private static double quotient(double[][] h, double[] d, double[] p) {
        double dHd = 0, dPd = 0;
        for (int i = 0; i < d.length; i++) {
            double hd = 0;
            for (int j = 0; j < d.length; j++) hd += h[i][j] * d[j];
            dHd += d[i] * hd;
            dPd += d[i] * d[i] * (p == null ? 1 : p[i]);
        }
        return dHd / dPd;
    }

    @Test
    void gradientSharpnessMatchesTheExactHessianAndLeavesTheNetworkAsItWas() {
        MultiLayerNetwork net = tiny(new Sgd(0.1), 7);
        DataSet d = batch(11, 16);
        for (int i = 0; i < 5; i++) net.fit(d);                    // away from the initial point
        double[][] h = exactHessian(net, d);
        double[] g = exactGradient(net, d);
        double expected = quotient(h, g, null);

        INDArray params = net.params().dup();
        INDArray gradView = net.getFlattenedGradients().dup();
        DirectionalSharpness s = new DirectionalSharpness(net);
        s.probe(d.getFeatures(), d.getLabels());
        double measured = s.measure(false, net.getIterationCount());

        assertEquals(expected, measured, 1e-3 * Math.abs(expected) + 1e-6, "gᵀHg/‖g‖² by FD-HVP vs exact Hessian");
        assertArrayEquals(params.toDoubleVector(), net.params().toDoubleVector(), 0.0, "parameters restored exactly");
        assertArrayEquals(gradView.toDoubleVector(), net.getFlattenedGradients().toDoubleVector(), 0.0, "gradient view restored exactly");
    }

    @Test
    void preconditionedSharpnessUsesAdamsOwnPreconditioner() {
        Adam adam = new Adam(0.05, 0.9, 0.999, 1e-8);
        MultiLayerNetwork net = tiny(adam, 3);
        DataSet d = batch(5, 16);
        for (int i = 0; i < 6; i++) net.fit(d);
        int t = net.getIterationCount();                            // the next step's iteration; the last step was t - 1
        double[][] h = exactHessian(net, d);
        double[] g = exactGradient(net, d);
        // DL4J's Adam steps by lr·m̂/P with P = (sqrt(v) + ε)/sqrt(1 − β₂^t); its state view is [M | V]
        INDArray state = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getStateViewArray();
        int n = g.length;
        double[] all = state.toDoubleVector();
        double[] v = java.util.Arrays.copyOfRange(all, n, 2 * n);
        double[] p = new double[n];
        double[] dir = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = (Math.sqrt(v[i]) + 1e-8) / Math.sqrt(1 - Math.pow(0.999, t));
            dir[i] = g[i] / p[i];
        }
        double expected = quotient(h, dir, p);

        DirectionalSharpness s = new DirectionalSharpness(net);
        s.probe(d.getFeatures(), d.getLabels());
        double measured = s.measure(true, t - 1);
        assertEquals(expected, measured, 2e-3 * Math.abs(expected) + 1e-6);
    }

    @Test
    void limitsAreTheEdgeOfStabilityThresholds() {
        assertEquals(2.0, DirectionalSharpness.limit(new Sgd(1.0), 1.0), 0);
        assertEquals(20.0, DirectionalSharpness.limit(new Sgd(0.1), 0.1), 1e-12);
        assertEquals(3.8 / 0.5, DirectionalSharpness.limit(new Nesterovs(0.5, 0.9), 0.5), 1e-9);         // (2 + 2μ)/η
        assertEquals(38.0 / 1e-3, DirectionalSharpness.limit(new Adam(1e-3), 1e-3), 1e-6);               // (2 + 2β₁)/((1 − β₁)η)
        assertTrue(Double.isNaN(DirectionalSharpness.limit(new org.nd4j.linalg.learning.config.AdaGrad(0.1), 0.1)));
    }

    @Test
    void unavailableOnAGraphAndWithDropout() {
        assertNotNull(DirectionalSharpness.unavailableReason(Network.of(MonitorTestNets.denseBnDropout(1))));
        assertEquals(null, DirectionalSharpness.unavailableReason(Network.of(tiny(new Sgd(0.1), 1))));
    }
}
