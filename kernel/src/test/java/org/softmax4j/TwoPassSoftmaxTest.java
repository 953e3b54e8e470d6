package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.vector.VectorKernel;

/**
 * The two-pass path, called directly as the bench's "softmax4j-two-pass" contender does (the facade does not take
 * it; the last test checks that): the same accuracy contract as the three-pass path, special rows found in any
 * chunk, and the running max rising in late chunks (rescaling).
 */
class TwoPassSoftmaxTest {
    /** Both kernels; in the forced-width surefire runs only the vector kernel (the scalar one does not change). */
    static List<SoftmaxKernel> kernels() {
        return System.getProperty("softmax4j.vectorBits") != null ? List.of(VectorKernel.create())
                : List.of(ScalarKernel.INSTANCE, VectorKernel.create());
    }

    private static float[] twoPass(SoftmaxKernel kernel, float[] x) {
        float[] y = new float[x.length];
        float max = TwoPassSoftmax.softmax(kernel, x, 0, y, 0, x.length);
        assertTrue(Float.isFinite(max), "finite row reported as special: " + max);
        return y;
    }

    /** The accuracy contract up to 1M on every distribution; KernelAccuracyTests#contractAt16M covers 16M. */
    @ParameterizedTest
    @MethodSource("kernels")
    void meetsTheAccuracyContract(SoftmaxKernel kernel) {
        long seed = Rows.seed();
        for (int n : new int[] {1, 4095, 4096, 4097, 3 * 4096 + 17, 100_003, 1 << 20}) {
            for (Rows rows : Rows.values()) {
                float[] x = rows.row(seed + n, n);
                KernelAccuracyTests.assertContract("two-pass softmax", rows, seed, seed + n, x, twoPass(kernel, x),
                        ReferenceSoftmax.softmax(x, 0, n));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void maxRisingInEveryChunkIsRescaledExactly(SoftmaxKernel kernel) {
        int n = 40 * 4096 + 5;
        float[] ascending = new float[n];
        float[] sawtooth = new float[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = -30 + 60f * i / n;                 // every chunk raises the max
            sawtooth[i] = (i % 4096) * 1e-3f + i / 4096 * 0.5f;
        }
        for (float[] x : new float[][] {ascending, sawtooth}) {
            KernelAccuracyTests.assertContract("rising max (ascending, then sawtooth)", null, 0, 0, x,
                    twoPass(kernel, x), ReferenceSoftmax.softmax(x, 0, n));
        }
    }

    /**
     * Many equal logits, then a larger one in a later chunk: every term summed before the max rose rounds its shift
     * the same way (fl(2^-21 - 8.25) is a tie that rounds to -8.25), so pass 1's sum is 4.3e-7 off, and the outputs
     * were 5.5 ulp off the rounded-shift reference before pass 2's sum corrected them. Also in place, where src is
     * gone when that is noticed. (Against the exact softmax the contract allows about 10 ulps at the max and 18
     * elsewhere here: the shifts all round one way, which is the normalizer's share of the allowance.)
     */
    @ParameterizedTest
    @MethodSource("kernels")
    void manyEqualLogitsBeforeALaterMaxMeetTheContract(SoftmaxKernel kernel) {
        int n = 9 * 4096 + 1;
        float[] x = new float[n];
        Arrays.fill(x, 0x1p-21f);
        x[n - 1] = 8.25f;
        double[] exact = ReferenceSoftmax.softmax(x, 0, n);
        KernelAccuracyTests.assertContract("equal logits, late max", null, 0, 0, x, twoPass(kernel, x), exact);
        float[] inPlace = x.clone();
        RowSoftmax.softmaxRowInTwoPasses(kernel, inPlace, 0, inPlace, 0, n);
        KernelAccuracyTests.assertContract("equal logits, late max, in place", null, 0, 0, x, inPlace, exact);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void theFacadesTwoPassPathHandlesSpecialRows(SoftmaxKernel kernel) {
        int n = 3 * 4096 + 5;
        float[] x = Rows.NORMAL_0_3.row(1, n);
        x[2 * 4096 + 3] = Float.POSITIVE_INFINITY;
        float[] y = new float[n];
        RowSoftmax.softmaxRowInTwoPasses(kernel, x, 0, y, 0, n);
        float[] expected = new float[n];
        expected[2 * 4096 + 3] = 1f;
        assertArrayEquals(expected, y, "+inf");
        x[5] = Float.NaN;
        RowSoftmax.softmaxRowInTwoPasses(kernel, x, 0, y, 0, n);
        Arrays.fill(expected, Float.NaN);
        assertArrayEquals(expected, y, "NaN");
        Arrays.fill(x, Float.NEGATIVE_INFINITY);
        RowSoftmax.softmaxRowInTwoPasses(kernel, x, 0, y, 0, n);
        assertArrayEquals(new float[n], y, "fully masked");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void specialRowsAreFoundInAnyChunkBeforeAnythingIsWritten(SoftmaxKernel kernel) {
        int n = 5 * 4096 + 3;
        for (int at : new int[] {0, 4096, 3 * 4096 + 7, n - 1}) {
            float[] x = Rows.NORMAL_0_3.row(at, n);
            float[] y = new float[n];
            Arrays.fill(y, 42f);

            x[at] = Float.NaN;
            assertEquals(Float.NaN, TwoPassSoftmax.softmax(kernel, x, 0, y, 0, n), "NaN at " + at);
            x[at] = Float.POSITIVE_INFINITY;
            assertEquals(Float.POSITIVE_INFINITY, TwoPassSoftmax.softmax(kernel, x, 0, y, 0, n), "+inf at " + at);
            x[n - 1 - at] = Float.NaN;                        // NaN after (or at) the +inf still wins
            assertEquals(Float.NaN, TwoPassSoftmax.softmax(kernel, x, 0, y, 0, n), "+inf at " + at + ", NaN later");
            float[] untouched = new float[n];
            Arrays.fill(untouched, 42f);
            assertArrayEquals(untouched, y, "written before the row was known to be special");
        }
        float[] masked = new float[n];
        Arrays.fill(masked, Float.NEGATIVE_INFINITY);
        assertEquals(Float.NEGATIVE_INFINITY, TwoPassSoftmax.softmax(kernel, masked, 0, new float[n], 0, n));

        masked[3 * 4096 + 1] = 2f;                           // mass only in a late chunk, -inf chunks before it
        masked[n - 1] = 2f;
        float[] y = twoPass(kernel, masked);
        float[] expected = new float[n];
        expected[3 * 4096 + 1] = 0.5f;
        expected[n - 1] = 0.5f;
        assertArrayEquals(expected, y);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void atAnOffsetAndInPlaceGivesTheSameBits(SoftmaxKernel kernel) {
        long seed = Rows.seed();
        int n = 9 * 4096 + 11;
        float[] x = Rows.NORMAL_0_10.row(seed, n);
        float[] expected = twoPass(kernel, x);
        float[] shifted = new float[n + 13];
        System.arraycopy(x, 0, shifted, 13, n);
        float[] out = new float[n + 5];
        TwoPassSoftmax.softmax(kernel, shifted, 13, out, 5, n);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 5, n + 5), "seed=" + seed);
        TwoPassSoftmax.softmax(kernel, shifted, 13, shifted, 13, n);
        assertArrayEquals(expected, Arrays.copyOfRange(shifted, 13, n + 13), "in place, seed=" + seed);
    }

    /**
     * The facade takes the blocked path beyond the last-level cache too (a 4M row and its output are 32 MiB, the L3 of
     * the machines measured): bitwise the blocked path's output, which differs from the two-pass path's.
     */
    @Test
    void theFacadeTakesTheBlockedPathBeyondTheCaches() {
        int n = (1 << 22) + 3;
        long seed = Rows.seed();
        float[] x = Rows.NORMAL_0_3.row(seed, n);
        for (SoftmaxKernel kernel : kernels()) {
            String where = kernel.description() + " seed=" + seed;
            float[] facade = new float[n];
            float[] blocked = new float[n];
            RowSoftmax.softmax(kernel, x, 0, facade, 0, n);
            assertEquals(BlockedSoftmax.DONE, BlockedSoftmax.softmax(kernel, x, 0, blocked, 0, n), where);
            assertArrayEquals(blocked, facade, "facade against blocked " + where);
            assertFalse(Arrays.equals(twoPass(kernel, x), facade), "the two paths give the same bits: " + where);
        }
    }
}
