package org.softmax4j;

import java.lang.foreign.MemorySegment;

/**
 * {@link TwoPassSoftmax} on memory segments: the same chunks, rescaling and correction through the
 * {@link SegmentSoftmaxKernel} twins, so a row gives bitwise the array path's output. Offsets are in bytes. Taken
 * where the array facade takes two passes ({@link TwoPassSoftmax#MIN_LENGTH}, {@link TwoPassSoftmax#paysOn}).
 */
final class SegmentTwoPassSoftmax {
    private SegmentTwoPassSoftmax() {}

    /** TwoPassSoftmax's chunk: 4096 floats. */
    private static final int CHUNK = 4096;
    /** TwoPassSoftmax's tolerance between the two passes' sums before the outputs are corrected. */
    private static final double SUM_TOLERANCE = 0x1p-26;

    /**
     * Writes the softmax of a finite row and returns its max; returns the max without writing anything when it is
     * NaN or infinite, as {@link TwoPassSoftmax#softmax} does.
     */
    static float softmax(SegmentSoftmaxKernel kernel, MemorySegment src, long srcOffset, MemorySegment dst,
                         long dstOffset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        double sum = 0;
        for (int start = 0, chunk; start < length; start += chunk) {
            chunk = Math.min(CHUNK, length - start);
            long srcChunk = srcOffset + (long) start * Float.BYTES;
            double chunkSum = max == Float.NEGATIVE_INFINITY ? Double.NaN
                    : kernel.sumExpMinusMax(src, srcChunk, chunk, max);
            if (Double.isNaN(chunkSum)) {
                float chunkMax = kernel.max(src, srcChunk, chunk);
                if (Float.isNaN(chunkMax)) {
                    return chunkMax;
                }
                if (chunkMax == Float.POSITIVE_INFINITY) {
                    return kernel.max(src, srcOffset, length);
                }
                if (chunkMax == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                sum *= StrictMath.exp((double) max - chunkMax);
                max = chunkMax;
                chunkSum = kernel.sumExpMinusMax(src, srcChunk, chunk, max);
            }
            sum += chunkSum;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return max;
        }
        double scale = 1.0 / sum;
        double exactShiftSum = 0;
        for (int start = 0, chunk; start < length; start += chunk) {
            chunk = Math.min(CHUNK, length - start);
            long srcChunk = srcOffset + (long) start * Float.BYTES;
            long dstChunk = dstOffset + (long) start * Float.BYTES;
            exactShiftSum += kernel.storeExpMinusMaxAndSum(src, srcChunk, dst, dstChunk, chunk, max);
            kernel.scale(dst, dstChunk, chunk, scale);
        }
        if (Math.abs(exactShiftSum - sum) > sum * SUM_TOLERANCE) {
            kernel.scale(dst, dstOffset, length, sum / exactShiftSum);
        }
        return max;
    }
}
