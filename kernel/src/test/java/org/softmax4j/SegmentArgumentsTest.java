package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The segment entry points' argument rules: each bad call throws its exception and leaves both segments as they
 * were. Runs on every kernel (surefire includes it in every execution).
 */
class SegmentArgumentsTest {
    private static final float SENTINEL = -123.25f;

    private interface RangeCall {
        void run(MemorySegment src, long srcIndex, MemorySegment dst, long dstIndex, int length);
    }

    private static final RangeCall[] RANGE_CALLS = {Softmax::softmax, Softmax::logSoftmax,
        (s, si, d, di, n) -> Softmax.softmaxRows(s, si, n, d, di, n, 1, n)};

    private static float[] values(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.5f - 3;
        }
        return x;
    }

    /** n sentinel floats in memory, float 0 at byte misalign. */
    private static MemorySegment sentinels(Segments memory, Arena arena, int misalign, int n) {
        MemorySegment s = memory.allocate(arena, misalign, n);
        Segments.fill(s, SENTINEL);
        return s;
    }

    /** A native segment of n floats holding values(n), float 0 at byte 1. */
    private static MemorySegment nativeValues(Arena arena, int n) {
        MemorySegment s = Segments.NATIVE.allocate(arena, 1, n);
        Segments.write(s, 0, values(n));
        return s;
    }

    /** Expects the exception and checks that the segments' bytes did not change (segments that can be read). */
    private static <T extends Throwable> void rejected(Class<T> type, MemorySegment a, MemorySegment b,
                                                       Executable call) {
        byte[] aBefore = a == null ? null : a.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] bBefore = b == null ? null : b.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertThrows(type, call);
        if (a != null) {
            assertArrayEquals(aBefore, a.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "src changed");
        }
        if (b != null) {
            assertArrayEquals(bBefore, b.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "dst changed");
        }
    }

    @Test
    void nullSegments() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = nativeValues(arena, 4);
            for (RangeCall call : RANGE_CALLS) {
                rejected(NullPointerException.class, s, null, () -> call.run(s, 0, null, 0, 4));
                rejected(NullPointerException.class, null, s, () -> call.run(null, 0, s, 0, 0));
            }
        }
    }

    @Test
    void rangesOutOfBoundsOrNegative() {
        long[][] bad = { // srcIndex, dstIndex, length for src of 10 floats, dst of 8
            {-1, 0, 3}, {0, -1, 3}, {0, 0, -1}, {8, 0, 3}, {0, 6, 3}, {0, 0, 9}, {11, 0, 0}, {0, 9, 0},
            {Long.MAX_VALUE, 0, 2}, {Long.MAX_VALUE / 4 + 1, 0, 1}, {2, 0, Integer.MAX_VALUE}, {Long.MIN_VALUE, 0, 1},
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = nativeValues(arena, 10);
            MemorySegment dst = sentinels(Segments.HEAP_BYTES, arena, 3, 8);
            for (RangeCall call : RANGE_CALLS) {
                for (long[] b : bad) {
                    rejected(IndexOutOfBoundsException.class, src, dst,
                            () -> call.run(src, b[0], dst, b[1], (int) b[2]));
                }
            }
            // a segment of 4 floats and 3 bytes holds 4 whole floats, not 5
            MemorySegment ragged = MemorySegment.ofArray(new byte[19]);
            rejected(IndexOutOfBoundsException.class, src, ragged, () -> Softmax.softmax(src, 0, ragged, 0, 5));
            Softmax.softmax(src, 0, ragged, 0, 4);
        }
    }

    @Test
    void readOnlyDestination() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = nativeValues(arena, 6);
            MemorySegment heap = MemorySegment.ofArray(values(6));
            for (RangeCall call : RANGE_CALLS) {
                rejected(IllegalArgumentException.class, s, s, () -> call.run(s, 0, s.asReadOnly(), 0, 6));
                rejected(IllegalArgumentException.class, heap, heap, () -> call.run(heap, 0, heap.asReadOnly(), 0, 6));
                rejected(IllegalArgumentException.class, s, s, () -> call.run(s, 0, s.asReadOnly(), 0, 0));
            }
            float[] expected = Softmax.softmax(values(6));  // a read-only src is fine
            MemorySegment out = MemorySegment.ofArray(new float[6]);
            Softmax.softmax(s.asReadOnly(), 0, out, 0, 6);
            assertArrayEquals(expected, Segments.all(out));
            Softmax.softmax(heap.asReadOnly(), 0, out, 0, 6);
            assertArrayEquals(expected, Segments.all(out));
        }
    }

    @Test
    void partialOverlapInMemoryIsRejected() {
        long[][] bad = {{0, 1, 5}, {1, 0, 5}, {2, 6, 5}, {6, 2, 5}, {3, 4, 2}, {9, 8, 2}};
        float[] array = values(11);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = nativeValues(arena, 11);
            MemorySegment[][] views = {
                {n, n},                                                      // one native segment
                {n, n.asSlice(0)},                                           // two views of it
                {MemorySegment.ofArray(array), MemorySegment.ofArray(array)},  // two heap segments of one float[]
                {MemorySegment.ofArray(array).asReadOnly(), MemorySegment.ofArray(array)},
            };
            for (RangeCall call : RANGE_CALLS) {
                for (MemorySegment[] v : views) {
                    for (long[] b : bad) {
                        rejected(IllegalArgumentException.class, v[0], v[1],
                                () -> call.run(v[0], b[0], v[1], b[1], (int) b[2]));
                    }
                }
                // slices of one native segment 2 bytes apart: float ranges overlap by 2 bytes
                MemorySegment shifted = n.asSlice(2);
                rejected(IllegalArgumentException.class, n, shifted, () -> call.run(n, 0, shifted, 0, 3));
                // the same memory through slices at different indices is in place, not overlap
                call.run(n.asSlice(8), 0, n, 2, 4);
            }
        }
    }

    @Test
    void sameRangeOrDisjointRangesAreAllowed() {
        float[] expected = Softmax.softmax(values(5));
        float[] a = new float[10];
        System.arraycopy(values(5), 0, a, 0, 5);
        MemorySegment one = MemorySegment.ofArray(a);
        MemorySegment other = MemorySegment.ofArray(a);
        Softmax.softmax(one, 0, other, 5, 5);                           // adjacent, two segments of one array
        assertArrayEquals(expected, Arrays.copyOfRange(a, 5, 10));
        assertArrayEquals(values(5), Arrays.copyOf(a, 5), "src part untouched");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = nativeValues(arena, 5);
            MemorySegment heap = MemorySegment.ofArray(new float[5]);
            Softmax.softmax(n, 0, heap, 0, 5);                          // native to heap
            assertArrayEquals(expected, Segments.all(heap));
            Softmax.softmax(n, 0, n.asSlice(0), 0, 5);                  // in place through another view
            assertArrayEquals(expected, Segments.all(n));
        }
    }

    @Test
    void badRowsColumnsAndStrides() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = nativeValues(arena, 12);
            MemorySegment dst = sentinels(Segments.NATIVE, arena, 2, 12);
            // rows, cols, srcStride, dstStride, srcIndex
            long[][] outOfBounds = {{-1, 2, 2, 2, 0}, {2, -1, 2, 2, 0}, {3, 4, 4, 5, 0}, {4, 3, 3, 3, 1},
                {Integer.MAX_VALUE, 2, 2, 2, 0}, {3, 2, Long.MAX_VALUE / 2, 2, 0}, {0, 0, 0, 0, 13}, {1, 1, 1, 1, -1}};
            for (long[] b : outOfBounds) {
                rejected(IndexOutOfBoundsException.class, src, dst, () -> Softmax.softmaxRows(src, b[4], b[2], dst, 0,
                        b[3], (int) b[0], (int) b[1]));
            }
            long[][] strideBelowCols = {{2, 4, 3, 4}, {2, 4, 4, 3}, {0, 4, 3, 3}, {1, 1, 0, 1}, {1, 0, -1, 0}};
            for (long[] b : strideBelowCols) {
                rejected(IllegalArgumentException.class, src, dst, () -> Softmax.softmaxRows(src, 0, b[2], dst, 0,
                        b[3], (int) b[0], (int) b[1]));
            }
            // in place needs the same stride: rows 1.. would overlap others
            rejected(IllegalArgumentException.class, src, src, () -> Softmax.softmaxRows(src, 0, 4, src, 0, 5, 2, 4));
            Softmax.softmaxRows(src, 0, 4, dst, 0, 4, 0, 4);  // nothing to do: nothing written
            Softmax.softmaxRows(src, 0, 4, dst, 0, 4, 3, 0);
            float[] written = Segments.all(dst);
            float[] sentinels = new float[12];
            Arrays.fill(sentinels, SENTINEL);
            assertArrayEquals(sentinels, written);
            Softmax.softmaxRows(src, 0, 4, src, 0, 6, 1, 4);  // one row: its stride does not matter, in place
        }
    }

    /** The O(rows) overlap rule against the O(rows²) definition, on random layouts in one segment. */
    @RepeatedTest(20)
    void rowOverlapMatchesTheDefinition() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment whole = Segments.NATIVE.allocate(arena, 0, 400);
            for (int t = 0; t < 200; t++) {
                int rows = 1 + random.nextInt(5);
                int cols = 1 + random.nextInt(6);
                long srcStride = cols + random.nextInt(6);
                long dstStride = random.nextInt(4) == 0 ? srcStride : cols + random.nextInt(6);
                long srcIndex = random.nextInt(60);
                long dstIndex = random.nextInt(4) == 0 ? srcIndex : random.nextInt(60);
                // dst through a view 0-3 bytes off: byte-level overlap counts too
                int shift = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
                MemorySegment dst = whole.asSlice(shift);
                boolean inPlace = shift == 0 && srcIndex == dstIndex && (srcStride == dstStride || rows == 1);
                boolean overlap = false;
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < rows; j++) {
                        long s = 4 * (srcIndex + i * srcStride);
                        long d = shift + 4 * (dstIndex + j * dstStride);
                        overlap |= s < d + 4L * cols && d < s + 4L * cols;
                    }
                }
                String where = "rows=" + rows + " cols=" + cols + " strides " + srcStride + "/" + dstStride
                        + " indices " + srcIndex + "/" + dstIndex + " shift=" + shift + " seed=" + seed;
                Executable call = () -> Softmax.softmaxRows(whole, srcIndex, srcStride, dst, dstIndex, dstStride,
                        rows, cols);
                if (overlap && !inPlace) {
                    rejected(IllegalArgumentException.class, whole, null, call);
                } else {
                    try {
                        call.execute();
                    } catch (Throwable e) {
                        throw new AssertionError("rejected: " + where, e);
                    }
                }
            }
        }
    }

    @Test
    void closedSegmentsFailAsTheFfmApiDoes() {
        Arena closed = Arena.ofConfined();
        MemorySegment gone = closed.allocate(64);
        closed.close();
        assertThrows(IllegalStateException.class, () -> gone.get(Segments.FLOAT, 0));  // what FFM throws
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment live = nativeValues(arena, 8);
            for (RangeCall call : RANGE_CALLS) {
                rejected(IllegalStateException.class, live, null, () -> call.run(live, 0, gone, 0, 8));
                rejected(IllegalStateException.class, null, live, () -> call.run(gone, 0, live, 0, 8));
                rejected(IllegalStateException.class, null, live, () -> call.run(gone, 0, live, 0, 0));
            }
        }
    }

    @Test
    void segmentsOfAnotherThreadFailAsTheFfmApiDoes() throws InterruptedException, ExecutionException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mine = nativeValues(arena, 8);
            MemorySegment out = sentinels(Segments.NATIVE, arena, 0, 8);
            byte[] mineBefore = mine.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            byte[] outBefore = out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            MemorySegment heap = MemorySegment.ofArray(new float[8]);
            for (RangeCall call : RANGE_CALLS) {
                CompletableFuture<Class<?>> thrown = CompletableFuture.supplyAsync(() -> {
                    try {
                        call.run(mine, 0, out, 0, 8);
                        return null;
                    } catch (RuntimeException e) {
                        return e.getClass();
                    }
                });
                assertEquals(WrongThreadException.class, thrown.get());
                CompletableFuture<Class<?>> heapToMine = CompletableFuture.supplyAsync(() -> {
                    try {
                        call.run(heap, 0, mine, 0, 8);
                        return null;
                    } catch (RuntimeException e) {
                        return e.getClass();
                    }
                });
                assertEquals(WrongThreadException.class, heapToMine.get());
            }
            assertArrayEquals(mineBefore, mine.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "src changed");
            assertArrayEquals(outBefore, out.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "dst changed");
        }
    }
}
