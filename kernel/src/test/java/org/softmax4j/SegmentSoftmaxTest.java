package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory-segment entry points give bitwise what the float[] facade gives for the same floats, on whichever
 * kernel this JVM chose (surefire runs this at every vector width and on the scalar fallback): native and heap
 * segments, float 0 at byte alignments 0-3, out of place and in place, with nothing written outside dst. Plus the
 * accuracy contract checked directly, the special rows and strided rows.
 */
class SegmentSoftmaxTest {
    private static final float SENTINEL = -123.25f;
    private static final int PAD = 2;

    /**
     * Softmax and log-softmax of {@code x} from {@code memory} at byte alignment {@code misalign} into a dst at
     * another alignment, and in place, each against the float[] facade's bits.
     */
    static void assertBitwiseTheArrayFacade(Segments memory, int misalign, float[] x, String where) {
        int n = x.length;
        float[] expected = new float[n];
        float[] expectedLog = new float[n];
        Softmax.softmax(x, 0, expected, 0, n);
        Softmax.logSoftmax(x, 0, expectedLog, 0, n);
        String at = where + " " + memory + " misalign=" + misalign + " n=" + n;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = memory.holding(arena, misalign, x, PAD, SENTINEL);
            MemorySegment dst = memory.holding(arena, (misalign + 1) % 4, new float[n], PAD, SENTINEL);
            Softmax.softmax(src, PAD, dst, PAD, n);
            assertWritten(expected, dst, n, "softmax " + at);
            Softmax.logSoftmax(src, PAD, dst, PAD, n);
            assertWritten(expectedLog, dst, n, "log-softmax " + at);
            assertArrayEquals(x, Segments.read(src, PAD, n), "src modified " + at);

            Softmax.softmax(src, PAD, src, PAD, n);
            assertWritten(expected, src, n, "in-place softmax " + at);
            Segments.write(src, PAD, x);
            Softmax.logSoftmax(src, PAD, src, PAD, n);
            assertWritten(expectedLog, src, n, "in-place log-softmax " + at);
        }
    }

    private static void assertWritten(float[] expected, MemorySegment s, int n, String where) {
        assertArrayEquals(expected, Segments.read(s, PAD, n), where);
        float[] all = Segments.all(s);
        for (int i = 0; i < PAD; i++) {
            assertEquals(SENTINEL, all[i], "written before the range: " + where);
            assertEquals(SENTINEL, all[PAD + n + i], "written after the range: " + where);
        }
    }

    @ParameterizedTest
    @EnumSource(Segments.class)
    void bitwiseTheArrayFacadeAtEveryLengthUpTo300(Segments memory) {
        long seed = Rows.seed();
        for (int n = 0; n <= 300; n++) {
            Rows rows = Rows.values()[n % Rows.values().length];
            float[] x = rows.row(seed + n, n);
            for (int misalign = 0; misalign < 4; misalign++) {
                assertBitwiseTheArrayFacade(memory, misalign, x, rows + " seed=" + seed);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 4097, 32000, 1 << 20})
    void bitwiseTheArrayFacadeOnLongRows(int n) {
        long seed = Rows.seed();
        Rows[] distributions = n <= 4097 ? Rows.values()
                : new Rows[] {Rows.NORMAL_0_3, Rows.MASKED, Rows.TIES, Rows.PEAKED};
        for (Rows rows : distributions) {
            float[] x = rows.row(seed, n);
            String where = rows + " seed=" + seed;
            assertBitwiseTheArrayFacade(Segments.NATIVE, 1, x, where);
            assertBitwiseTheArrayFacade(Segments.HEAP_FLOATS, 0, x, where);  // the float[] shortcut
            if (n <= 32000) {  // heap segments off the shortcut are slow on JDK 25's Vector API (see SegmentSoftmax)
                assertBitwiseTheArrayFacade(Segments.HEAP_BYTES, 3, x, where);
                assertBitwiseTheArrayFacade(Segments.HEAP_FLOATS, 2, x, where);
            }
        }
    }

    /** A row of 257 blocks (the per-thread scratch of block sums grows past its first size), in place. */
    @Test
    void bitwiseTheArrayFacadeOnARowOfManyBlocks() {
        int n = 256 * BlockedSoftmax.BLOCK + 5;
        long seed = Rows.seed();
        float[] x = Rows.NORMAL_0_3.row(seed, n);
        float[] expected = new float[n];
        Softmax.softmax(x, 0, expected, 0, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = Segments.NATIVE.allocate(arena, 1, n);
            Segments.write(s, 0, x);
            Softmax.softmax(s, 0, s, 0, n);
            assertArrayEquals(expected, Segments.read(s, 0, n), "n=" + n + " seed=" + seed);
        }
    }

    /** The accuracy contract and the log-softmax bar, checked on the segment outputs themselves. */
    @ParameterizedTest
    @ValueSource(ints = {1000, 32000, 128256})
    void accuracyContract(int n) {
        long seed = Rows.seed();
        for (Rows rows : Rows.values()) {
            float[] x = rows.row(seed, n);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment src = Segments.NATIVE.allocate(arena, 3, n);
                MemorySegment dst = Segments.NATIVE.allocate(arena, 1, n);
                Segments.write(src, 0, x);
                Softmax.softmax(src, 0, dst, 0, n);
                KernelAccuracyTests.assertContract("segment softmax", rows, seed, seed, x, Segments.read(dst, 0, n),
                        ReferenceSoftmax.softmax(x, 0, n));
                Softmax.logSoftmax(src, 0, dst, 0, n);
                KernelAccuracyTests.assertLogBar(rows, seed, seed, x, Segments.read(dst, 0, n),
                        ReferenceSoftmax.logSoftmax(x, 0, n));
            }
        }
    }

    private static final float NEGATIVE_NAN = Float.intBitsToFloat(0xFFC00000);

    /**
     * NaN rows (both signs, among finite values and among -inf), +inf rows, fully masked rows and masked blocks,
     * short and blocked, as the float[] facade.
     */
    @Test
    void specialRows() {
        long seed = Rows.seed();
        int block = BlockedSoftmax.BLOCK;
        for (int n : new int[] {1, 2, 5, 16, 17, 100, block, 3 * block + 5}) {
            for (int at : new int[] {0, n / 2, n - 1}) {
                String where = "n=" + n + " at=" + at + " seed=" + seed;
                float[] x = Rows.NORMAL_0_3.row(seed, n);
                x[at] = Float.NaN;
                assertBitwiseTheArrayFacade(Segments.NATIVE, 1, x, "NaN " + where);
                x[at] = NEGATIVE_NAN;  // found as the min by the max-and-min pass, not as the max
                assertBitwiseTheArrayFacade(Segments.NATIVE, 1, x, "negative NaN " + where);
                x[at] = Float.POSITIVE_INFINITY;
                x[(at + 7) % n] = Float.POSITIVE_INFINITY;
                assertBitwiseTheArrayFacade(Segments.NATIVE, 2, x, "+inf " + where);
                x[n - 1 - at] = Float.NaN;  // NaN wins over +inf
                assertBitwiseTheArrayFacade(Segments.HEAP_BYTES, 1, x, "NaN and +inf " + where);
                Arrays.fill(x, Float.NEGATIVE_INFINITY);
                assertBitwiseTheArrayFacade(Segments.NATIVE, 3, x, "all -inf " + where);
                for (float nan : new float[] {Float.NaN, NEGATIVE_NAN}) {
                    x[at] = nan;
                    assertBitwiseTheArrayFacade(Segments.NATIVE, 0, x,
                            "NaN among -inf " + Integer.toHexString(Float.floatToRawIntBits(nan)) + " " + where);
                }
                x[at] = 0.5f;
                assertBitwiseTheArrayFacade(Segments.HEAP_FLOATS, 1, x, "one live " + where);
            }
        }
        try (Arena arena = Arena.ofConfined()) {  // the semantics themselves, as Softmax's javadoc states them
            float inf = Float.POSITIVE_INFINITY;
            MemorySegment s = arena.allocateFrom(Segments.FLOAT, 1f, inf, inf, Float.NEGATIVE_INFINITY);
            Softmax.softmax(s, 0, s, 0, 4);
            assertArrayEquals(new float[] {0f, 0.5f, 0.5f, 0f}, Segments.all(s));
            MemorySegment masked = arena.allocateFrom(Segments.FLOAT, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
            Softmax.softmax(masked, 0, masked, 0, 2);
            assertArrayEquals(new float[] {0f, 0f}, Segments.all(masked));
            MemorySegment nan = arena.allocateFrom(Segments.FLOAT, 1f, Float.NaN, 2f);
            Softmax.logSoftmax(nan, 0, nan, 0, 3);
            assertArrayEquals(new float[] {Float.NaN, Float.NaN, Float.NaN}, Segments.all(nan));
        }
    }

    /** Strided rows: each bitwise the float[] facade's row; the padding between rows untouched. */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 17, 100, 1024, 4099})
    void stridedRowsEqualRowByRowBitwise(int cols) {
        long seed = Rows.seed();
        int rows = 6;
        for (int pad : new int[] {0, 3}) {
            long stride = cols + pad;
            float[] x = Rows.MASKED.row(seed, (int) (rows * stride));
            x[(int) stride] = Float.NaN;                             // row 1 a NaN row
            if (cols > 1) {
                x[(int) (2 * stride) + 1] = Float.POSITIVE_INFINITY; // row 2 an inf row
            }
            Arrays.fill(x, (int) (3 * stride), (int) (3 * stride) + cols, Float.NEGATIVE_INFINITY);  // row 3 masked
            float[] expected = x.clone();  // padding keeps its src values in place...
            for (int r = 0; r < rows; r++) {
                Softmax.softmax(x, (int) (r * stride), expected, (int) (r * stride), cols);
            }
            for (Segments memory : Segments.values()) {
                String where = memory + " cols=" + cols + " pad=" + pad + " seed=" + seed;
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment src = memory.allocate(arena, memory == Segments.HEAP_FLOATS ? 0 : 1, x.length);
                    Segments.write(src, 0, x);
                    MemorySegment dst = memory.allocate(arena, 2, x.length + 5);
                    Segments.fill(dst, SENTINEL);
                    Softmax.softmaxRows(src, 0, stride, dst, 5, stride, rows, cols);
                    float[] out = Segments.read(dst, 5, x.length);
                    for (int r = 0; r < rows; r++) {
                        int o = (int) (r * stride);
                        assertArrayEquals(Arrays.copyOfRange(expected, o, o + cols),
                                Arrays.copyOfRange(out, o, o + cols), "row " + r + " " + where);
                        for (int p = 0; p < pad && o + cols + p < out.length; p++) {
                            assertEquals(SENTINEL, out[o + cols + p], "padding written, row " + r + " " + where);
                        }
                    }
                    Softmax.softmaxRows(src, 0, stride, src, 0, stride, rows, cols);  // in place
                    assertArrayEquals(expected, Segments.read(src, 0, x.length), "in place (padding kept) " + where);
                }
            }
        }
    }
}
