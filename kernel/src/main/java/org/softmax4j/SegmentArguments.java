package org.softmax4j;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The argument rules of the memory-segment entry points, all checked before anything is read or written, in the
 * order the FFM API checks its own accesses: null, bounds ({@link IndexOutOfBoundsException}), a read-only
 * {@code dst} and overlap ({@link IllegalArgumentException}), then the segments' state ({@link WrongThreadException}
 * for a confined segment used from another thread, {@link IllegalStateException} for a closed one, with the FFM
 * API's messages). Indices, lengths and strides count floats; the segments are byte-addressed, so float {@code i}
 * of a range starting at {@code index} is at byte {@code 4 * (index + i)}, at any alignment.
 *
 * <p>Overlap is about the memory two segments address, not the segment objects: native segments share one address
 * space, and heap segments share memory only when they view the same array (found by
 * {@link MemorySegment#asOverlappingSlice}, which compares the arrays, so two segments over one {@code float[]} are
 * caught). Within the same memory, byte addresses compare: a native segment's {@link MemorySegment#address()} is its
 * address, a heap segment's the byte offset into its array.
 */
final class SegmentArguments {
    private SegmentArguments() {}

    /** The rules of {@code softmax(MemorySegment, long, MemorySegment, long, int)}. */
    static void checkRange(MemorySegment src, long srcIndex, MemorySegment dst, long dstIndex, int length) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(srcIndex, length, floats(src));
        Objects.checkFromIndexSize(dstIndex, length, floats(dst));
        checkWritable(dst);
        if (length > 0 && sameMemory(src, dst)) {
            checkSameOrDisjoint(src, srcIndex, dst, dstIndex, length);
        }
        checkAccessible(src);
        checkAccessible(dst);
    }

    /**
     * The rules of {@code softmaxRows}: row {@code r} of src is {@code [srcIndex + r * srcStride, + cols)}, of dst
     * likewise. Strides at least {@code cols}; in place only with the same start and stride on the same memory,
     * otherwise no src row may overlap any dst row (checked in O(rows)).
     */
    static void checkRows(MemorySegment src, long srcIndex, long srcStride, MemorySegment dst, long dstIndex,
                          long dstStride, int rows, int cols) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (rows < 0 || cols < 0) {
            throw new IndexOutOfBoundsException("rows (" + rows + ") and cols (" + cols + ") must not be negative");
        }
        if (srcStride < cols || dstStride < cols) {
            throw new IllegalArgumentException("strides (src " + srcStride + ", dst " + dstStride
                    + ") must be at least cols (" + cols + ")");
        }
        long srcSpan = span(rows, cols, srcStride);
        long dstSpan = span(rows, cols, dstStride);
        Objects.checkFromIndexSize(srcIndex, srcSpan, floats(src));
        Objects.checkFromIndexSize(dstIndex, dstSpan, floats(dst));
        checkWritable(dst);
        if (srcSpan > 0 && sameMemory(src, dst)) {
            if (rows == 1) {
                checkSameOrDisjoint(src, srcIndex, dst, dstIndex, cols);  // a single row's stride does not matter
            } else {
                checkRowsSameOrDisjoint(src.address() + srcIndex * Float.BYTES, srcStride * Float.BYTES,
                        dst.address() + dstIndex * Float.BYTES, dstStride * Float.BYTES, rows,
                        (long) cols * Float.BYTES);
            }
        }
        checkAccessible(src);
        checkAccessible(dst);
    }

    /** Whole floats in the segment from its byte 0. */
    private static long floats(MemorySegment segment) {
        return segment.byteSize() / Float.BYTES;
    }

    /** Floats from the start of the first row to the end of the last; 0 when there is nothing to touch. */
    private static long span(int rows, int cols, long stride) {
        if (rows == 0 || cols == 0) {
            return 0;
        }
        try {
            return Math.addExact(Math.multiplyExact(rows - 1L, stride), cols);
        } catch (ArithmeticException e) {
            throw new IndexOutOfBoundsException(rows + " rows of stride " + stride + " exceed any segment");
        }
    }

    private static void checkWritable(MemorySegment dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is a read-only segment");
        }
    }

    /**
     * Whether the two segments can address the same memory, so that their {@code address()} values compare: the same
     * segment, two native segments, or two heap segments over one array (that also overlap).
     */
    private static boolean sameMemory(MemorySegment src, MemorySegment dst) {
        if (src == dst) {
            return true;
        }
        if (src.isNative() != dst.isNative()) {
            return false;  // a native segment never overlaps a heap segment
        }
        return src.isNative() || src.asOverlappingSlice(dst).isPresent();
    }

    private static void checkSameOrDisjoint(MemorySegment src, long srcIndex, MemorySegment dst, long dstIndex,
                                            long length) {
        long s = src.address() + srcIndex * Float.BYTES;
        long d = dst.address() + dstIndex * Float.BYTES;
        if (s != d && Math.abs(s - d) < length * Float.BYTES) {
            throw new IllegalArgumentException("src [" + srcIndex + ", " + (srcIndex + length) + ") and dst ["
                    + dstIndex + ", " + (dstIndex + length) + ") overlap in memory (byte addresses " + s + " and " + d
                    + "): use the same range (in place) or disjoint ranges");
        }
    }

    /**
     * Rows of {@code c} bytes at {@code s + i * ss} and {@code d + j * ds} (byte addresses in one memory,
     * {@code ss, ds >= c > 0}, rows >= 2): the same rows (in place), or no src row overlapping any dst row. Within
     * each side the rows are disjoint and ordered, so the only dst rows that can meet src row i are the last one
     * starting at or before it and the next one.
     */
    private static void checkRowsSameOrDisjoint(long s, long ss, long d, long ds, int rows, long c) {
        if (s == d && ss == ds) {
            return;
        }
        long srcEnd = s + (rows - 1) * ss + c;
        long dstEnd = d + (rows - 1) * ds + c;
        if (srcEnd <= d || dstEnd <= s) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            long x = s + i * ss - d;            // src row i's start, relative to dst row 0
            long j = Math.floorDiv(x, ds);      // dst row j starts at or before x, row j + 1 after it
            boolean overlapsJ = j >= 0 && j < rows && j * ds + c > x;
            boolean overlapsNext = j + 1 >= 0 && j + 1 < rows && (j + 1) * ds < x + c;
            if (overlapsJ || overlapsNext) {
                throw new IllegalArgumentException("src row " + i + " overlaps dst row " + (overlapsJ ? j : j + 1)
                        + ": rows must be the same (same index and stride, in place) or disjoint");
            }
        }
    }

    /** The FFM API's own checks and messages, made before anything is written. */
    private static void checkAccessible(MemorySegment segment) {
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("Attempted access outside owning thread");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("Already closed");
        }
    }
}
