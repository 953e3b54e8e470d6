package org.softmax4j;

import java.util.Arrays;

/**
 * Softmax of a finite-or-special row of any length, in blocks that fit L1: per block, its max,
 * then {@code exp(x - blockMax)} stored and summed while the block is still in L1; at the end each block is
 * multiplied by {@code exp(blockMax - max) / Σ}, computed once per block in double. One exp per element, and the
 * row goes through L2 (or memory) twice instead of three times: read (max, then exp from L1) and the normalize
 * pass's read and write. A row of at most one block is the plain three-pass softmax. Rows larger than the
 * last-level cache take this path too: it measured faster there than two passes over memory ({@link TwoPassSoftmax}
 * says by how much).
 *
 * <p>Accuracy: shifting a block by its own max {@code m_b <= max} rounds {@code x - m_b}, which is no larger in
 * magnitude than {@code x - max}, so its rounding is no larger than the one the accuracy contract allows for; the
 * block factor {@code exp(m_b - max)} is a double exp of an exact double difference (about 2^-52 relative) and is
 * folded into the one rounding of the normalize multiply.
 *
 * <p>The block maxima and sums of a long row are kept in a per-thread scratch array of 2 doubles per block
 * (16 bytes per 16 KiB of row, grown on demand and kept), so that a call allocates nothing once warm.
 */
final class BlockedSoftmax {
    private BlockedSoftmax() {}

    /**
     * Floats per block: 16 KiB of src and 16 KiB of dst, inside a 32-48 KiB L1. Measured (JMH, 2026-12-02, AMD EPYC
     * Zen 5 VM, AVX-512, ns/element at n = 32000 / 128256 / 1M): 4096: 0.29 / 0.29 / 0.37; 8192: 0.30 / 0.44 / 0.47;
     * 16384: 0.31 / 0.32 / 0.38; unblocked three-pass: 0.33 / 0.32 / 0.43 (noisy 2-core machine; 4096 was best or
     * tied at every size).
     */
    static final int BLOCK = 4096;

    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[64]);

    /** Returned when the whole row has been written. */
    static final int DONE = -1;

    /**
     * Writes the softmax of the row, or returns the index of the first block from which the row is special
     * (+inf there, or a NaN anywhere from there on, to be found by {@link SoftmaxKernel#max}); every element before
     * that index is then finite, and its dst may already be written. A row with a NaN found by its exp sum is
     * written as NaN here.
     */
    static int softmax(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        return softmax(kernel, src, srcOffset, 1f, null, 0, dst, dstOffset, length);
    }

    /**
     * The softmax of {@code v = fl(scale * src + mask)} ({@code mask} null: none; scale 1 and no mask: the plain
     * row, read from src). Fused: each block's v is stored into dst by the max pass
     * ({@link SoftmaxKernel#storeScaledPlusMaskAndMax}) and the rest of the block's work reads it there, from L1.
     * Returns as {@link #softmax(SoftmaxKernel, float[], int, float[], int, int)} does; when the row is special and
     * fused, dst holds v from the returned index to the end (the caller finishes the row from dst, in place).
     */
    static int softmax(SoftmaxKernel kernel, float[] src, int srcOffset, float scale, float[] mask, int maskOffset,
                       float[] dst, int dstOffset, int length) {
        return length <= BLOCK
                ? oneBlock(kernel, src, srcOffset, scale, mask, maskOffset, dst, dstOffset, length)
                : blocks(kernel, src, srcOffset, scale, mask, maskOffset, dst, dstOffset, length);
    }

    /**
     * A row of at most one block: the plain three passes, or up to two vectors in registers. A method of its own, small
     * enough for C2 to inline into the caller: as part of the whole blocked method (a call C2 does not inline) it
     * cost a 16-float row 7 ns of its 29 (JMH, AVX-512, 2026-12-02).
     */
    private static int oneBlock(SoftmaxKernel kernel, float[] src, int srcOffset, float scale, float[] mask,
                                int maskOffset, float[] dst, int dstOffset, int length) {
        boolean fused = scale != 1f || mask != null;
        float[] values = fused ? dst : src;  // where the inputs are read once the max is known
        int valuesOffset = fused ? dstOffset : srcOffset;
        float max = fused ? kernel.storeScaledPlusMaskAndMax(src, srcOffset, scale, mask, maskOffset, dst,
                dstOffset, length) : Float.NaN;
        float min = Float.NEGATIVE_INFINITY;  // not known for the fused row: the exp loop then tests for underflow
        if (length <= kernel.shortRowLength()
                && kernel.softmaxOfShortRow(values, valuesOffset, dst, dstOffset, length)) {
            return DONE;
        }
        if (!fused) {
            long maxAndMin = kernel.maxAndMin(src, srcOffset, length);
            max = SoftmaxKernel.maxOf(maxAndMin);
            min = SoftmaxKernel.minOf(maxAndMin);
        }
        if (!Float.isFinite(max)) {
            return 0;
        }
        double sum = kernel.storeExpMinusMaxAndSum(values, valuesOffset, dst, dstOffset, length, max, min);
        if (Double.isNaN(sum)) {
            Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
        } else {
            kernel.scale(dst, dstOffset, length, 1.0 / sum);
        }
        return DONE;
    }

    private static int blocks(SoftmaxKernel kernel, float[] src, int srcOffset, float scale, float[] mask,
                              int maskOffset, float[] dst, int dstOffset, int length) {
        boolean fused = scale != 1f || mask != null;
        float[] values = fused ? dst : src;  // where each block's inputs are read once its max is known
        int valuesOffset = fused ? dstOffset : srcOffset;
        int blocks = (length - 1) / BLOCK + 1;
        double[] scratch = scratch(2 * blocks);
        float max = Float.NEGATIVE_INFINITY;
        for (int b = 0, start = 0; b < blocks; b++, start += BLOCK) {
            int size = Math.min(BLOCK, length - start);
            float blockMax;
            float blockMin = Float.NEGATIVE_INFINITY;  // not known for a fused block: the exp loop tests for underflow
            if (fused) {
                blockMax = kernel.storeScaledPlusMaskAndMax(src, srcOffset + start, scale, mask, maskOffset + start,
                        dst, dstOffset + start, size);
            } else {
                long maxAndMin = kernel.maxAndMin(src, srcOffset + start, size);
                blockMax = SoftmaxKernel.maxOf(maxAndMin);
                blockMin = SoftmaxKernel.minOf(maxAndMin);
            }
            double blockSum = 0;
            if (blockMax == Float.NEGATIVE_INFINITY) {  // all -inf (masked), or a NaN among them not reported as max
                if (Float.isNaN(kernel.max(values, valuesOffset + start, size))) {
                    return special(kernel, src, srcOffset, scale, mask, maskOffset, dst, dstOffset, length, start);
                }
                Arrays.fill(dst, dstOffset + start, dstOffset + start + size, 0f);
            } else if (blockMax != blockMax) {  // a NaN, reported as the max (maxAndMin, for a positive NaN)
                Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
                return DONE;
            } else if (blockMax == Float.POSITIVE_INFINITY) {
                return special(kernel, src, srcOffset, scale, mask, maskOffset, dst, dstOffset, length, start);
            } else {
                blockSum = kernel.storeExpMinusMaxAndSum(values, valuesOffset + start, dst, dstOffset + start, size,
                        blockMax, blockMin);
                if (Double.isNaN(blockSum)) {
                    Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
                    return DONE;
                }
                max = Math.max(max, blockMax);
            }
            scratch[2 * b] = blockMax;
            scratch[2 * b + 1] = blockSum;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return DONE;  // fully masked: every block is already 0
        }
        double sum = 0;
        for (int b = 0; b < blocks; b++) {
            double factor = blockFactor(scratch[2 * b], max);
            scratch[2 * b] = factor;
            sum += factor * scratch[2 * b + 1];
        }
        double inverse = 1.0 / sum;
        for (int b = 0, start = 0; b < blocks; b++, start += BLOCK) {
            // every block, even with factor 0: a block far below the max (exp(blockMax - max) underflows double)
            // holds exps up to 1 that must become 0
            kernel.scale(dst, dstOffset + start, Math.min(BLOCK, length - start), scratch[2 * b] * inverse);
        }
        return DONE;
    }

    /**
     * Returns {@code from}, the start of the block found special, after storing v for the blocks after it when
     * fused (the block itself already holds v), so that the caller reads the special part from dst.
     */
    private static int special(SoftmaxKernel kernel, float[] src, int srcOffset, float scale, float[] mask,
                               int maskOffset, float[] dst, int dstOffset, int length, int from) {
        int next = Math.min(length, from + BLOCK);
        if ((scale != 1f || mask != null) && next < length) {
            kernel.storeScaledPlusMaskAndMax(src, srcOffset + next, scale, mask, maskOffset + next, dst,
                    dstOffset + next, length - next);
        }
        return from;
    }

    /**
     * {@code exp(blockMax - max)}: 1 for the blocks that hold the max, 0 for masked blocks. The difference is exact
     * in double; Math.exp is within 1 ulp of double (the same intrinsic stub interpreted and compiled on HotSpot, so
     * the result does not change with warm-up; DeterminismTest checks it).
     */
    static double blockFactor(double blockMax, float max) {
        return blockMax == max ? 1.0 : Math.exp(blockMax - max);
    }

    /**
     * This thread's scratch of at least {@code size} doubles, grown and kept. Shared by the blocked paths that keep
     * per-block figures (this one, the segment twin, cross-entropy rows); none of them calls another while it holds
     * the scratch.
     */
    static double[] scratch(int size) {
        double[] scratch = SCRATCH.get();
        if (scratch.length < size) {
            scratch = new double[Math.max(size, 2 * scratch.length)];
            SCRATCH.set(scratch);
        }
        return scratch;
    }
}
