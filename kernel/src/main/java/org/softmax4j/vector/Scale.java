package org.softmax4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The normalize passes: multiply by a constant (softmax) and subtract two constants (log-softmax). Memory-bound;
 * C2 unrolls these loops itself since no value is carried between iterations. The tail is one masked vector (a
 * masked load and store; AVX-512 masks, AVX2 vmaskmov): these loops are small enough that it costs C2 nothing to
 * compile; it was not timed against a scalar tail.
 */
final class Scale {
    private Scale() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    /**
     * a[i] *= factor with one rounding from the double factor: factor = hi + lo (48 bits), and
     * fma(a, hi, a*lo) rounds a*(hi+lo) once (a*lo is 2^-24 of the result, so its own rounding is negligible).
     * Multiplying by (float)(1/sum) instead would add up to 0.5 ulp to every element.
     */
    static void scale(float[] a, int offset, int length, double factor) {
        float hiScalar = (float) factor;
        FloatVector hi = FloatVector.broadcast(F, hiScalar);
        FloatVector lo = FloatVector.broadcast(F, (float) (factor - hiScalar));
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            FloatVector v = FloatVector.fromArray(F, a, offset + i);
            v.fma(hi, v.mul(lo)).intoArray(a, offset + i);
        }
        if (i < length) {
            int end = offset + length;
            if (end >= L) {  // the whole vector that ends where the row ends; only its last lanes stored (see Tail)
                FloatVector v = FloatVector.fromArray(F, a, end - L);
                v.fma(hi, v.mul(lo)).intoArray(a, end - L, F.indexInRange(0, L - (length - i)).not());
            } else {
                VectorMask<Float> tail = F.indexInRange(i, length);
                float[] scratch = Tail.copyIn(a, offset + i, length - i, Tail.DST);
                FloatVector v = FloatVector.fromArray(F, scratch, Tail.DST, tail);
                v.fma(hi, v.mul(lo)).intoArray(scratch, Tail.DST, tail);
                Tail.copyOut(scratch, a, offset + i, length - i);
            }
        }
    }

    /** dst[i] = (src[i] - max) - logSum. */
    static void subtractMaxAndLogSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length,
                                     float max, float logSum) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        FloatVector vlog = FloatVector.broadcast(F, logSum);
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            FloatVector.fromArray(F, src, srcOffset + i).sub(vmax).sub(vlog).intoArray(dst, dstOffset + i);
        }
        if (i < length) {
            int srcEnd = srcOffset + length;
            int dstEnd = dstOffset + length;
            if (srcEnd >= L && dstEnd >= L) {  // whole vectors that end where the rows end (see Tail)
                FloatVector.fromArray(F, src, srcEnd - L).sub(vmax).sub(vlog)
                        .intoArray(dst, dstEnd - L, F.indexInRange(0, L - (length - i)).not());
                return;
            }
            VectorMask<Float> tail = F.indexInRange(i, length);
            float[] from = src;
            int at = srcOffset + i;
            if (Tail.overhangs(from, at)) {  // keep the masked load and store in range: see Tail
                from = Tail.copyIn(src, at, length - i, Tail.SRC);
                at = Tail.SRC;
            }
            FloatVector y = FloatVector.fromArray(F, from, at, tail).sub(vmax).sub(vlog);
            if (Tail.overhangs(dst, dstOffset + i)) {
                float[] scratch = Tail.scratch();
                y.intoArray(scratch, Tail.DST, tail);
                Tail.copyOut(scratch, dst, dstOffset + i, length - i);
            } else {
                y.intoArray(dst, dstOffset + i, tail);
            }
        }
    }
}
