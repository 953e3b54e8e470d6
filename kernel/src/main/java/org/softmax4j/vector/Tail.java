package org.softmax4j.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Keeps every masked load and store inside its array. A masked access whose full vector would reach past the end of
 * the array (the last tail of a row that ends near the array's end) takes the JDK's out-of-range path, which checks
 * each lane with {@code AbstractMask.checkIndexByLane}; C2 inlines that only while the compilation is under its node
 * budget, and where it does not, the mask and vectors it takes are boxed on every call (found by VectorAllocationTest
 * in CI: 168 bytes per softmaxRows call of 1-column rows at 256 bits, once in about 20 runs; 640 bytes per call every
 * time with {@code -XX:CompileCommand=dontinline,jdk.incubator.vector.AbstractMask::checkIndexByLane}, which the
 * vector test executions now pass so that the test sees it deterministically).
 *
 * <p>Instead, a row's last partial vector of r elements is read as the whole vector of the L floats that end where
 * the row ends: an unmasked load that is in range whenever the array holds at least L floats up to there (always,
 * for a row of L or more). Elementwise passes and the max keep its last r lanes under a mask; the exp sum, whose
 * lanes must hold the same elements whatever the row's place in its array (the sum's rounding depends on the lane),
 * moves them to the first r lanes ({@code slice}) and back ({@code unslice}) before a masked store into the same
 * in-range vector. Only where fewer than L floats precede the row's end in its array is the tail copied into a
 * per-thread scratch array of three vectors (one slot each for a source, a second source and a destination),
 * loaded and stored there in range with the elements in the same lanes, and the stored lanes copied out. Either
 * way every result is bitwise what the direct masked access gives ({@code VectorTailTest}).
 *
 * <p>The first version copied every overhanging tail through the scratch: 2 to 5 copies and thread-local lookups per
 * row, which made a 40-float row in a 40-float array 1.65x slower (125 against 75 ns, 512 bits) and a 1000-float
 * row 10-15% slower. Segment tails still always take the copy: a masked segment access past the segment's end has
 * the same out-of-range check, and segments have no array to read behind the row.
 *
 * <p>Callers write the access in their own method (a helper taking or returning a vector would itself be boxed where
 * C2 declines to inline it).
 */
final class Tail {
    private Tail() {}

    private static final int L = Lanes.FLOATS.length();
    /** Scratch slots: where a source's tail, a second source's (the mask) and a destination's go. */
    static final int SRC = 0;
    static final int SRC2 = L;
    static final int DST = 2 * L;

    /** The three slots; a segment's short row, up to four vectors, is also done here, in place (ShortRow). */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[4 * L]);

    /** Whether a full vector at {@code offset} would reach past the end of {@code a}. */
    static boolean overhangs(float[] a, int offset) {
        return offset > a.length - L;
    }

    /** Copies {@code a[offset .. offset + min(n, L))} to the scratch's {@code slot}; returns it. */
    static float[] copyIn(float[] a, int offset, int n, int slot) {
        float[] scratch = SCRATCH.get();
        System.arraycopy(a, offset, scratch, slot, Math.min(n, L));
        return scratch;
    }

    /**
     * Copies {@code min(n, L)} native-order floats from byte {@code offset} of a segment to the scratch's
     * {@code slot}; returns it. Segment tails always take this path: a masked segment access past the segment's
     * end has the same out-of-range check, and the copy costs little once per row.
     */
    static float[] copyIn(MemorySegment s, long offset, int n, int slot) {
        float[] scratch = SCRATCH.get();
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT_UNALIGNED, offset, scratch, slot, Math.min(n, L));
        return scratch;
    }

    /** Copies the first {@code min(n, L)} lanes stored at {@link #DST} to byte {@code offset} of a segment. */
    static void copyOut(float[] scratch, MemorySegment s, long offset, int n) {
        MemorySegment.copy(scratch, DST, s, ValueLayout.JAVA_FLOAT_UNALIGNED, offset, Math.min(n, L));
    }

    /** This thread's scratch array, for a store at {@link #DST}. */
    static float[] scratch() {
        return SCRATCH.get();
    }

    /** Copies the first {@code n} lanes stored at {@link #DST} to {@code a[offset ..)}. */
    static void copyOut(float[] scratch, float[] a, int offset, int n) {
        System.arraycopy(scratch, DST, a, offset, Math.min(n, L));
    }
}
