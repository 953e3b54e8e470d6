package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A row's result does not depend on where it lies in its array: at the end (its last vector overhangs the array's
 * end), inside, or after a prefix of other floats (then the vector kernel reads its tail as the whole vector that
 * ends where the row ends, see vector/Tail.java; a short row at an array's start goes through a scratch copy).
 * Bitwise the same, for every operation, at every length around the lane width; the floats before the row, NaN and
 * infinities here, are neither read into the result nor written.
 */
class VectorTailTest {
    @Test
    void rowsEndingAtTheArrayEndEqualRowsInside() {
        long seed = Rows.seed();
        for (int n = 1; n <= 80; n++) {
            float[] tight = Rows.NORMAL_0_3.row(seed + n, n);
            float[] padded = Arrays.copyOf(tight, n + 64);  // same row, followed by room for a whole vector
            float[] mask = Rows.MASKED.row(seed - n, n);
            float[] paddedMask = Arrays.copyOf(mask, n + 64);
            String what = "n=" + n + " seed=" + seed + " on " + Softmax.implementation();
            for (int op = 0; op < 5; op++) {
                float[] atEnd = new float[n];
                float[] inside = new float[n + 64];
                run(op, tight, mask, atEnd, n);
                run(op, padded, paddedMask, inside, n);
                assertArrayEquals(Arrays.copyOf(inside, n), atEnd, what + " op " + op);
                float[] inPlaceAtEnd = tight.clone();
                run(op, inPlaceAtEnd, mask, inPlaceAtEnd, n);
                assertArrayEquals(atEnd, inPlaceAtEnd, what + " op " + op + " in place");

                float[] behind = withPrefix(tight);
                float[] behindMask = withPrefix(mask);
                float[] behindDst = new float[PREFIX + n];
                Arrays.fill(behindDst, 7f);
                run(op, behind, PREFIX, behindMask, behindDst, n);
                assertArrayEquals(atEnd, Arrays.copyOfRange(behindDst, PREFIX, PREFIX + n), what + " op " + op
                        + " after a prefix");
                for (int i = 0; i < PREFIX; i++) {
                    assertEquals(7f, behindDst[i], what + " op " + op + ": written before the row at " + i);
                }
                run(op, behind, PREFIX, behindMask, behind, n);
                assertArrayEquals(atEnd, Arrays.copyOfRange(behind, PREFIX, PREFIX + n), what + " op " + op
                        + " in place after a prefix");
                assertArrayEquals(Arrays.copyOf(withPrefix(tight), PREFIX), Arrays.copyOf(behind, PREFIX),
                        what + " op " + op + ": prefix written in place");
            }
        }
    }

    /** More floats than the widest vector, so that a short row after them is read as a whole vector from them. */
    private static final int PREFIX = 21;

    /** NaN, +inf and -inf in turn, then the row. */
    private static float[] withPrefix(float[] row) {
        float[] out = new float[PREFIX + row.length];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < PREFIX; i++) {
            out[i] = specials[i % 3];
        }
        System.arraycopy(row, 0, out, PREFIX, row.length);
        return out;
    }

    private static void run(int op, float[] src, float[] mask, float[] dst, int n) {
        run(op, src, 0, mask, dst, n);
    }

    /** The row at {@code offset} in src, mask and dst alike. */
    private static void run(int op, float[] src, int offset, float[] mask, float[] dst, int n) {
        switch (op) {
            case 0 -> Softmax.softmax(src, offset, dst, offset, n);
            case 1 -> Softmax.logSoftmax(src, offset, dst, offset, n);
            case 2 -> Softmax.softmax(src, offset, dst, offset, n, 0.3f);
            case 3 -> Softmax.maskedSoftmaxRows(src, offset, n, mask, offset, 0, dst, offset, n, 1, n, 0.7f);
            default -> Softmax.softmaxRows(src, offset, n, dst, offset, n, 1, n);
        }
    }
}
