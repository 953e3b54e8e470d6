package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments are rejected before anything is written; nothing the caller did not ask to change is changed. */
class SoftmaxArgumentsTest {
    private static final float SENTINEL = -123.25f;

    private static float[] src(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.5f - 3;
        }
        return x;
    }

    private static float[] sentinels(int n) {
        float[] d = new float[n];
        Arrays.fill(d, SENTINEL);
        return d;
    }

    /** Runs the call, expects the exception, and checks that neither array changed. */
    private static <T extends Throwable> void rejected(Class<T> type, float[] src, float[] dst, Executable call) {
        float[] srcBefore = src == null ? null : src.clone();
        float[] dstBefore = dst == null ? null : dst.clone();
        assertThrows(type, call);
        if (src != null) {
            assertArrayEquals(srcBefore, src, "src changed");
        }
        if (dst != null) {
            assertArrayEquals(dstBefore, dst, "dst changed");
        }
    }

    private interface RangeCall {
        void run(float[] src, int srcOffset, float[] dst, int dstOffset, int length);
    }

    private static final RangeCall[] RANGE_CALLS = {Softmax::softmax, Softmax::logSoftmax};

    @Test
    void nullArrays() {
        assertThrows(NullPointerException.class, () -> Softmax.softmax(null));
        for (RangeCall call : RANGE_CALLS) {
            float[] dst = sentinels(4);
            rejected(NullPointerException.class, null, dst, () -> call.run(null, 0, dst, 0, 4));
            float[] src = src(4);
            rejected(NullPointerException.class, src, null, () -> call.run(src, 0, null, 0, 4));
            rejected(NullPointerException.class, src, null, () -> call.run(src, 0, null, 0, 0));
        }
        float[] dst = sentinels(4);
        rejected(NullPointerException.class, null, dst, () -> Softmax.softmaxRows(null, dst, 2, 2));
        rejected(NullPointerException.class, null, dst, () -> Softmax.logSoftmaxRows(null, dst, 2, 2));
        float[] src = src(4);
        rejected(NullPointerException.class, src, null, () -> Softmax.softmaxRows(src, null, 2, 2));
        rejected(NullPointerException.class, src, null, () -> Softmax.logSoftmaxRows(src, null, 2, 2));
    }

    @Test
    void rangesOutOfBoundsOrNegative() {
        int[][] bad = { // srcOffset, dstOffset, length for src.length 10, dst.length 8
            {-1, 0, 3}, {0, -1, 3}, {0, 0, -1}, {8, 0, 3}, {0, 6, 3}, {0, 0, 9}, {11, 0, 0}, {0, 9, 0},
            {Integer.MAX_VALUE, 0, 2}, {2, 0, Integer.MAX_VALUE}, {Integer.MIN_VALUE, 0, 1},
        };
        for (RangeCall call : RANGE_CALLS) {
            for (int[] b : bad) {
                float[] src = src(10);
                float[] dst = sentinels(8);
                rejected(IndexOutOfBoundsException.class, src, dst, () -> call.run(src, b[0], dst, b[1], b[2]));
            }
        }
    }

    @Test
    void partialOverlapInOneArrayIsRejected() {
        for (RangeCall call : RANGE_CALLS) {
            for (int[] b : new int[][] {{0, 1, 5}, {1, 0, 5}, {2, 6, 5}, {6, 2, 5}, {3, 4, 2}, {9, 8, 2}}) {
                float[] a = src(11);
                rejected(IllegalArgumentException.class, a, a, () -> call.run(a, b[0], a, b[1], b[2]));
            }
        }
    }

    @Test
    void sameRangeOrDisjointRangesInOneArrayAreAllowed() {
        float[] expected = Softmax.softmax(src(5));
        float[] a = src(10);
        Softmax.softmax(a, 0, a, 5, 5);            // adjacent, disjoint: writes a[5..10)
        assertArrayEquals(expected, Arrays.copyOfRange(a, 5, 10));
        assertArrayEquals(Arrays.copyOf(src(10), 5), Arrays.copyOf(a, 5), "src part untouched");
        float[] b = Arrays.copyOf(src(5), 5);
        Softmax.softmax(b, 0, b, 0, 5);             // in place
        assertArrayEquals(expected, b);
        float[] c = new float[12];
        System.arraycopy(src(5), 0, c, 7, 5);
        Softmax.softmax(c, 7, c, 0, 5);             // dst before src
        assertArrayEquals(expected, Arrays.copyOf(c, 5));
    }

    @Test
    void onlyTheDestinationRangeIsWritten() {
        float[] src = src(20);
        float[] dst = sentinels(30);
        Softmax.softmax(src, 3, dst, 11, 9);
        Softmax.logSoftmax(src, 3, dst, 21, 9);
        for (int i = 0; i < 30; i++) {
            boolean written = (i >= 11 && i < 20) || (i >= 21 && i < 30);
            if (!written) {
                assertArrayEquals(new float[] {SENTINEL}, new float[] {dst[i]}, "dst[" + i + "] written");
            }
        }
        assertArrayEquals(src(20), src, "src modified");
    }

    @Test
    void badRowsAndColumns() {
        int[][] bad = {{-1, 2}, {2, -1}, {-2, -2}, {3, 4}, {4, 3}, {65536, 65536}, {Integer.MAX_VALUE, 2},
            {-65536, -65536}};
        for (int[] b : bad) {
            float[] src = src(11);
            float[] dst = sentinels(11);
            rejected(IndexOutOfBoundsException.class, src, dst, () -> Softmax.softmaxRows(src, dst, b[0], b[1]));
            rejected(IndexOutOfBoundsException.class, src, dst, () -> Softmax.logSoftmaxRows(src, dst, b[0], b[1]));
        }
        float[] src = src(12);
        float[] shortDst = sentinels(11);
        rejected(IndexOutOfBoundsException.class, src, shortDst, () -> Softmax.softmaxRows(src, shortDst, 3, 4));
        float[] dst = sentinels(4);
        Softmax.softmaxRows(src, dst, 0, 5);       // no rows: nothing written
        Softmax.softmaxRows(src, dst, 5, 0);       // empty rows: nothing written
        assertArrayEquals(sentinels(4), dst);
    }
}
