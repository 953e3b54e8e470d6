package org.softmax4j.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaxReduce} on native-order floats in a {@link MemorySegment}, at any byte offset: the same accumulators,
 * tail and reduction, so the same floats give the same max. Offsets are in bytes.
 */
final class SegmentMaxReduce {
    private SegmentMaxReduce() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();
    private static final long VECTOR_BYTES = (long) L * Float.BYTES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** {@link MaxReduce#maxIgnoringNaN} on a segment. */
    static float maxIgnoringNaN(MemorySegment a, long offset, int length) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        if (length >= 4 * L) {
            FloatVector m1 = m0;
            FloatVector m2 = m0;
            FloatVector m3 = m0;
            for (int end = length - 4 * L; i <= end; i += 4 * L) {
                long at = offset + (long) i * Float.BYTES;
                FloatVector x0 = FloatVector.fromMemorySegment(F, a, at, NATIVE);
                FloatVector x1 = FloatVector.fromMemorySegment(F, a, at + VECTOR_BYTES, NATIVE);
                FloatVector x2 = FloatVector.fromMemorySegment(F, a, at + 2 * VECTOR_BYTES, NATIVE);
                FloatVector x3 = FloatVector.fromMemorySegment(F, a, at + 3 * VECTOR_BYTES, NATIVE);
                m0 = m0.blend(x0, m0.compare(VectorOperators.LT, x0));
                m1 = m1.blend(x1, m1.compare(VectorOperators.LT, x1));
                m2 = m2.blend(x2, m2.compare(VectorOperators.LT, x2));
                m3 = m3.blend(x3, m3.compare(VectorOperators.LT, x3));
            }
            m0 = m0.blend(m1, m0.compare(VectorOperators.LT, m1));
            m2 = m2.blend(m3, m2.compare(VectorOperators.LT, m3));
            m0 = m0.blend(m2, m0.compare(VectorOperators.LT, m2));
        }
        for (int end = length - L; i <= end; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(F, a, offset + (long) i * Float.BYTES, NATIVE);
            m0 = m0.blend(x, m0.compare(VectorOperators.LT, x));
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            float[] scratch = Tail.copyIn(a, offset + (long) i * Float.BYTES, length - i, Tail.SRC);  // see Tail
            FloatVector x = FloatVector.fromArray(F, scratch, Tail.SRC, tail);
            m0 = m0.blend(x, m0.compare(VectorOperators.LT, x).and(tail));
        }
        // the largest lane, written out in each method as in MaxReduce (a helper taking a vector is boxed wherever
        // C2 declines to inline it)
        IntVector bits = m0.viewAsIntegralLanes();
        IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF));
        int key = keys.reduceLanes(VectorOperators.MAX);
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));  // the key map is its own inverse
    }

    /** {@link MaxReduce#max} on a segment: NaN if any element is NaN. */
    static float max(MemorySegment a, long offset, int length) {
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        if (length >= 4 * L) {
            FloatVector m1 = m0;
            FloatVector m2 = m0;
            FloatVector m3 = m0;
            for (int end = length - 4 * L; i <= end; i += 4 * L) {
                long at = offset + (long) i * Float.BYTES;
                m0 = m0.max(FloatVector.fromMemorySegment(F, a, at, NATIVE));
                m1 = m1.max(FloatVector.fromMemorySegment(F, a, at + VECTOR_BYTES, NATIVE));
                m2 = m2.max(FloatVector.fromMemorySegment(F, a, at + 2 * VECTOR_BYTES, NATIVE));
                m3 = m3.max(FloatVector.fromMemorySegment(F, a, at + 3 * VECTOR_BYTES, NATIVE));
            }
            m0 = m0.max(m1).max(m2.max(m3));
        }
        for (int end = length - L; i <= end; i += L) {
            m0 = m0.max(FloatVector.fromMemorySegment(F, a, offset + (long) i * Float.BYTES, NATIVE));
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            float[] scratch = Tail.copyIn(a, offset + (long) i * Float.BYTES, length - i, Tail.SRC);  // see Tail
            m0 = m0.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, scratch, Tail.SRC, tail), tail);
        }
        if (m0.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        // the largest lane, written out in each method as in MaxReduce (a helper taking a vector is boxed wherever
        // C2 declines to inline it)
        IntVector bits = m0.viewAsIntegralLanes();
        IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF));
        int key = keys.reduceLanes(VectorOperators.MAX);
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));  // the key map is its own inverse
    }
}
