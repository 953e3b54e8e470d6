package org.softmax4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The maximum of a row. Four accumulators hide the latency of a lane-wise max (a compare and blends on x86,
 * to follow {@link Math#max}: NaN wins, so a NaN anywhere in the row makes the result NaN). Lanes are reduced
 * once per row; max is exact and order-free, so the result does not depend on the lane width.
 */
final class MaxReduce {
    private MaxReduce() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    static float max(float[] a, int offset, int length) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        FloatVector m2 = m0;
        FloatVector m3 = m0;
        int i = 0;
        for (int end = length - 4 * L; i <= end; i += 4 * L) {
            m0 = m0.max(FloatVector.fromArray(F, a, offset + i));
            m1 = m1.max(FloatVector.fromArray(F, a, offset + i + L));
            m2 = m2.max(FloatVector.fromArray(F, a, offset + i + 2 * L));
            m3 = m3.max(FloatVector.fromArray(F, a, offset + i + 3 * L));
        }
        for (int end = length - L; i <= end; i += L) {
            m0 = m0.max(FloatVector.fromArray(F, a, offset + i));
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            m1 = m1.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, a, offset + i, tail), tail);
        }
        return m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    }
}
