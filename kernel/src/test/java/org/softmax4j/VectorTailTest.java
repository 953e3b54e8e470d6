package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A row's result does not depend on whether its last vector overhangs the end of its array (then the vector
 * kernel moves that tail through a scratch array, see vector/Tail.java) or lies inside it: bitwise the same, for
 * every operation, at every length around the lane width.
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
            }
        }
    }

    private static void run(int op, float[] src, float[] mask, float[] dst, int n) {
        switch (op) {
            case 0 -> Softmax.softmax(src, 0, dst, 0, n);
            case 1 -> Softmax.logSoftmax(src, 0, dst, 0, n);
            case 2 -> Softmax.softmax(src, 0, dst, 0, n, 0.3f);
            case 3 -> Softmax.maskedSoftmaxRows(src, 0, n, mask, 0, 0, dst, 0, n, 1, n, 0.7f);
            default -> Softmax.softmaxRows(src, 0, n, dst, 0, n, 1, n);
        }
    }
}
