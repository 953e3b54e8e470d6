package org.softmax4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The maximum of a row, by {@link Math#max} semantics: NaN anywhere makes it NaN, and +0.0 beats -0.0. Four
 * accumulators hide the latency of the lane-wise max (a compare and blends on x86) on long rows; the tail is one
 * masked vector (not timed against a scalar tail).
 *
 * <p>The lanes are reduced once per row, and not by {@code reduceLanes(MAX)}: with Math.max semantics C2 reduces
 * with a compare-and-blend per step, which made the max 15 ns of a 40 ns softmax of 16 floats. Instead: one NaN
 * test, then an integer max over keys that order like the floats (the magnitude bits flipped for negative values,
 * so -0.0 orders below +0.0); integer max is one instruction per step and exact.
 */
final class MaxReduce {
    private MaxReduce() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    static float max(float[] a, int offset, int length) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        if (length >= 4 * L) {
            FloatVector m1 = m0;
            FloatVector m2 = m0;
            FloatVector m3 = m0;
            for (int end = length - 4 * L; i <= end; i += 4 * L) {
                m0 = m0.max(FloatVector.fromArray(F, a, offset + i));
                m1 = m1.max(FloatVector.fromArray(F, a, offset + i + L));
                m2 = m2.max(FloatVector.fromArray(F, a, offset + i + 2 * L));
                m3 = m3.max(FloatVector.fromArray(F, a, offset + i + 3 * L));
            }
            m0 = m0.max(m1).max(m2.max(m3));
        }
        for (int end = length - L; i <= end; i += L) {
            m0 = m0.max(FloatVector.fromArray(F, a, offset + i));
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            m0 = m0.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, a, offset + i, tail), tail);
        }
        if (m0.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        IntVector bits = m0.viewAsIntegralLanes();
        IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF));
        int key = keys.reduceLanes(VectorOperators.MAX);
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));  // the key map is its own inverse
    }
}
