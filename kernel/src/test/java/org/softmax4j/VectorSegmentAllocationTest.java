package org.softmax4j;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * No allocation per call once warm on the segment entry points (as VectorAllocationTest for arrays) on native
 * segments: in place, disjoint, strided rows, at odd byte alignments. float[] heap segments (the shortcut to the
 * array kernel, with the overlap check between two heap segments) may allocate only the 16 bytes per segment of
 * {@code MemorySegment.heapBase()}'s Optional, which C2 does not scalar-replace (see SegmentSoftmax); a boxed vector
 * loop would allocate kilobytes. Heap segments that miss the shortcut (byte[] memory, a float[] at an odd byte
 * offset) are not covered: JDK 25's Vector API boxes vectors loaded from or stored to them (see SegmentSoftmax).
 */
class VectorSegmentAllocationTest {
    private static final int[] LENGTHS = {16, 100, 1024, 4099, 32000};

    @Test
    void nativeSegmentCallsAllocateNothingOnceCompiled() {
        long best = bestOfRounds(false);
        if (best > 0) {
            throw new AssertionError("native segment calls allocated " + best + " bytes in 200 rounds on "
                    + Softmax.implementation() + "; allocating frames: " + where(false));
        }
    }

    @Test
    void floatArraySegmentCallsAllocateAtMostTheirHeapBaseOptionals() {
        long best = bestOfRounds(true);
        // per pass over the rows: softmax and logSoftmax, two heap segments each, 16 bytes of Optional per segment
        long bound = 200L * (LENGTHS.length * 2 * 2 * 16);
        if (best > bound) {
            throw new AssertionError("float[] heap segment calls allocated " + best + " bytes in 200 rounds (at most "
                    + bound + " expected) on " + Softmax.implementation() + "; allocating frames: " + where(true));
        }
    }

    /** The fewest bytes one of up to 50 rounds of 200 calls per length allocates, after warm-up. */
    private static long bestOfRounds(boolean heap) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        SplittableRandom random = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] rows = new MemorySegment[LENGTHS.length];
            MemorySegment[] heapRows = new MemorySegment[LENGTHS.length];
            for (int k = 0; k < LENGTHS.length; k++) {
                float[] x = row(random.nextLong(), k);
                rows[k] = Segments.NATIVE.allocate(arena, 1, x.length);
                Segments.write(rows[k], 0, x);
                heapRows[k] = MemorySegment.ofArray(x);
            }
            MemorySegment dst = Segments.NATIVE.allocate(arena, 0, 32000);
            MemorySegment heapDst = MemorySegment.ofArray(new float[32000]);
            MemorySegment scratch = Segments.NATIVE.allocate(arena, 2, 32000);
            for (int k = 0; k < LENGTHS.length; k++) {
                int calls = 4_000_000 / LENGTHS[k] + 2000;
                for (int c = 0; c < calls; c++) {
                    run(heap, rows[k], heapRows[k], dst, heapDst, scratch);
                }
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 50 && best > 0; round++) {  // best of rounds: see VectorAllocationTest
                long before = threads.getThreadAllocatedBytes(thread);
                for (int c = 0; c < 200; c++) {
                    for (int k = 0; k < LENGTHS.length; k++) {
                        run(heap, rows[k], heapRows[k], dst, heapDst, scratch);
                    }
                }
                long after = threads.getThreadAllocatedBytes(thread);
                // what a reading itself allocates (when C2 has not inlined it), counted once in after - before
                long reading = threads.getThreadAllocatedBytes(thread) - after;
                best = Math.min(best, after - before - reading);
            }
            return best;
        }
    }

    /** Where a few more passes allocate (see {@link Allocations#where}). */
    private static String where(boolean heap) {
        SplittableRandom random = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] rows = new MemorySegment[LENGTHS.length];
            MemorySegment[] heapRows = new MemorySegment[LENGTHS.length];
            for (int k = 0; k < LENGTHS.length; k++) {
                float[] x = row(random.nextLong(), k);
                rows[k] = Segments.NATIVE.allocate(arena, 1, x.length);
                Segments.write(rows[k], 0, x);
                heapRows[k] = MemorySegment.ofArray(x);
            }
            MemorySegment dst = Segments.NATIVE.allocate(arena, 0, 32000);
            MemorySegment heapDst = MemorySegment.ofArray(new float[32000]);
            MemorySegment scratch = Segments.NATIVE.allocate(arena, 2, 32000);
            return Allocations.where(() -> {
                for (int k = 0; k < LENGTHS.length; k++) {
                    run(heap, rows[k], heapRows[k], dst, heapDst, scratch);
                }
            }, 2000);
        }
    }

    /**
     * Random normal rows, every other one masked: -inf elements make the exp loop run its copy with the underflow
     * test, which the normal rows (and the in-place call on probabilities) skip.
     */
    private static float[] row(long seed, int k) {
        return (k % 2 == 0 ? Rows.NORMAL_0_3 : Rows.MASKED).row(seed, LENGTHS[k]);
    }

    private static void run(boolean heap, MemorySegment row, MemorySegment heapRow, MemorySegment dst,
                            MemorySegment heapDst, MemorySegment scratch) {
        int n = (int) (row.byteSize() / Float.BYTES);
        if (heap) {
            Softmax.softmax(heapRow, 0, heapDst, 0, n);                  // float[] heap: the array kernel
            Softmax.logSoftmax(heapRow, 0, heapDst, 0, n);
            return;
        }
        Softmax.softmax(row, 0, dst, 0, n);
        Softmax.logSoftmax(row, 0, dst, 0, n);
        Softmax.softmax(scratch, 0, scratch, 0, n);                     // in place (on its last output)
        Softmax.softmaxRows(row, 0, n / 8, dst, 3, n / 8 + 1, 8, n / 16);
        Softmax.softmax(row, 0, heapDst, 0, n);                          // native to heap: no Optional either
    }
}
