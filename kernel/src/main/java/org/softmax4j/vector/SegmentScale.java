package org.softmax4j.vector;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Scale}'s normalize passes on native-order floats in a {@link MemorySegment}, at any byte offset: the same
 * one-rounding multiply by a double factor and the same subtraction, element by element, so the results are
 * bitwise those of {@link Scale}. Offsets are in bytes.
 */
final class SegmentScale {
    private SegmentScale() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** {@link Scale#scale} on a segment: a[i] *= factor, rounded once. */
    static void scale(MemorySegment a, long offset, int length, double factor) {
        float hiScalar = (float) factor;
        FloatVector hi = FloatVector.broadcast(F, hiScalar);
        FloatVector lo = FloatVector.broadcast(F, (float) (factor - hiScalar));
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            long at = offset + (long) i * Float.BYTES;
            FloatVector v = FloatVector.fromMemorySegment(F, a, at, NATIVE);
            v.fma(hi, v.mul(lo)).intoMemorySegment(a, at, NATIVE);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            long at = offset + (long) i * Float.BYTES;
            float[] scratch = Tail.copyIn(a, at, length - i, Tail.SRC);  // see Tail
            FloatVector v = FloatVector.fromArray(F, scratch, Tail.SRC, tail);
            v.fma(hi, v.mul(lo)).intoArray(scratch, Tail.DST, tail);
            Tail.copyOut(scratch, a, at, length - i);
        }
    }

    /** {@link Scale#subtractMaxAndLogSum} on segments: dst[i] = (src[i] - max) - logSum. */
    static void subtractMaxAndLogSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                                     float max, float logSum) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        FloatVector vlog = FloatVector.broadcast(F, logSum);
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            FloatVector.fromMemorySegment(F, src, srcOffset + (long) i * Float.BYTES, NATIVE).sub(vmax).sub(vlog)
                    .intoMemorySegment(dst, dstOffset + (long) i * Float.BYTES, NATIVE);
        }
        if (i < length) {
            VectorMask<Float> tail = F.indexInRange(i, length);
            float[] scratch = Tail.copyIn(src, srcOffset + (long) i * Float.BYTES, length - i, Tail.SRC);  // see Tail
            FloatVector.fromArray(F, scratch, Tail.SRC, tail).sub(vmax).sub(vlog).intoArray(scratch, Tail.DST, tail);
            Tail.copyOut(scratch, dst, dstOffset + (long) i * Float.BYTES, length - i);
        }
    }
}
