package org.softmax4j;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The memory-segment entry points of {@link Softmax}: argument rules ({@link SegmentArguments}), then the array
 * facade's algorithm on the segment twins of its kernel: every row blocked ({@link SegmentBlockedSoftmax}), and the
 * same special rows (NaN, +inf, all -inf). So a segment row gives bitwise
 * what the {@code float[]} facade gives for the same floats on the same kernel.
 *
 * <p>Heap segments over a {@code float[]} at a whole-float byte offset skip the twins: their rows go straight to
 * the array facade on the array itself (same kernel, so the same bits, and no segment access cost).
 *
 * <p>Other heap segments (over a byte[], or a float[] at an odd byte offset, or read-only ones, whose array is not
 * exposed) take the twins and give the same bits, but slowly: JDK 25's Vector API does not intrinsify some of its
 * loads and stores on heap segments when they are all C2 has seen there, and boxes every vector (measured: about
 * 6 KB allocated and 7x the time per 1024-float row). Native segments, the point of these entry points, allocate
 * nothing; float[] heap segments on the shortcut allocate 16 bytes per segment per call (see {@link #floatArray}).
 */
final class SegmentSoftmax {
    private SegmentSoftmax() {}

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final String VECTOR_SEGMENT_KERNEL = "org.softmax4j.vector.VectorSegmentKernel";

    /** The segment twin of {@link Softmax#KERNEL}; its classes load on the first segment call. */
    static final SegmentSoftmaxKernel KERNEL = twinOf(Softmax.KERNEL);

    /**
     * The segment kernel that twins {@code kernel}: the scalar twin for the scalar kernel, else the vector twin,
     * loaded reflectively (as {@link KernelProvider} loads the vector kernel) so that nothing here links against the
     * incubator module.
     */
    static SegmentSoftmaxKernel twinOf(SoftmaxKernel kernel) {
        if (kernel instanceof ScalarKernel scalar) {
            return new ScalarSegmentKernel(scalar);
        }
        try {
            SegmentSoftmaxKernel twin = (SegmentSoftmaxKernel) Class.forName(VECTOR_SEGMENT_KERNEL)
                    .getMethod("create").invoke(null);
            if (twin.arrayKernel() == kernel) {
                return twin;
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new IllegalStateException("no memory-segment twin for kernel " + kernel.description(), e);
        }
        throw new IllegalStateException("no memory-segment twin for kernel " + kernel.description());
    }

    static void softmax(SegmentSoftmaxKernel kernel, MemorySegment src, long srcIndex, MemorySegment dst,
                        long dstIndex, int length) {
        SegmentArguments.checkRange(src, srcIndex, dst, dstIndex, length);
        rows(kernel, src, srcIndex, 0, dst, dstIndex, 0, 1, length, false);
    }

    static void logSoftmax(SegmentSoftmaxKernel kernel, MemorySegment src, long srcIndex, MemorySegment dst,
                           long dstIndex, int length) {
        SegmentArguments.checkRange(src, srcIndex, dst, dstIndex, length);
        rows(kernel, src, srcIndex, 0, dst, dstIndex, 0, 1, length, true);
    }

    static void softmaxRows(SegmentSoftmaxKernel kernel, MemorySegment src, long srcIndex, long srcStride,
                            MemorySegment dst, long dstIndex, long dstStride, int rows, int cols) {
        SegmentArguments.checkRows(src, srcIndex, srcStride, dst, dstIndex, dstStride, rows, cols);
        rows(kernel, src, srcIndex, srcStride, dst, dstIndex, dstStride, rows, cols, false);
    }

    /**
     * Softmax (or log-softmax) of checked rows: float[] heap segments at whole floats go to the array kernel's row
     * paths, every other segment to the segment kernel's.
     */
    private static void rows(SegmentSoftmaxKernel kernel, MemorySegment src, long srcIndex, long srcStride,
                             MemorySegment dst, long dstIndex, long dstStride, int rows, int cols, boolean log) {
        if (rows == 0 || cols == 0) {
            return;
        }
        long srcOffset = srcIndex * Float.BYTES;
        long dstOffset = dstIndex * Float.BYTES;
        float[] srcArray = floatArray(src, srcOffset);
        float[] dstArray = srcArray == null ? null : dst == src ? srcArray : floatArray(dst, dstOffset);
        if (srcArray != null && dstArray != null) {  // float[] heap segments at whole floats: the array kernel
            // every row is inside its array, so its index fits an int
            int s = arrayIndex(src, srcOffset);
            int d = arrayIndex(dst, dstOffset);
            for (int r = 0; r < rows; r++) {
                int at = (int) (s + r * srcStride);
                int to = (int) (d + r * dstStride);
                if (log) {
                    RowSoftmax.logSoftmaxRow(kernel.arrayKernel(), srcArray, at, dstArray, to, cols);
                } else {
                    RowSoftmax.softmaxRow(kernel.arrayKernel(), srcArray, at, 1f, null, 0, dstArray, to, cols);
                }
            }
            return;
        }
        for (int r = 0; r < rows; r++) {
            long at = srcOffset + r * srcStride * Float.BYTES;
            long to = dstOffset + r * dstStride * Float.BYTES;
            if (log) {
                logSoftmaxRow(kernel, src, at, dst, to, cols);
            } else {
                softmaxRow(kernel, src, at, dst, to, cols);
            }
        }
    }

    /**
     * The float[] behind a writable heap segment whose float at byte {@code offset} is a whole array element, else
     * null. Costs 16 bytes per heap segment: the Optional of {@link MemorySegment#heapBase()}, which C2 (JDK 25) does
     * not scalar-replace (measured; it merges with {@code Optional.empty()}); native segments return before it.
     */
    private static float[] floatArray(MemorySegment segment, long offset) {
        if (segment.isNative() || ((segment.address() + offset) & (Float.BYTES - 1)) != 0) {
            return null;
        }
        // empty for read-only segments: those take the segment path
        return segment.heapBase().orElse(null) instanceof float[] array ? array : null;
    }

    /** The array index of the float at byte {@code offset} of a heap segment (its address is its array offset). */
    private static int arrayIndex(MemorySegment segment, long offset) {
        return (int) ((segment.address() + offset) / Float.BYTES);
    }

    /** Softmax of a checked row, offsets in bytes: the array facade's blocked path, on the segment twins. */
    static void softmaxRow(SegmentSoftmaxKernel kernel, MemorySegment src, long srcOffset, MemorySegment dst,
                           long dstOffset, int length) {
        if (length == 0) {
            return;
        }
        int special = SegmentBlockedSoftmax.softmax(kernel, src, srcOffset, dst, dstOffset, length);
        if (special != BlockedSoftmax.DONE) {
            long from = (long) special * Float.BYTES;
            float max = kernel.max(src, srcOffset + from, length - special);
            if (Float.isNaN(max)) {
                fill(dst, dstOffset, length, Float.NaN);
                return;
            }
            fill(dst, dstOffset, special, 0f);
            specialRow(src, srcOffset + from, dst, dstOffset + from, length - special, max, false);
        }
    }

    private static void logSoftmaxRow(SegmentSoftmaxKernel kernel, MemorySegment src, long srcOffset,
                                      MemorySegment dst, long dstOffset, int length) {
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

    /** The array facade's special rows (max NaN, -inf, or +inf: the +inf entries share the mass), on segments. */
    private static void specialRow(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                                   float max, boolean log) {
        if (Float.isNaN(max)) {
            fill(dst, dstOffset, length, Float.NaN);
        } else if (max == Float.NEGATIVE_INFINITY) {
            fill(dst, dstOffset, length, log ? Float.NEGATIVE_INFINITY : 0f);
        } else {
            int infinities = 0;
            for (int i = 0; i < length; i++) {
                if (src.get(FLOAT, srcOffset + (long) i * Float.BYTES) == Float.POSITIVE_INFINITY) {
                    infinities++;
                }
            }
            float share = log ? (float) (0.0 - Math.log(infinities)) : (float) (1.0 / infinities);  // +0.0 for k = 1
            float rest = log ? Float.NEGATIVE_INFINITY : 0f;
            for (int i = 0; i < length; i++) {
                long at = (long) i * Float.BYTES;
                dst.set(FLOAT, dstOffset + at, src.get(FLOAT, srcOffset + at) == Float.POSITIVE_INFINITY ? share : rest);
            }
        }
    }

    /** {@code length} floats from byte {@code offset} set to {@code value}. */
    static void fill(MemorySegment a, long offset, int length, float value) {
        for (int i = 0; i < length; i++) {
            a.set(FLOAT, offset + (long) i * Float.BYTES, value);
        }
    }
}
