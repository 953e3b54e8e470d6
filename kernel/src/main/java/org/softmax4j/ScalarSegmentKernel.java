package org.softmax4j;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link ScalarKernel} on native-order floats in a {@link MemorySegment}, read and written with
 * {@link ValueLayout#JAVA_FLOAT_UNALIGNED} at any byte offset: the same loops and {@link ExpPolynomial}, so every
 * result is bitwise the scalar kernel's for the same floats.
 */
final class ScalarSegmentKernel implements SegmentSoftmaxKernel {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final ScalarKernel arrayKernel;

    ScalarSegmentKernel(ScalarKernel arrayKernel) {
        this.arrayKernel = arrayKernel;
    }

    @Override
    public SoftmaxKernel arrayKernel() {
        return arrayKernel;
    }

    private static float get(MemorySegment a, long offset, int i) {
        return a.get(FLOAT, offset + (long) i * Float.BYTES);
    }

    private static void set(MemorySegment a, long offset, int i, float value) {
        a.set(FLOAT, offset + (long) i * Float.BYTES, value);
    }

    /** None: the scalar kernel has no short-row path ({@link ScalarKernel#shortRowLength} is 0). */
    @Override
    public boolean softmaxOfShortRow(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                     int length) {
        return false;
    }

    @Override
    public float max(MemorySegment a, long offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, get(a, offset, i));
        }
        return max;
    }

    @Override
    public long maxAndMin(MemorySegment a, long offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            float x = get(a, offset, i);
            max = x > max ? x : max;
            min = x < min ? x : min;
        }
        return SoftmaxKernel.packMaxAndMin(Float.floatToRawIntBits(max), Float.floatToRawIntBits(min));
    }

    @Override
    public double storeExpMinusMaxAndSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                         int length, float max, float min) {  // min: only a hint for the vector kernel
        double sum = 0;
        for (int i = 0; i < length; i++) {
            float e = ExpPolynomial.exp(get(src, srcOffset, i) - max);
            set(dst, dstOffset, i, e);
            sum += e;
        }
        return sum;
    }

    @Override
    public double logSumExpMinusMax(MemorySegment src, long srcOffset, int length, float max) {
        int maxCount = 0;
        double belowMax = 0;
        for (int i = 0; i < length; i++) {
            float x = get(src, srcOffset, i);
            if (x == max) {
                maxCount++;
            } else {
                belowMax += ExpPolynomial.exactExpMinusMaxTimes2To64(x, max);
            }
        }
        return SoftmaxKernel.logOfSum(maxCount, belowMax * 0x1p-64);
    }

    @Override
    public void scale(MemorySegment a, long offset, int length, double factor) {
        float hi = (float) factor;  // as ScalarKernel.scale: one rounding of a * factor
        float lo = (float) (factor - hi);
        for (int i = 0; i < length; i++) {
            float x = get(a, offset, i);
            set(a, offset, i, Math.fma(x, hi, x * lo));
        }
    }

    @Override
    public void subtractMaxAndLogSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                                     float max, float logSum) {
        for (int i = 0; i < length; i++) {
            set(dst, dstOffset, i, (get(src, srcOffset, i) - max) - logSum);
        }
    }
}
