package org.softmax4j;

import java.lang.foreign.MemorySegment;

/**
 * {@link BlockedSoftmax} on memory segments: the same blocks of {@link BlockedSoftmax#BLOCK} floats, the same
 * per-block max, exp-store-and-sum and block factors, and the same normalize pass, through the
 * {@link SegmentSoftmaxKernel} twins, so a row gives bitwise the array path's output. Offsets are in bytes. Short
 * rows take the kernel's short-row path first, as {@link BlockedSoftmax} does.
 */
final class SegmentBlockedSoftmax {
    private SegmentBlockedSoftmax() {}

    private static final int BLOCK = BlockedSoftmax.BLOCK;
    private static final long BLOCK_BYTES = (long) BLOCK * Float.BYTES;

    /**
     * Writes the softmax of the row, or returns the index (in floats) of the first block from which the row is
     * special, exactly as {@link BlockedSoftmax#softmax} does; {@link BlockedSoftmax#DONE} when the row is written.
     */
    static int softmax(SegmentSoftmaxKernel kernel, MemorySegment src, long srcOffset, MemorySegment dst,
                       long dstOffset, int length) {
        if (length <= BLOCK) {
            if (length <= kernel.arrayKernel().shortRowLength()
                    && kernel.softmaxOfShortRow(src, srcOffset, dst, dstOffset, length)) {
                return BlockedSoftmax.DONE;
            }
            long maxAndMin = kernel.maxAndMin(src, srcOffset, length);
            float max = SoftmaxKernel.maxOf(maxAndMin);
            if (!Float.isFinite(max)) {
                return 0;
            }
            double sum = kernel.storeExpMinusMaxAndSum(src, srcOffset, dst, dstOffset, length, max,
                    SoftmaxKernel.minOf(maxAndMin));
            if (Double.isNaN(sum)) {
                SegmentSoftmax.fill(dst, dstOffset, length, Float.NaN);
            } else {
                kernel.scale(dst, dstOffset, length, 1.0 / sum);
            }
            return BlockedSoftmax.DONE;
        }
        int blocks = (length - 1) / BLOCK + 1;
        double[] scratch = BlockedSoftmax.scratch(2 * blocks);
        float max = Float.NEGATIVE_INFINITY;
        for (int b = 0, start = 0; b < blocks; b++, start += BLOCK) {
            int size = Math.min(BLOCK, length - start);
            long srcBlock = srcOffset + b * BLOCK_BYTES;
            long dstBlock = dstOffset + b * BLOCK_BYTES;
            long maxAndMin = kernel.maxAndMin(src, srcBlock, size);
            float blockMax = SoftmaxKernel.maxOf(maxAndMin);
            double blockSum = 0;
            if (blockMax == Float.NEGATIVE_INFINITY) {  // all -inf (masked), or a NaN among them not reported as max
                if (Float.isNaN(kernel.max(src, srcBlock, size))) {
                    return start;
                }
                SegmentSoftmax.fill(dst, dstBlock, size, 0f);
            } else if (blockMax != blockMax) {  // a NaN, reported as the max (maxAndMin, for a positive NaN)
                SegmentSoftmax.fill(dst, dstOffset, length, Float.NaN);
                return BlockedSoftmax.DONE;
            } else if (blockMax == Float.POSITIVE_INFINITY) {
                return start;
            } else {
                blockSum = kernel.storeExpMinusMaxAndSum(src, srcBlock, dst, dstBlock, size, blockMax,
                        SoftmaxKernel.minOf(maxAndMin));
                if (Double.isNaN(blockSum)) {
                    SegmentSoftmax.fill(dst, dstOffset, length, Float.NaN);
                    return BlockedSoftmax.DONE;
                }
                max = Math.max(max, blockMax);
            }
            scratch[2 * b] = blockMax;
            scratch[2 * b + 1] = blockSum;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return BlockedSoftmax.DONE;  // fully masked: every block is already 0
        }
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            double factor = BlockedSoftmax.blockFactor(scratch[2 * b], max);
            scratch[2 * b] = factor;
            sum += factor * scratch[2 * b + 1];
        }
        double inverse = 1.0 / sum;
        for (int b = 0, start = 0; b < blocks; b++, start += BLOCK) {
            // every block, even with factor 0 (see BlockedSoftmax)
            kernel.scale(dst, dstOffset + b * BLOCK_BYTES, Math.min(BLOCK, length - start), scratch[2 * b] * inverse);
        }
        return BlockedSoftmax.DONE;
    }
}
