package org.softmax4j.vector;

import static org.softmax4j.ExpPolynomial.SCALED_UNDERFLOW_CUTOFF;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.SoftmaxKernel;

/**
 * log Σ exp(x - max) for log-softmax, accurate relative to its own size (see
 * {@link SoftmaxKernel#logSumExpMinusMax}): the exact-shift exp of the terms below the max is widened into double
 * lanes vector by vector (as in {@link ExpSum}), and the terms equal to the max are counted apart, in float lanes
 * that move to double every block. The exp is scaled by
 * 2^64 so that terms down to 1e-57 count when the normalizer itself is near MIN_NORMAL. About 10 more operations
 * per vector than the softmax sum, and no store.
 */
final class LogSumExp {
    private LogSumExp() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();
    /** Vectors per float block: each lane counts at most 64, exactly (below 2^24). */
    private static final int BLOCK_VECTORS = 64;

    static double logSumExpMinusMax(float[] src, int srcOffset, int length, float max) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        FloatVector minusMax = FloatVector.broadcast(F, -max);
        FloatVector one = FloatVector.broadcast(F, 1f);
        DoubleVector belowMaxTotal = WideSum.zero();
        DoubleVector maxCountTotal = WideSum.zero();
        int i = 0;
        while (i < length) {
            int blockEnd = Math.min(length, i + BLOCK_VECTORS * L);
            FloatVector maxCount = FloatVector.zero(F);
            for (; i < blockEnd; i += L) {
                VectorMask<Float> inRow = F.indexInRange(i, length);
                FloatVector x = FloatVector.fromArray(F, src, srcOffset + i, inRow);
                FloatVector d = x.sub(vmax);
                VectorMask<Float> atMax = d.compare(VectorOperators.EQ, 0f).and(inRow);
                VectorMask<Float> live = d.compare(VectorOperators.GE, SCALED_UNDERFLOW_CUTOFF).and(inRow).andNot(atMax);
                FloatVector e = ExpVector.expOfNonPositiveTimes2To64(d);
                FloatVector err = roundingError(x, minusMax, d);
                belowMaxTotal = WideSum.add(belowMaxTotal, FloatVector.zero(F).blend(e.fma(err, e), live));
                maxCount = maxCount.add(one, atMax);
            }
            maxCountTotal = WideSum.add(maxCountTotal, maxCount);
        }
        return SoftmaxKernel.logOfSum(WideSum.sumLanes(maxCountTotal), WideSum.sumLanes(belowMaxTotal) * 0x1p-64);
    }

    /** Lane-wise {@link org.softmax4j.ExactShift#roundingError}: (x - max) - d exactly. */
    private static FloatVector roundingError(FloatVector x, FloatVector minusMax, FloatVector d) {
        FloatVector xPart = d.sub(minusMax);
        FloatVector maxPart = d.sub(xPart);
        return x.sub(xPart).add(minusMax.sub(maxPart));
    }
}
