package org.softmax4j.vector;


import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax of a row of at most four vectors (64 floats), done in registers by {@link RegisterSoftmax}; this class
 * decides where its vectors are read. The three microkernels of a longer row would each load and reduce again, and
 * their calls and reductions are most of the time of a row this short. Every row of at most {@link #MAX_LENGTH}
 * elements that is not special takes this path, from any entry point (arrays, segments, the fused variants), so a
 * row's bits do not depend on where it lies (see {@link #softmax} for rows at the end of their arrays; a segment row
 * is copied to a per-thread scratch array and done there).
 *
 * <p>Its sum, exact and order-free, is not the general path's (within 2^-24, widened in a fixed lane order), so no
 * row this short may reach both.
 */
final class ShortRow {
    private ShortRow() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    /**
     * The longest row {@link #softmax} takes: four vectors, and at most the 64 exps whose split parts add up exactly
     * in float (a vector of more than 16 floats, such as a wide SVE one, is held to 64).
     */
    static final int MAX_LENGTH = Math.min(4 * L, RegisterSoftmax.MAX_EXACT_LENGTH);

    /**
     * Writes the softmax of a row of {@code 1..MAX_LENGTH} elements and returns true, or returns false without
     * writing anything when the row is special (NaN, or a max that is not finite). Every load and store is a whole
     * vector inside the row's array: a row of more than one vector reads its last vector as the L floats that end
     * where the row ends (the exps of the lanes an earlier vector holds set to 0, so they add nothing); the sum has no
     * lane order, so where an element sits in its vector does not change a bit. A row of one vector reads the L floats
     * from its start, or, where src or dst ends sooner, goes through the scratch, in a method of its own: the copy
     * written here made every short row 6 ns slower (29 against 23 ns at n = 16, 512 bits, a harness's best of 300
     * rounds). (Reading such a row as the L floats that end at its end instead, with the start chosen per call, cost
     * every one-vector row 2 ns: 25.4 against 23.0 ns at n = 16, JMH, Zen 4.)
     */
    static boolean softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (length > L) {
            return length <= 2 * L ? RegisterSoftmax.twoVectors(src, srcOffset, dst, dstOffset, length)
                    : RegisterSoftmax.fourVectors(src, srcOffset, dst, dstOffset, length);
        }
        if (Tail.overhangs(src, srcOffset) || Tail.overhangs(dst, dstOffset)) {
            return softmaxViaScratch(src, srcOffset, dst, dstOffset, length);
        }
        return RegisterSoftmax.oneVector(src, srcOffset, dst, dstOffset, length);
    }

    /** {@link #softmax} of a row in a segment (native order, byte offsets), through the scratch. */
    static boolean softmax(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length) {
        float[] scratch = Tail.scratch();
        MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED, srcOffset, scratch, 0, length);
        if (!softmax(scratch, 0, scratch, 0, length)) {
            return false;
        }
        MemorySegment.copy(scratch, 0, dst, ValueLayout.JAVA_FLOAT_UNALIGNED, dstOffset, length);
        return true;
    }

    /** A row of one vector copied to the scratch (at least L floats), done there in place, copied out. */
    private static boolean softmaxViaScratch(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        float[] scratch = Tail.scratch();
        System.arraycopy(src, srcOffset, scratch, 0, length);
        if (!RegisterSoftmax.oneVector(scratch, 0, scratch, 0, length)) {
            return false;
        }
        System.arraycopy(scratch, 0, dst, dstOffset, length);
        return true;
    }
}
