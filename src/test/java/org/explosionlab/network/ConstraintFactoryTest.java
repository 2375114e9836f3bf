package org.explosionlab.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.constraint.BaseConstraint;
import org.deeplearning4j.nn.conf.constraint.MaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.MinMaxNormConstraint;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.constraint.UnitNormConstraint;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.explosionlab.spec.ConstraintSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What each constraint does to a weight matrix in DL4J's {@code [nIn, nOut]} layout, on small matrices
 * worked by hand: dimension 0 = one norm per output unit (column), as Keras {@code max_norm(axis=0)}
 * does for a Dense kernel; {@code min_max_norm} moves norms at {@code rate} as Keras does.
 */
class ConstraintFactoryTest {
    private static final double TOL = 1e-5;   // the constraints divide by ‖w‖ + 1e-6

    /** Columns with norms 5, 1 and 2.5 (3-4-5, 0.6-0.8-1 and 1.5-2-2.5 triangles). */
    private static INDArray columns() {
        return Nd4j.createFromArray(new double[][] {{3, 0.6, 1.5}, {4, 0.8, 2.0}});
    }

    private static INDArray apply(ConstraintSpec spec, INDArray w) {
        ((BaseConstraint) ConstraintFactory.create(spec)).apply(w);
        return w;
    }

    private static void assertMatrix(double[][] expected, INDArray actual) {
        assertEquals(expected.length, actual.rows(), "rows");
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual.getRow(r).toDoubleVector(), TOL, "row " + r + " of " + actual);
        }
    }

    @Test
    void maxNormOnDimensionZeroLimitsEachOutputUnit() {
        // max 2: column 5 → 2 (×0.4); 1 stays; 2.5 → 2 (×0.8)
        INDArray w = apply(new ConstraintSpec.MaxNorm(2.0, 0, false), columns());
        assertMatrix(new double[][] {{1.2, 0.6, 1.2}, {1.6, 0.8, 1.6}}, w);
    }

    @Test
    void maxNormOnDimensionOneLimitsEachInputRow() {
        // rows [3, 0.6, 1.5] (norm √11.61 = 3.4073) and [4, 0.8, 2] (norm √20.64 = 4.5431), both scaled to norm 2
        INDArray w = apply(new ConstraintSpec.MaxNorm(2.0, 1, false), columns());
        double n0 = Math.sqrt(9 + 0.36 + 2.25);
        double n1 = Math.sqrt(16 + 0.64 + 4);
        assertMatrix(new double[][] {{3 * 2 / n0, 0.6 * 2 / n0, 1.5 * 2 / n0}, {4 * 2 / n1, 0.8 * 2 / n1, 2 * 2 / n1}}, w);
    }

    @Test
    void minMaxNormAtRateOneMovesNormsIntoTheRange() {
        // [2, 3]: 5 → 3 (×0.6), 1 → 2 (×2), 2.5 stays
        INDArray w = apply(new ConstraintSpec.MinMaxNorm(2.0, 3.0, 1.0, 0, false), columns());
        assertMatrix(new double[][] {{1.8, 1.2, 1.5}, {2.4, 1.6, 2.0}}, w);
    }

    @Test
    void minMaxNormAtHalfRateMovesNormsHalfWayAsKerasDoes() {
        // Keras: desired = 0.5·clip(n, 2, 3) + 0.5·n: 5 → 4 (×0.8), 1 → 1.5 (×1.5), 2.5 stays
        INDArray w = apply(new ConstraintSpec.MinMaxNorm(2.0, 3.0, 0.5, 0, false), columns());
        assertMatrix(new double[][] {{2.4, 0.9, 1.5}, {3.2, 1.2, 2.0}}, w);
    }

    @Test
    void unitNormScalesEveryOutputUnitToNormOne() {
        INDArray w = apply(new ConstraintSpec.UnitNorm(0, false), columns());
        assertMatrix(new double[][] {{0.6, 0.6, 0.6}, {0.8, 0.8, 0.8}}, w);
    }

    @Test
    void nonNegativeZeroesNegativeWeights() {
        INDArray w = apply(new ConstraintSpec.NonNegative(false), Nd4j.createFromArray(new double[][] {{-1, 2}, {0.5, -0.25}}));
        assertMatrix(new double[][] {{0, 2}, {0.5, 0}}, w);
    }

    @Test
    void maxNormOnABiasRowLimitsEachBias() {
        // a bias is [1, nOut]: dimension 0 gives one norm per element, |b_j| ≤ 1
        INDArray b = apply(new ConstraintSpec.MaxNorm(1.0, 0, true), Nd4j.createFromArray(new double[][] {{-3, 0.5, 2}}));
        assertMatrix(new double[][] {{-1, 0.5, 1}}, b);
    }

    @Test
    void factoryMapsEachSpecToItsDl4jClass() {
        MaxNormConstraint max = assertInstanceOf(MaxNormConstraint.class, ConstraintFactory.create(new ConstraintSpec.MaxNorm(3, 1, false)));
        assertEquals(3.0, max.getMaxNorm());
        assertArrayEquals(new int[] {1}, max.getDimensions());
        MinMaxNormConstraint mm = assertInstanceOf(MinMaxNormConstraint.class,
                ConstraintFactory.create(new ConstraintSpec.MinMaxNorm(0.5, 2, 0.3, 0, false)));
        assertEquals(0.5, mm.getMin());
        assertEquals(2.0, mm.getMax());
        assertEquals(0.3, mm.getRate());
        assertArrayEquals(new int[] {0}, mm.getDimensions());
        UnitNormConstraint unit = assertInstanceOf(UnitNormConstraint.class, ConstraintFactory.create(new ConstraintSpec.UnitNorm(1, false)));
        assertArrayEquals(new int[] {1}, unit.getDimensions());
        assertInstanceOf(NonNegativeConstraint.class, ConstraintFactory.create(new ConstraintSpec.NonNegative(true)));
    }

    @Test
    void constrainedConfigurationSurvivesDl4jJsonAndStillConstrainsAtRate() {
        MultiLayerConfiguration conf = NetworkFactory.configuration(TestSpecs.seedWith(
                "{'constraint': {'type': 'min_max_norm', 'min': 2, 'max': 3, 'rate': 0.5, 'biases': true}}"));
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        for (BaseLayer l : TestSpecs.layers(back)) {
            List<LayerConstraint> cs = l.getConstraints();
            assertEquals(2, cs.size());
            assertEquals(Set.of(Set.of("W"), Set.of("b")), Set.of(cs.get(0).getParams(), cs.get(1).getParams()));
            MinMaxNormConstraint c = assertInstanceOf(MinMaxNormConstraint.class, cs.get(0));
            INDArray w = columns().castTo(DataType.FLOAT);
            c.apply(w);
            assertMatrix(new double[][] {{2.4, 0.9, 1.5}, {3.2, 1.2, 2.0}}, w);
        }
    }
}
