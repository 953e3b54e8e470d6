package org.softmax4j;

import java.lang.foreign.MemorySegment;

/**
 * The "softmax4j-segment-kernel-on-array" benchmark contender: a {@code float[]} row wrapped by
 * {@link MemorySegment#ofArray} on every call and run through the memory-segment twins of the kernel, skipping the
 * facade's shortcut that hands float[] heap segments to the array kernel. It measures the alternative to keeping
 * two kernels (arrays and segments): one segment kernel for both, arrays wrapped inside the facade. Same
 * split-package arrangement as {@link ForcedScalarSoftmax}.
 */
public final class ForcedSegmentSoftmax {
    private ForcedSegmentSoftmax() {
    }

    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        SegmentSoftmax.softmaxRow(SegmentSoftmax.KERNEL, MemorySegment.ofArray(src), (long) srcOffset * Float.BYTES,
                MemorySegment.ofArray(dst), (long) dstOffset * Float.BYTES, length);
    }
}
