package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.softmax4j.vector.VectorKernel;

/**
 * The two-pass path, called directly (the facade takes it only for rows larger than the last-level cache, which
 * may be hundreds of MiB): the same accuracy contract as the three-pass path, special rows found in any chunk, and the
 * running max rising in late chunks (rescaling).
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

    @Test
    void lastLevelCacheIsReadFromSysfsOrDefaults(@TempDir Path dir) throws Exception {
        for (String[] index : new String[][] {{"index0", "48K"}, {"index2", "2048K"}, {"index3", "491520K"}}) {
            Files.createDirectories(dir.resolve(index[0]));
            Files.writeString(dir.resolve(index[0]).resolve("size"), index[1] + "\n");
        }
        assertEquals(491520L << 10, LastLevelCache.read(dir));
        Files.writeString(dir.resolve("index3").resolve("size"), "32M");
        assertEquals(32L << 20, LastLevelCache.read(dir));
        assertEquals(LastLevelCache.DEFAULT_BYTES, LastLevelCache.read(dir.resolve("missing")));
        for (String index : new String[] {"index0", "index2", "index3"}) {
            Files.writeString(dir.resolve(index).resolve("size"), "unknown");
        }
        assertEquals(LastLevelCache.DEFAULT_BYTES, LastLevelCache.read(dir), "no readable size: the default, not 0");
        assertTrue(TwoPassSoftmax.MIN_LENGTH > 0);
    }

    /** The facade's rule for taking two passes: never on the scalar kernel, only with 16+ lanes on the vector one. */
    @Test
    void twoPassesPayOnlyWithSixteenOrMoreLanes() {
        assertEquals(false, TwoPassSoftmax.paysOn(ScalarKernel.INSTANCE));
        SoftmaxKernel vector = VectorKernel.create();
        assertEquals(vector.lanes() >= 16, TwoPassSoftmax.paysOn(vector), vector.description());
        assertEquals(VectorKernel.floatLanes(), vector.lanes());
        // and the facade follows it at the crossover length (skipped where the last-level cache makes that row huge)
        int n = TwoPassSoftmax.MIN_LENGTH;
        if (n > 1 << 23) {
            return;
        }
        float[] x = Rows.NORMAL_0_3.row(Rows.seed(), n);
        for (SoftmaxKernel kernel : kernels()) {
            float[] facade = new float[n];
            float[] forced = new float[n];
            RowSoftmax.softmax(kernel, x, 0, facade, 0, n);
            if (TwoPassSoftmax.paysOn(kernel)) {
                RowSoftmax.softmaxRowInTwoPasses(kernel, x, 0, forced, 0, n);
            } else {
                RowSoftmax.softmaxRowBlocked(kernel, x, 0, forced, 0, n);
            }
            assertArrayEquals(forced, facade, "facade at n = " + n + " on " + kernel.description());
        }
    }
}
