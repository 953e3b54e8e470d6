package org.softmax4j;

import java.util.Arrays;

/**
 * Softmax and log-softmax of rows on a given kernel: which path a row takes (up to four vectors in registers, else
 * blocked), the fused variants' transform, and the rows whose max is not finite (NaN, +inf, fully masked).
 * {@link Softmax} checks its arguments and calls here with its kernel; tests and the bench call the kernel-taking
 * methods directly to force a kernel or a path.
 */
final class RowSoftmax {
    private RowSoftmax() {}

    /** {@link Softmax#maskedSoftmaxRows} on a given kernel (tests compare kernels in one JVM). */
    static void maskedSoftmaxRows(SoftmaxKernel kernel, float[] src, int srcOffset, int srcStride, float[] mask,
                                  int maskOffset, int maskStride, float[] dst, int dstOffset, int dstStride, int rows,
                                  int cols, float scale) {
        ArrayArguments.checkScale(scale);
        ArrayArguments.checkStridedRows(src, srcOffset, srcStride, dst, dstOffset, dstStride, rows, cols);
        StridedRows.check("mask", mask, maskOffset, maskStride, rows, cols, true);
        if (StridedRows.conflict(mask, maskOffset, maskStride, dst, dstOffset, dstStride, rows, cols, false)) {
            throw new IllegalArgumentException("the mask rows share elements with the dst rows");
        }
        for (int r = 0, s = srcOffset, m = maskOffset, d = dstOffset; r < rows;
                r++, s += srcStride, m += maskStride, d += dstStride) {
            softmaxRow(kernel, src, s, scale, mask, m, dst, d, cols);
        }
    }

    /** {@link Softmax#causalSoftmaxRows} on a given kernel. */
    static void causalSoftmaxRows(SoftmaxKernel kernel, float[] src, int srcOffset, int srcStride, float[] dst,
                                  int dstOffset, int dstStride, int rows, int cols, float scale, int firstPosition) {
        if (firstPosition < 0) {
            throw new IllegalArgumentException("firstPosition (" + firstPosition + ") must not be negative");
        }
        ArrayArguments.checkScale(scale);
        ArrayArguments.checkStridedRows(src, srcOffset, srcStride, dst, dstOffset, dstStride, rows, cols);
        for (int r = 0, s = srcOffset, d = dstOffset; r < rows; r++, s += srcStride, d += dstStride) {
            int seen = (int) Math.min(cols, (long) firstPosition + r + 1);
            softmaxRow(kernel, src, s, scale, null, 0, dst, d, seen);
            Arrays.fill(dst, d + seen, d + cols, 0f);
        }
    }

    static void softmaxRows(SoftmaxKernel kernel, float[] src, int srcOffset, int srcStride, float[] dst,
                            int dstOffset, int dstStride, int rows, int cols) {
        for (int r = 0, s = srcOffset, d = dstOffset; r < rows; r++, s += srcStride, d += dstStride) {
            softmaxRow(kernel, src, s, 1f, null, 0, dst, d, cols);
        }
    }

    static void logSoftmaxRows(SoftmaxKernel kernel, float[] src, float[] dst, int rows, int cols) {
        for (int r = 0, at = 0; r < rows; r++, at += cols) {
            logSoftmaxRow(kernel, src, at, dst, at, cols);
        }
    }

    /** {@link Softmax#softmax(float[], int, float[], int, int)} on a given kernel (tests and the bench force one). */
    static void softmax(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        ArrayArguments.checkRange(src, srcOffset, dst, dstOffset, length);
        softmaxRow(kernel, src, srcOffset, 1f, null, 0, dst, dstOffset, length);
    }

    /** {@link Softmax#logSoftmax(float[], int, float[], int, int)} on a given kernel. */
    static void logSoftmax(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        ArrayArguments.checkRange(src, srcOffset, dst, dstOffset, length);
        logSoftmaxRow(kernel, src, srcOffset, dst, dstOffset, length);
    }

    /**
     * The softmax of {@code fl(scale * src + mask)} (scale 1 and mask null: of src), on the blocked path at every
     * length: beyond the last-level cache too, where it measured faster than two passes over memory (see
     * {@link TwoPassSoftmax}).
     */
    static void softmaxRow(SoftmaxKernel kernel, float[] src, int srcOffset, float scale, float[] mask,
                                   int maskOffset, float[] dst, int dstOffset, int length) {
        if (length == 0) {
            return;
        }
        boolean fused = scale != 1f || mask != null;
        int special = BlockedSoftmax.softmax(kernel, src, srcOffset, scale, mask, maskOffset, dst, dstOffset, length);
        if (special != BlockedSoftmax.DONE) {
            // fused: the blocked path left the transformed values from there on in dst
            specialRowFrom(kernel, fused ? dst : src, fused ? dstOffset : srcOffset, dst, dstOffset, length, special);
        }
    }

    /**
     * A softmax row found special from index {@code from} on (+inf there, or NaN from there on); the elements before
     * it are finite and their dst may already be written (in place, their src too).
     */
    private static void specialRowFrom(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                       int length, int from) {
        float max = kernel.max(src, srcOffset + from, length - from);
        if (Float.isNaN(max)) {
            Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
            return;
        }
        Arrays.fill(dst, dstOffset, dstOffset + from, 0f);
        specialRow(src, srcOffset + from, dst, dstOffset + from, length - from, max, false);
    }

    /**
     * The two-pass path, which the facade does not take (see {@link TwoPassSoftmax}): tests and the bench's
     * "softmax4j-two-pass" contender call it directly, at any length.
     */
    static void softmaxRowInTwoPasses(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                      int length) {
        float max = TwoPassSoftmax.softmax(kernel, src, srcOffset, dst, dstOffset, length);
        if (!Float.isFinite(max)) {
            specialRow(src, srcOffset, dst, dstOffset, length, max, false);
        }
    }

    /**
     * The log-softmax of {@code fl(scale * src)}: the products are stored into dst, rounded once, and the log-softmax
     * runs there in place (scale 1: of src).
     */
    static void logSoftmaxRow(SoftmaxKernel kernel, float[] src, int srcOffset, float scale, float[] dst,
                              int dstOffset, int length) {
        if (length > 0 && scale != 1f) {
            kernel.storeScaledPlusMaskAndMax(src, srcOffset, scale, null, 0, dst, dstOffset, length);
            logSoftmaxRow(kernel, dst, dstOffset, dst, dstOffset, length);
        } else {
            logSoftmaxRow(kernel, src, srcOffset, dst, dstOffset, length);
        }
    }

    static void logSoftmaxRow(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                      int length) {
        if (length == 0) {
            return;
        }
        float max = kernel.max(src, srcOffset, length);
        if (Float.isFinite(max)) {
            float logSum = (float) kernel.logSumExpMinusMax(src, srcOffset, length, max);
            kernel.subtractMaxAndLogSum(src, srcOffset, dst, dstOffset, length, max, logSum);
        } else {
            specialRow(src, srcOffset, dst, dstOffset, length, max, true);
        }
    }

    /**
     * Rows whose max is not finite: NaN somewhere (the max is NaN), +inf somewhere (the +inf entries share the
     * mass), or every entry -inf (fully masked).
     */
    private static void specialRow(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max,
                                   boolean log) {
        if (Float.isNaN(max)) {
            Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
        } else if (max == Float.NEGATIVE_INFINITY) {
            Arrays.fill(dst, dstOffset, dstOffset + length, log ? Float.NEGATIVE_INFINITY : 0f);
        } else {
            int infinities = 0;
            for (int i = srcOffset; i < srcOffset + length; i++) {
                if (src[i] == Float.POSITIVE_INFINITY) {
                    infinities++;
                }
            }
            float share = log ? (float) (0.0 - Math.log(infinities)) : (float) (1.0 / infinities);  // +0.0 for k = 1
            float rest = log ? Float.NEGATIVE_INFINITY : 0f;
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = src[srcOffset + i] == Float.POSITIVE_INFINITY ? share : rest;
            }
        }
    }
}
