package org.softmax4j.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.SoftmaxKernel;

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
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    /**
     * The softmax's max pass: the row's max and min in one pass, packed as
     * {@link org.softmax4j.SoftmaxKernel#maxAndMin} says, by three integer operations per vector on the float bits,
     * which order like the floats where the signs agree. The signed max of the bits is the max when any element is
     * +0.0 or above (a positive NaN wins it, so then the max is NaN); when every element is negative their signed
     * min is the max (the smallest magnitude), and when none is, the min. The unsigned max of the bits is the min
     * when any element is negative (the largest magnitude; a negative NaN wins it, so then the min is NaN). Integer
     * max and min are one instruction each, against the float compare and blend that found the max alone before
     * (and still do in the fused max pass): JMH PassBenchmark, Zen 4, ns/element at 1024 / 4096 floats, 512 bits
     * 0.037 / 0.032 against 0.040 / 0.036 (3 forks), 256 bits 0.040 / 0.035 against 0.052 / 0.050 (one fork). Its
     * min lets the exp loop skip its underflow test.
     */
    static long maxAndMin(float[] a, int offset, int length) {
        IntVector signedMax0 = IntVector.broadcast(I, Integer.MIN_VALUE);
        IntVector signedMin0 = IntVector.broadcast(I, Integer.MAX_VALUE);
        IntVector unsignedMax0 = IntVector.zero(I);
        IntVector signedMax1 = signedMax0;
        IntVector signedMin1 = signedMin0;
        IntVector unsignedMax1 = unsignedMax0;
        int i = 0;
        for (int end = length - 2 * L; i <= end; i += 2 * L) {
            IntVector x0 = FloatVector.fromArray(F, a, offset + i).viewAsIntegralLanes();
            IntVector x1 = FloatVector.fromArray(F, a, offset + i + L).viewAsIntegralLanes();
            signedMax0 = signedMax0.max(x0);
            signedMin0 = signedMin0.min(x0);
            unsignedMax0 = unsignedMax0.lanewise(VectorOperators.UMAX, x0);
            signedMax1 = signedMax1.max(x1);
            signedMin1 = signedMin1.min(x1);
            unsignedMax1 = unsignedMax1.lanewise(VectorOperators.UMAX, x1);
        }
        if (i < length) {
            // the rest, at most two vectors: each read as the whole vector that ends where its elements end, with
            // the lanes outside the row replaced by the row's last element (max and min ignore a repeated element)
            IntVector last = IntVector.broadcast(I, Float.floatToRawIntBits(a[offset + length - 1]));
            for (; i < length; i += L) {
                int r = Math.min(L, length - i);
                int end = offset + i + r;
                IntVector x;
                if (end >= L) {  // (see Tail)
                    x = FloatVector.fromArray(F, a, end - L).viewAsIntegralLanes()
                            .blend(last, I.indexInRange(0, L - r));
                } else {
                    VectorMask<Float> in = F.indexInRange(0, r);
                    x = FloatVector.fromArray(F, Tail.copyIn(a, offset + i, r, Tail.SRC), Tail.SRC, in)
                            .viewAsIntegralLanes().blend(last, I.indexInRange(0, r).not());
                }
                signedMax0 = signedMax0.max(x);
                signedMin0 = signedMin0.min(x);
                unsignedMax0 = unsignedMax0.lanewise(VectorOperators.UMAX, x);
            }
        }
        // the unsigned max reduced as a signed max of the bits with the sign bit flipped, the same order: a signed
        // reduction like the other two (an unsigned reduceLanes was not tried)
        return maxAndMinOfBits(signedMax0.max(signedMax1).reduceLanes(VectorOperators.MAX),
                signedMin0.min(signedMin1).reduceLanes(VectorOperators.MIN),
                unsignedMax0.lanewise(VectorOperators.UMAX, unsignedMax1)
                        .lanewise(VectorOperators.XOR, Integer.MIN_VALUE).reduceLanes(VectorOperators.MAX)
                        ^ Integer.MIN_VALUE);
    }

    /**
     * The row's max and min, packed, from the signed max, signed min and unsigned max of its float bits (see
     * {@link #maxAndMin}; {@link SegmentMaxReduce} reduces its vectors to the same three).
     */
    static long maxAndMinOfBits(int signedMax, int signedMin, int unsignedMax) {
        int max = signedMax >= 0 ? signedMax : signedMin;
        int min = unsignedMax < 0 ? unsignedMax : signedMin;
        return SoftmaxKernel.packMaxAndMin(max, min);
    }

    /**
     * The fused variants' max pass (see {@link org.softmax4j.SoftmaxKernel#storeScaledPlusMaskAndMax}): stores
     * {@code fma(scale, src, mask)} (or {@code scale * src}) and keeps the largest stored value that is not NaN
     * ({@code -inf} if there is none) by a compare and a blend per vector, which NaN never wins: the softmax finds
     * NaN anyway, as its exp sum. The {@code mask == null} test is loop-invariant, so C2 compiles the loop once with
     * and once without the mask load; the exp loop then reads the stored values from L1 and is not copied per
     * variant.
     */
    static float storeScaledPlusMaskAndMax(float[] src, int srcOffset, float scale, float[] mask, int maskOffset,
                                           float[] dst, int dstOffset, int length) {
        FloatVector vscale = FloatVector.broadcast(F, scale);
        FloatVector m0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (int end = length - 2 * L; i <= end; i += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(F, src, srcOffset + i);
            FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + i + L);
            if (mask == null) {
                x0 = x0.mul(vscale);
                x1 = x1.mul(vscale);
            } else {
                x0 = x0.fma(vscale, FloatVector.fromArray(F, mask, maskOffset + i));
                x1 = x1.fma(vscale, FloatVector.fromArray(F, mask, maskOffset + i + L));
            }
            x0.intoArray(dst, dstOffset + i);
            x1.intoArray(dst, dstOffset + i + L);
            m0 = m0.blend(x0, m0.compare(VectorOperators.LT, x0));
            m1 = m1.blend(x1, m1.compare(VectorOperators.LT, x1));
        }
        m0 = m0.blend(m1, m0.compare(VectorOperators.LT, m1));
        for (; i < length; i += L) {
            int r = Math.min(L, length - i);
            int srcEnd = srcOffset + i + r;
            int maskEnd = maskOffset + i + r;
            int dstEnd = dstOffset + i + r;
            if (srcEnd >= L && dstEnd >= L && (mask == null || maskEnd >= L)) {
                // whole vectors that end where the elements end; only the last r lanes are stored and kept (see Tail)
                VectorMask<Float> last = F.indexInRange(0, L - r).not();
                FloatVector x = FloatVector.fromArray(F, src, srcEnd - L);
                x = mask == null ? x.mul(vscale) : x.fma(vscale, FloatVector.fromArray(F, mask, maskEnd - L));
                x.intoArray(dst, dstEnd - L, last);
                m0 = m0.blend(x, m0.compare(VectorOperators.LT, x).and(last));
                continue;
            }
            VectorMask<Float> in = F.indexInRange(i, length);
            float[] from = src;
            int at = srcOffset + i;
            if (Tail.overhangs(from, at)) {  // keep masked loads and stores in range: see Tail
                from = Tail.copyIn(src, at, length - i, Tail.SRC);
                at = Tail.SRC;
            }
            FloatVector x = FloatVector.fromArray(F, from, at, in);
            if (mask == null) {
                x = x.mul(vscale);
            } else {
                float[] maskFrom = mask;
                int maskAt = maskOffset + i;
                if (Tail.overhangs(maskFrom, maskAt)) {
                    maskFrom = Tail.copyIn(mask, maskAt, length - i, Tail.SRC2);
                    maskAt = Tail.SRC2;
                }
                x = x.fma(vscale, FloatVector.fromArray(F, maskFrom, maskAt, in));
            }
            if (Tail.overhangs(dst, dstOffset + i)) {
                float[] scratch = Tail.scratch();
                x.intoArray(scratch, Tail.DST, in);
                Tail.copyOut(scratch, dst, dstOffset + i, length - i);
            } else {
                x.intoArray(dst, dstOffset + i, in);
            }
            m0 = m0.blend(x, m0.compare(VectorOperators.LT, x).and(in));
        }
        // the largest lane (no NaN lanes here), -0.0 below +0.0, by integer keys; written out in each method, not a
        // helper: a helper taking a vector is boxed wherever C2 declines to inline it (64 B per call, measured once
        // three callers shared one)
        IntVector bits = m0.viewAsIntegralLanes();
        IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF));
        int key = keys.reduceLanes(VectorOperators.MAX);
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));  // the key map is its own inverse
    }

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
            int end = offset + length;
            if (end >= L) {  // the whole vector that ends where the row ends, the lanes before the tail masked off
                m0 = m0.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, a, end - L),  // (see Tail)
                        F.indexInRange(0, L - (length - i)).not());
            } else {
                VectorMask<Float> tail = F.indexInRange(i, length);
                float[] scratch = Tail.copyIn(a, offset + i, length - i, Tail.SRC);
                m0 = m0.lanewise(VectorOperators.MAX, FloatVector.fromArray(F, scratch, Tail.SRC, tail), tail);
            }
        }
        if (m0.test(VectorOperators.IS_NAN).anyTrue()) {
            return Float.NaN;
        }
        // the largest lane (no NaN lanes here), -0.0 below +0.0, by integer keys; written out in each method, not a
        // helper: a helper taking a vector is boxed wherever C2 declines to inline it (64 B per call, measured once
        // three callers shared one)
        IntVector bits = m0.viewAsIntegralLanes();
        IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF));
        int key = keys.reduceLanes(VectorOperators.MAX);
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));  // the key map is its own inverse
    }
}
