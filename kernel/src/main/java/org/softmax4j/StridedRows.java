package org.softmax4j;

import java.util.Objects;

/**
 * Argument checks for rows that sit at a stride in an array (row {@code r} at {@code offset + r * stride}, each
 * {@code cols} long), e.g. one attention head's rows inside a larger tensor. Everything is checked before a row is
 * written, so a rejected call changes nothing.
 */
final class StridedRows {
    private StridedRows() {}

    /**
     * Checks one array's rows: {@code rows} and {@code cols} not negative and the last row inside the array
     * ({@link IndexOutOfBoundsException}), and a stride of at least {@code cols} so that rows do not overlap
     * ({@link IllegalArgumentException}; a stride of 0 only where {@code broadcast} allows one row for all).
     */
    static void check(String name, float[] array, int offset, int stride, int rows, int cols, boolean broadcast) {
        Objects.requireNonNull(array, name);
        if (rows < 0 || cols < 0) {
            throw new IndexOutOfBoundsException("rows (" + rows + ") and cols (" + cols + ") must not be negative");
        }
        if (stride < cols && !(broadcast && stride == 0)) {
            throw new IllegalArgumentException(name + "Stride (" + stride + ") must be at least cols (" + cols + ")"
                    + (broadcast ? ", or 0 to use one row for every row" : ""));
        }
        long span = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * stride + cols;
        Objects.checkFromIndexSize(offset, span, array.length);
    }

    /**
     * Whether writing rows {@code (b, bOffset, bStride)} could change what rows {@code (a, aOffset, aStride)} read:
     * false for different arrays, for identical rows when {@code identicalAllowed} (in place: row r read, then
     * written), and for rows that share no element. O(rows): a's row r can only meet the two b rows around it,
     * since b's rows are {@code bStride >= cols} apart. Both sets already passed {@link #check}.
     */
    static boolean conflict(float[] a, int aOffset, int aStride, float[] b, int bOffset, int bStride, int rows,
                            int cols, boolean identicalAllowed) {
        if (a != b || rows == 0 || cols == 0) {
            return false;
        }
        if (identicalAllowed && aOffset == bOffset && (aStride == bStride || rows == 1)) {
            return false;
        }
        int aRows = aStride == 0 ? 1 : rows;
        for (int r = 0; r < aRows; r++) {
            long start = aOffset + (long) r * aStride;
            long first = bStride == 0 ? 0 : Math.max(0, Math.floorDiv(start - bOffset, (long) bStride));
            for (long j = first; j <= first + 1 && j < rows; j++) {
                long bStart = bOffset + j * bStride;
                if (bStart < start + cols && start < bStart + cols) {
                    return true;
                }
                if (bStride == 0) {
                    break;
                }
            }
        }
        return false;
    }
}
