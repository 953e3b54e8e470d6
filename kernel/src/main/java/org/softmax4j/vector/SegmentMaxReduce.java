package org.softmax4j.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaxReduce} on native-order floats in a {@link MemorySegment}, at any byte offset: the same accumulators
 * and reduction, so the same floats give the same max (and min). Offsets are in bytes.
 */
final class SegmentMaxReduce {
    private SegmentMaxReduce() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();
    private static final long VECTOR_BYTES = (long) L * Float.BYTES;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /**
     * {@link MaxReduce#maxAndMin} on a segment: the same three integer operations per vector on the float bits, so
     * the same max and min (NaN included) for the same floats. The rest, fewer than two vectors, is read through a
     * scratch copy (see {@link Tail}) with the lanes outside the row replaced by the row's last element.
     */
    static long maxAndMin(MemorySegment a, long offset, int length) {
        IntVector signedMax0 = IntVector.broadcast(I, Integer.MIN_VALUE);
        IntVector signedMin0 = IntVector.broadcast(I, Integer.MAX_VALUE);
        IntVector unsignedMax0 = IntVector.zero(I);
        IntVector signedMax1 = signedMax0;
        IntVector signedMin1 = signedMin0;
        IntVector unsignedMax1 = unsignedMax0;
        int i = 0;
        for (int end = length - 2 * L; i <= end; i += 2 * L) {
            long at = offset + (long) i * Float.BYTES;
            IntVector x0 = FloatVector.fromMemorySegment(F, a, at, NATIVE).viewAsIntegralLanes();
            IntVector x1 = FloatVector.fromMemorySegment(F, a, at + VECTOR_BYTES, NATIVE).viewAsIntegralLanes();
            signedMax0 = signedMax0.max(x0);
            signedMin0 = signedMin0.min(x0);
            unsignedMax0 = unsignedMax0.lanewise(VectorOperators.UMAX, x0);
            signedMax1 = signedMax1.max(x1);
            signedMin1 = signedMin1.min(x1);
            unsignedMax1 = unsignedMax1.lanewise(VectorOperators.UMAX, x1);
        }
        if (i < length) {
            float lastElement = a.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + (length - 1L) * Float.BYTES);
            IntVector last = IntVector.broadcast(I, Float.floatToRawIntBits(lastElement));
            for (; i < length; i += L) {
                int r = Math.min(L, length - i);
                float[] scratch = Tail.copyIn(a, offset + (long) i * Float.BYTES, r, Tail.SRC);
                IntVector x = FloatVector.fromArray(F, scratch, Tail.SRC, F.indexInRange(0, r)).viewAsIntegralLanes()
                        .blend(last, I.indexInRange(0, r).not());
                signedMax0 = signedMax0.max(x);
                signedMin0 = signedMin0.min(x);
                unsignedMax0 = unsignedMax0.lanewise(VectorOperators.UMAX, x);
            }
        }
        // reduced as in MaxReduce#maxAndMin (written out: a helper taking vectors is boxed wherever C2 declines to
        // inline it), then combined by its helper, which takes ints
        return MaxReduce.maxAndMinOfBits(signedMax0.max(signedMax1).reduceLanes(VectorOperators.MAX),
                signedMin0.min(signedMin1).reduceLanes(VectorOperators.MIN),
                unsignedMax0.lanewise(VectorOperators.UMAX, unsignedMax1)
                        .lanewise(VectorOperators.XOR, Integer.MIN_VALUE).reduceLanes(VectorOperators.MAX)
                        ^ Integer.MIN_VALUE);
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
