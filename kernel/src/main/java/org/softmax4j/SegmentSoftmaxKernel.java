package org.softmax4j;

import java.lang.foreign.MemorySegment;

/**
 * The row-level operations of {@link SoftmaxKernel} on native-order float32 in a {@link MemorySegment}, for
 * {@link SegmentSoftmax}. Internal: public only so that {@code org.softmax4j.vector} can implement it; not part of
 * the supported API.
 *
 * <p>Each operation is the twin of the {@link SoftmaxKernel} operation of the same name on its
 * {@link #arrayKernel()}: the same loops and the same operations in the same order, so the same floats give bitwise
 * the same results (and the segment paths bitwise the array facade's outputs). Offsets are in <b>bytes</b> and may
 * have any alignment; arguments are already checked by the facade (bounds, overlap, a writable dst, a live segment
 * on a thread that may access it).
 */
public interface SegmentSoftmaxKernel {

    /** The array kernel this one twins: same lanes, same bits. */
    SoftmaxKernel arrayKernel();

    /**
     * {@link SoftmaxKernel#softmaxOfShortRow} on segments, for rows of {@code 1..arrayKernel().shortRowLength()}
     * elements: the same bits, false (nothing written) for the same special rows.
     */
    boolean softmaxOfShortRow(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length);

    /** {@link SoftmaxKernel#max} on a segment. */
    float max(MemorySegment a, long offset, int length);

    /** {@link SoftmaxKernel#maxAndMin} on a segment (read with {@link SoftmaxKernel#maxOf} and {@code minOf}). */
    long maxAndMin(MemorySegment a, long offset, int length);

    /** {@link SoftmaxKernel#storeExpMinusMaxAndSum} on segments. */
    double storeExpMinusMaxAndSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                                  float max, float min);

    /** {@link SoftmaxKernel#logSumExpMinusMax} on a segment. */
    double logSumExpMinusMax(MemorySegment src, long srcOffset, int length, float max);

    /** {@link SoftmaxKernel#scale} on a segment. */
    void scale(MemorySegment a, long offset, int length, double factor);

    /** {@link SoftmaxKernel#subtractMaxAndLogSum} on segments. */
    void subtractMaxAndLogSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                              float max, float logSum);
}
