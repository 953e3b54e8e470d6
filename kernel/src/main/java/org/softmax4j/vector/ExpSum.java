package org.softmax4j.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp(x - max) over a row, stored, and its sum (XNNPACK's "raddstoreexpminusmax"). Four independent exp chains
 * per iteration keep the FMA units busy. Each exp vector is widened into double lanes before it is added
 * ({@link WideSum}): float lanes would round every addition, and a lane that holds the max's 1.0 loses up to half
 * an ulp of 1 per term added, which measured 2 ulp of the sum and 3.02 ulp in an output. Widening costs about 5
 * operations per vector, and makes the sum the exact sum of the stored floats up to double rounding.
 * The tail is one masked vector.
 */
final class ExpSum {
    private ExpSum() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    /** Stores exp(src[i] - max) into dst and returns their sum. */
    static double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        DoubleVector t0 = WideSum.zero();
        DoubleVector t1 = t0;
        DoubleVector t2 = t0;
        DoubleVector t3 = t0;
        int i = 0;
        for (int end = length - 4 * L; i <= end; i += 4 * L) {
            FloatVector e0 = ExpVector.expOfNonPositive(FloatVector.fromArray(F, src, srcOffset + i).sub(vmax));
            FloatVector e1 = ExpVector.expOfNonPositive(FloatVector.fromArray(F, src, srcOffset + i + L).sub(vmax));
            FloatVector e2 = ExpVector.expOfNonPositive(FloatVector.fromArray(F, src, srcOffset + i + 2 * L).sub(vmax));
            FloatVector e3 = ExpVector.expOfNonPositive(FloatVector.fromArray(F, src, srcOffset + i + 3 * L).sub(vmax));
            e0.intoArray(dst, dstOffset + i);
            e1.intoArray(dst, dstOffset + i + L);
            e2.intoArray(dst, dstOffset + i + 2 * L);
            e3.intoArray(dst, dstOffset + i + 3 * L);
            t0 = WideSum.add(t0, e0);
            t1 = WideSum.add(t1, e1);
            t2 = WideSum.add(t2, e2);
            t3 = WideSum.add(t3, e3);
        }
        for (; i <= length - L; i += L) {
            FloatVector e = ExpVector.expOfNonPositive(FloatVector.fromArray(F, src, srcOffset + i).sub(vmax));
            e.intoArray(dst, dstOffset + i);
            t0 = WideSum.add(t0, e);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            FloatVector e = ExpVector.expOfNonPositive(FloatVector.fromArray(F, src, srcOffset + i, tail).sub(vmax));
            e.intoArray(dst, dstOffset + i, tail);
            t1 = WideSum.add(t1, FloatVector.zero(F).blend(e, tail));
        }
        return WideSum.sumLanes(t0.add(t1).add(t2.add(t3)));
    }
}
