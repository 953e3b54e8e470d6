package org.softmax4j.vector;

import java.lang.foreign.MemorySegment;
import org.softmax4j.SegmentSoftmaxKernel;
import org.softmax4j.SoftmaxKernel;

/**
 * The Vector API kernel on memory segments: the segment twins of {@link VectorKernel}'s microkernels, on the same
 * species. Loaded reflectively by the segment facade only when the facade runs the vector kernel. Its short rows go
 * through {@link ShortRow} on a scratch copy, so they match the array facade without another copy of the exp
 * polynomial.
 */
public final class VectorSegmentKernel implements SegmentSoftmaxKernel {
    private static final VectorSegmentKernel INSTANCE = new VectorSegmentKernel();

    private VectorSegmentKernel() {}

    /** The segment kernel for the species chosen by {@code Lanes}, twin of {@link VectorKernel#create()}. */
    public static SegmentSoftmaxKernel create() {
        return INSTANCE;
    }

    @Override
    public SoftmaxKernel arrayKernel() {
        return VectorKernel.create();
    }

    @Override
    public boolean softmaxOfShortRow(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                     int length) {
        return ShortRow.softmax(src, srcOffset, dst, dstOffset, length);
    }

    @Override
    public float max(MemorySegment a, long offset, int length) {
        return SegmentMaxReduce.max(a, offset, length);
    }

    @Override
    public long maxAndMin(MemorySegment a, long offset, int length) {
        return SegmentMaxReduce.maxAndMin(a, offset, length);
    }

    @Override
    public double storeExpMinusMaxAndSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                         int length, float max, float min) {
        return SegmentExpSum.storeExpMinusMaxAndSum(src, srcOffset, dst, dstOffset, length, max, min);
    }

    @Override
    public double logSumExpMinusMax(MemorySegment src, long srcOffset, int length, float max) {
        return SegmentLogSumExp.logSumExpMinusMax(src, srcOffset, length, max);
    }

    @Override
    public void scale(MemorySegment a, long offset, int length, double factor) {
        SegmentScale.scale(a, offset, length, factor);
    }

    @Override
    public void subtractMaxAndLogSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                                     float max, float logSum) {
        SegmentScale.subtractMaxAndLogSum(src, srcOffset, dst, dstOffset, length, max, logSum);
    }
}
