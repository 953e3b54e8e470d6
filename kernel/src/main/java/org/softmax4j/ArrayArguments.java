package org.softmax4j;

import java.util.Objects;

/**
 * The facade's argument checks for float[] rows, each throwing before anything is written: null arrays
 * ({@link NullPointerException}), ranges outside their arrays ({@link IndexOutOfBoundsException}), ranges or rows
 * of one array that overlap without being the same, and a scale that is not finite and positive
 * ({@link IllegalArgumentException}). Segments have theirs in {@link SegmentArguments}.
 */
final class ArrayArguments {
    private ArrayArguments() {}

    static void checkRange(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        if (src == dst && srcOffset != dstOffset && Math.abs(srcOffset - dstOffset) < length) {
            throw new IllegalArgumentException("src [" + srcOffset + ", " + (srcOffset + length) + ") and dst ["
                    + dstOffset + ", " + (dstOffset + length)
                    + ") overlap in one array: use the same range (in place) or disjoint ranges");
        }
    }

    static void checkScale(float scale) {
        if (!(scale > 0) || scale == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("scale (" + scale + ") must be finite and positive");
        }
    }

    static void checkStridedRows(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset,
                                         int dstStride, int rows, int cols) {
        StridedRows.check("src", src, srcOffset, srcStride, rows, cols, false);
        StridedRows.check("dst", dst, dstOffset, dstStride, rows, cols, false);
        if (StridedRows.conflict(src, srcOffset, srcStride, dst, dstOffset, dstStride, rows, cols, true)) {
            throw new IllegalArgumentException("src rows (offset " + srcOffset + ", stride " + srcStride
                    + ") and dst rows (offset " + dstOffset + ", stride " + dstStride
                    + ") overlap in one array: use the same rows (in place) or disjoint ones");
        }
    }

    static void checkRows(float[] src, float[] dst, int rows, int cols) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (rows < 0 || cols < 0) {
            throw new IndexOutOfBoundsException("rows (" + rows + ") and cols (" + cols + ") must not be negative");
        }
        long size = (long) rows * cols;
        Objects.checkFromIndexSize(0L, size, src.length);
        Objects.checkFromIndexSize(0L, size, dst.length);
    }
}
