package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.softmax4j.vector.VectorKernel;

/**
 * The training operations of the vector kernel against their scalar twins at every length around the lane width
 * and at odd offsets (vector loops and scalar tails): the element-wise ones evaluate the same double formula and
 * must agree bitwise, in place too; the sums are double sums of the same exact terms in another order, so they
 * agree to a few double roundings of the sum of magnitudes.
 */
class VectorScalarTrainingTwinsTest {
    private static final SoftmaxKernel VECTOR = VectorKernel.create();
    private static final SoftmaxKernel SCALAR = ScalarKernel.INSTANCE;
    private static final int LANES = VectorKernel.floatLanes();

    @RepeatedTest(20)
    void trainingOperationsAgreeAtLengthsAroundTheLaneWidth() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n <= 9 * LANES + 3; n++) {
            int aOffset = random.nextInt(LANES + 1);
            int bOffset = random.nextInt(LANES + 1);
            Rows rows = Rows.values()[random.nextInt(Rows.values().length)];
            float[] a = rows.row(random.nextLong(), aOffset + n);
            float[] b = Rows.NORMAL_0_3.row(random.nextLong(), bOffset + n);
            String where = rows + " n=" + n + " offsets=" + aOffset + "," + bOffset + " seed=" + seed + " lanes="
                    + LANES;

            double magnitude = 0;
            double absSum = 0;
            for (int i = 0; i < n; i++) {
                magnitude += Math.abs((double) a[aOffset + i] * b[bOffset + i]);
                absSum += Math.abs(a[aOffset + i]);
            }
            double dot = SCALAR.dotProduct(a, aOffset, b, bOffset, n);
            assertEquals(dot, VECTOR.dotProduct(a, aOffset, b, bOffset, n), magnitude * n * 0x1p-52, "dot " + where);
            double sum = SCALAR.sum(a, aOffset, n);
            assertEquals(sum, VECTOR.sum(a, aOffset, n), absSum * n * 0x1p-52, "sum " + where);

            double s = random.nextGaussian() * 10;
            float[] scalar = new float[n];
            float[] vector = new float[n + 1];
            SCALAR.subtractAndMultiply(a, aOffset, b, bOffset, scalar, 0, n, s);
            VECTOR.subtractAndMultiply(a, aOffset, b, bOffset, vector, 1, n, s);
            assertArrayEquals(scalar, java.util.Arrays.copyOfRange(vector, 1, n + 1), "subtractAndMultiply " + where);
            float[] inPlace = b.clone();
            VECTOR.subtractAndMultiply(a, aOffset, inPlace, bOffset, inPlace, bOffset, n, s);
            assertArrayEquals(scalar, java.util.Arrays.copyOfRange(inPlace, bOffset, bOffset + n), "in place " + where);

            SCALAR.subtractScaled(a, aOffset, b, bOffset, scalar, 0, n, s);
            VECTOR.subtractScaled(a, aOffset, b, bOffset, vector, 1, n, s);
            assertArrayEquals(scalar, java.util.Arrays.copyOfRange(vector, 1, n + 1), "subtractScaled " + where);
            inPlace = a.clone();
            VECTOR.subtractScaled(inPlace, aOffset, b, bOffset, inPlace, aOffset, n, s);
            assertArrayEquals(scalar, java.util.Arrays.copyOfRange(inPlace, aOffset, aOffset + n), "in place " + where);

            double factor = Math.abs(random.nextGaussian());
            float[] scalarScaled = a.clone();
            float[] vectorScaled = a.clone();
            SCALAR.scaleAndSubtract(scalarScaled, aOffset, n, factor, s);
            VECTOR.scaleAndSubtract(vectorScaled, aOffset, n, factor, s);
            assertArrayEquals(scalarScaled, vectorScaled, "scaleAndSubtract " + where);
        }
    }
}
