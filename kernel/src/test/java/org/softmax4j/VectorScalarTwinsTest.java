package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.softmax4j.vector.VectorKernel;

/**
 * The vector kernel against its scalar twin, operation by operation, at every length around the lane width and
 * at odd offsets (vector loops, scalar tails, masked tails). Both evaluate the same exp polynomial with the same
 * operations, so exp, scaled exp, scale and subtract must agree bitwise; the sums, both double sums of the same
 * floats, differ only in addition order.
 */
class VectorScalarTwinsTest {
    private static final SoftmaxKernel VECTOR = VectorKernel.create();
    private static final SoftmaxKernel SCALAR = ScalarKernel.INSTANCE;
    private static final int LANES = VectorKernel.floatLanes();

    @RepeatedTest(20)
    void everyOperationAgreesAtLengthsAroundTheLaneWidth() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 1; n <= 9 * LANES + 3; n++) {
            int offset = random.nextInt(LANES + 1);
            float[] src = Rows.values()[random.nextInt(Rows.values().length)].row(random.nextLong(), offset + n);
            String where = "n=" + n + " offset=" + offset + " seed=" + seed + " lanes=" + LANES;

            float max = SCALAR.max(src, offset, n);
            assertEquals(max, VECTOR.max(src, offset, n), "max " + where);
            if (!Float.isFinite(max)) {
                continue;
            }
            float[] expScalar = new float[n];
            float[] expVector = new float[n];
            double sumScalar = SCALAR.storeExpMinusMaxAndSum(src, offset, expScalar, 0, n, max, 1.0);
            double sumVector = VECTOR.storeExpMinusMaxAndSum(src, offset, expVector, 0, n, max, 1.0);
            assertArrayEquals(expScalar, expVector, "exp " + where);
            assertEquals(sumScalar, sumVector, sumScalar * 0x1p-40, "sum " + where);
            assertEquals(sumVector, VECTOR.sumExpMinusMax(src, offset, n, max), sumScalar * 0x1p-40, "sum only " + where);
            assertEquals(sumScalar, SCALAR.sumExpMinusMax(src, offset, n, max), 0.0, "scalar sum only " + where);
            double logSumScalar = SCALAR.logSumExpMinusMax(src, offset, n, max);
            double logSumVector = VECTOR.logSumExpMinusMax(src, offset, n, max);
            assertEquals(logSumScalar, logSumVector, Math.abs(logSumScalar) * 0x1p-40, "log sum " + where);

            double someScale = 1 / (sumScalar + 0.3);
            float[] scaledScalar = new float[n];
            float[] scaledVector = new float[n];
            SCALAR.storeExpMinusMaxAndSum(src, offset, scaledScalar, 0, n, max, someScale);
            VECTOR.storeExpMinusMaxAndSum(src, offset, scaledVector, 0, n, max, someScale);
            assertArrayEquals(scaledScalar, scaledVector, "scaled exp " + where);

            // sumExpMinusMax watches for an element above the assumed max, at every position
            int above = random.nextInt(n);
            float saved = src[offset + above];
            src[offset + above] = Math.nextUp(max);
            assertEquals(Double.NaN, VECTOR.sumExpMinusMax(src, offset, n, max), "above max at " + above + " " + where);
            assertEquals(Double.NaN, SCALAR.sumExpMinusMax(src, offset, n, max), "scalar above max " + where);
            src[offset + above] = saved;

            VECTOR.scale(expVector, 0, n, 1 / sumScalar);
            SCALAR.scale(expScalar, 0, n, 1 / sumScalar);
            assertArrayEquals(expScalar, expVector, "scale " + where);

            float logSum = (float) Math.log(sumScalar);
            float[] logScalar = new float[n];
            float[] logVector = new float[n];
            SCALAR.subtractMaxAndLogSum(src, offset, logScalar, 0, n, max, logSum);
            VECTOR.subtractMaxAndLogSum(src, offset, logVector, 0, n, max, logSum);
            assertArrayEquals(logScalar, logVector, "log " + where);
        }
    }

    @RepeatedTest(5)
    void maxFollowsMathMaxForNaNAndSignedZeroAtEveryPosition() {
        for (int n = 1; n <= 4 * LANES + 3; n++) {
            for (int at = 0; at < n; at++) {
                float[] a = new float[n];
                java.util.Arrays.fill(a, -0.0f);
                a[at] = 0.0f;
                assertEquals(0.0f, VECTOR.max(a, 0, n), "+0 beats -0: n=" + n + " at=" + at);
                assertEquals(Float.floatToIntBits(0.0f), Float.floatToIntBits(VECTOR.max(a, 0, n)));
                a[at] = Float.NaN;
                assertEquals(Float.NaN, VECTOR.max(a, 0, n), "NaN wins: n=" + n + " at=" + at);
            }
        }
    }
}
