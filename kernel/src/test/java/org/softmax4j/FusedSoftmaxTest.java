package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused variants (scale, additive mask, causal rows, strided rows) against the exact softmax of
 * {@code v = scale · x + mask} in double, with the accuracy contract's allowance grown by one float rounding of
 * {@code v_i} and of {@code max v} (the bar for fused variants), and against their unfused compositions. Runs
 * at every vector width and on the scalar fallback (kernel/pom.xml); {@link #scalarKernelMeetsTheSameBars} also
 * runs the scalar kernel in the same JVM.
 */
class FusedSoftmaxTest {
    private static final int[] LENGTHS = {1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 33, 100, 1000, 4096, 4097, 10000};
    private static final float[] SCALES = {0.125f, 0.7f, 1f, 3f};

    @ParameterizedTest
    @EnumSource(Rows.class)
    void scaledSoftmaxMeetsTheFusedContractAndEqualsScaleThenSoftmax(Rows rows) {
        long seed = Rows.seed();
        for (int n : LENGTHS) {
            for (float scale : SCALES) {
                float[] x = rows.row(seed + n, n);
                float[] original = x.clone();
                float[] y = new float[n];
                Softmax.softmax(x, 0, y, 0, n, scale);
                assertArrayEquals(original, x, "src modified");
                double[] v = new double[n];
                float[] scaled = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (double) scale * x[i];  // exact: a product of two floats fits a double
                    scaled[i] = scale * x[i];
                }
                String what = "softmax scale=" + scale + " " + rows + " n=" + n + " seed=" + seed;
                if (Float.isFinite(max(scaled))) {
                    assertFusedContract(what, v, y);
                }
                float[] unfused = new float[n];
                Softmax.softmax(scaled, 0, unfused, 0, n);
                assertArrayEquals(unfused, y, what + ": differs from scale-then-softmax");

                float[] inPlace = x.clone();
                Softmax.softmax(inPlace, 0, inPlace, 0, n, scale);
                assertArrayEquals(y, inPlace, what + ": in place differs");

                float[] logp = new float[n];
                Softmax.logSoftmax(x, 0, logp, 0, n, scale);
                float[] unfusedLog = new float[n];
                Softmax.logSoftmax(scaled, 0, unfusedLog, 0, n);
                assertArrayEquals(unfusedLog, logp, what + ": log-softmax differs from scale-then-logSoftmax");
                if (Float.isFinite(max(scaled))) {
                    assertFusedLogBar(what, v, logp);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 16, 17, 64, 1000, 4096, 5000, 9000})
    void maskedRowsMeetTheFusedContract(int cols) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (boolean broadcast : new boolean[] {false, true}) {
            int rows = 5;
            int srcStride = cols + random.nextInt(3);
            int maskStride = broadcast ? 0 : cols + random.nextInt(3);
            int dstStride = cols + random.nextInt(3);
            float scale = (float) (1 / Math.sqrt(64));
            float[] src = Rows.NORMAL_0_10.row(random.nextLong(), 3 + rows * srcStride);
            float[] mask = new float[2 + (broadcast ? cols : rows * maskStride)];
            for (int i = 0; i < mask.length; i++) {
                int kind = random.nextInt(4);
                mask[i] = kind == 0 ? Float.NEGATIVE_INFINITY : kind == 1 ? 0f : (float) random.nextGaussian();
            }
            for (int r = 0; r < rows; r++) {
                mask[2 + r * maskStride + random.nextInt(cols)] = 0f;  // every row keeps a live position
            }
            float[] dst = new float[1 + rows * dstStride];
            Arrays.fill(dst, 42f);
            float[] srcBefore = src.clone();
            float[] maskBefore = mask.clone();
            Softmax.maskedSoftmaxRows(src, 3, srcStride, mask, 2, maskStride, dst, 1, dstStride, rows, cols, scale);
            assertArrayEquals(srcBefore, src);
            assertArrayEquals(maskBefore, mask);
            assertEquals(42f, dst[0]);
            for (int r = 0; r < rows; r++) {
                String what = "masked row " + r + " cols=" + cols + " broadcast=" + broadcast + " seed=" + seed;
                double[] v = new double[cols];
                float[] unfused = new float[cols];
                for (int c = 0; c < cols; c++) {
                    float x = src[3 + r * srcStride + c];
                    float m = mask[2 + r * maskStride + c];
                    v[c] = (double) scale * x + m;
                    unfused[c] = scale * x + m;  // the unfused composition: two roundings
                }
                float[] row = Arrays.copyOfRange(dst, 1 + r * dstStride, 1 + r * dstStride + cols);
                assertFusedContract(what, v, row);
                float[] composed = new float[cols];
                Softmax.softmax(unfused, 0, composed, 0, cols);
                assertFusedContract(what + " (unfused composition)", v, composed);
                for (int c = cols; c < dstStride && r < rows - 1; c++) {
                    assertEquals(42f, dst[1 + r * dstStride + c], what + ": wrote between rows");
                }
            }
        }
    }

    @Test
    void maskedRowsEqualFmaThenSoftmaxBitwise() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int cols : LENGTHS) {
            float[] src = Rows.NORMAL_0_3.row(random.nextLong(), cols);
            float[] mask = Rows.MASKED.row(random.nextLong(), cols);
            float scale = 0.3f;
            float[] v = new float[cols];
            for (int c = 0; c < cols; c++) {
                v[c] = Math.fma(scale, src[c], mask[c]);
            }
            float[] expected = new float[cols];
            Softmax.softmax(v, 0, expected, 0, cols);
            float[] actual = new float[cols];
            Softmax.maskedSoftmaxRows(src, 0, cols, mask, 0, cols, actual, 0, cols, 1, cols, scale);
            assertArrayEquals(expected, actual, "cols=" + cols + " seed=" + seed);
        }
    }

    @Test
    void maskSemantics() {
        float[] src = {1f, 2f, 3f, 4f};
        float[] dst = new float[4];
        float inf = Float.POSITIVE_INFINITY;
        float[] all = {-inf, -inf, -inf, -inf};
        Softmax.maskedSoftmaxRows(src, 0, 4, all, 0, 4, dst, 0, 4, 1, 4, 1f);
        assertArrayEquals(new float[4], dst, "fully masked row: zeros");

        float[] some = {0f, -inf, 0f, -inf};
        Softmax.maskedSoftmaxRows(src, 0, 4, some, 0, 4, dst, 0, 4, 1, 4, 1f);
        float e = (float) (1 / (1 + Math.exp(2)));
        assertArrayEquals(new float[] {e, 0f, 1 - e, 0f}, dst, 1e-7f);
        assertEquals(0f, dst[1]);
        assertEquals(0f, dst[3]);

        float[] nanUnderMask = {Float.NaN, 2f, 3f, 4f};
        Softmax.maskedSoftmaxRows(nanUnderMask, 0, 4, some, 0, 4, dst, 0, 4, 1, 4, 1f);
        assertAllNaN(dst, "NaN score under a -inf mask");
        float[] infUnderMask = {1f, inf, 3f, 4f};
        Softmax.maskedSoftmaxRows(infUnderMask, 0, 4, some, 0, 4, dst, 0, 4, 1, 4, 1f);
        assertAllNaN(dst, "+inf score under a -inf mask (inf - inf)");

        float[] plusInf = {1f, 2f, inf, 4f};
        Softmax.maskedSoftmaxRows(plusInf, 0, 4, new float[4], 0, 0, dst, 0, 4, 1, 4, 0.5f);
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f}, dst, "+inf score under a 0 mask takes all the mass");

        float[] one = {7f};
        float[] out = new float[1];
        Softmax.maskedSoftmaxRows(one, 0, 1, new float[1], 0, 0, out, 0, 1, 1, 1, 2f);
        assertEquals(1f, out[0], "one column");
        Softmax.maskedSoftmaxRows(one, 0, 1, new float[] {-inf}, 0, 0, out, 0, 1, 1, 1, 2f);
        assertEquals(0f, out[0], "one masked column");
    }

    /** Special values found in a later block of a long fused row, where the blocks before are already written. */
    @Test
    void specialValuesInALaterBlockOfALongFusedRow() {
        int n = 3 * BlockedSoftmax.BLOCK + 100;
        float[] base = Rows.NORMAL_0_3.row(Rows.seed(), n);
        float[] mask = new float[n];
        for (boolean inPlace : new boolean[] {false, true}) {
            float[] x = base.clone();
            x[2 * BlockedSoftmax.BLOCK + 5] = Float.POSITIVE_INFINITY;
            x[n - 1] = Float.POSITIVE_INFINITY;
            float[] y = inPlace ? x : new float[n];
            Softmax.maskedSoftmaxRows(x, 0, n, mask, 0, 0, y, 0, n, 1, n, 0.5f);
            for (int i = 0; i < n; i++) {
                float expected = i == 2 * BlockedSoftmax.BLOCK + 5 || i == n - 1 ? 0.5f : 0f;
                assertEquals(expected, y[i], "two +inf share the mass, inPlace=" + inPlace + " i=" + i);
            }
            x = base.clone();
            x[2 * BlockedSoftmax.BLOCK + 5] = Float.POSITIVE_INFINITY;
            x[n - 3] = Float.NaN;  // a NaN after the +inf still wins
            y = inPlace ? x : new float[n];
            Softmax.softmax(x, 0, y, 0, n, 2f);
            assertAllNaN(y, "NaN after +inf, inPlace=" + inPlace);
            x = base.clone();
            Arrays.fill(x, 0, 2 * BlockedSoftmax.BLOCK, Float.NEGATIVE_INFINITY);
            x[BlockedSoftmax.BLOCK + 7] = Float.NaN;  // NaN in an otherwise masked block
            y = inPlace ? x : new float[n];
            Softmax.softmax(x, 0, y, 0, n, 2f);
            assertAllNaN(y, "NaN in a masked block, inPlace=" + inPlace);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 17, 100})
    void causalRowsSeeOnlyTheirPastAndNeverReadTheFuture(int firstPosition) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int cols : new int[] {1, 5, 16, 33, 130, 5000}) {
            int rows = Math.min(9, cols + 2);
            int srcStride = cols + 1;
            int dstStride = cols + 2;
            float scale = 0.125f;
            float[] src = Rows.NORMAL_0_10.row(random.nextLong(), rows * srcStride);
            for (int r = 0; r < rows; r++) {
                for (int c = firstPosition + r + 1; c < cols; c++) {
                    src[r * srcStride + c] = Float.NaN;  // unseen: engines leave it uncomputed
                }
            }
            for (boolean inPlace : new boolean[] {false, true}) {
                float[] dst = inPlace ? src.clone() : new float[rows * dstStride];
                float[] input = inPlace ? dst : src;
                int stride = inPlace ? srcStride : dstStride;
                Softmax.causalSoftmaxRows(input, 0, srcStride, dst, 0, stride, rows, cols, scale, firstPosition);
                for (int r = 0; r < rows; r++) {
                    int seen = Math.min(cols, firstPosition + r + 1);
                    String what = "causal row " + r + " cols=" + cols + " first=" + firstPosition + " inPlace="
                            + inPlace + " seed=" + seed;
                    double[] v = new double[seen];
                    for (int c = 0; c < seen; c++) {
                        v[c] = (double) scale * src[r * srcStride + c];
                    }
                    float[] row = Arrays.copyOfRange(dst, r * stride, r * stride + seen);
                    assertFusedContract(what, v, row);
                    for (int c = seen; c < cols; c++) {
                        assertEquals(0f, dst[r * stride + c], what + ": unseen column " + c);
                    }
                    if (r == 0 && firstPosition == 0) {
                        assertEquals(1f, dst[0], what + ": row 0 sees only itself");
                    }
                }
            }
        }
    }

    @Test
    void stridedRowsEqualRowByRowSoftmaxAndTouchNothingBetween() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int cols : new int[] {0, 1, 16, 100, 4097}) {
            int rows = 4;
            int srcStride = cols + 5;
            int dstStride = cols + 3;
            float[] src = Rows.NORMAL_0_3.row(random.nextLong(), 7 + rows * srcStride);
            float[] dst = new float[2 + rows * dstStride + 4];
            Arrays.fill(dst, -5f);
            Softmax.softmaxRows(src, 7, srcStride, dst, 2, dstStride, rows, cols);
            float[] expected = new float[dst.length];
            Arrays.fill(expected, -5f);
            for (int r = 0; r < rows; r++) {
                Softmax.softmax(src, 7 + r * srcStride, expected, 2 + r * dstStride, cols);
            }
            assertArrayEquals(expected, dst, "cols=" + cols + " seed=" + seed);
            float[] inPlace = src.clone();
            Softmax.softmaxRows(inPlace, 7, srcStride, inPlace, 7, srcStride, rows, cols);
            for (int r = 0; r < rows; r++) {
                assertArrayEquals(Arrays.copyOfRange(expected, 2 + r * dstStride, 2 + r * dstStride + cols),
                        Arrays.copyOfRange(inPlace, 7 + r * srcStride, 7 + r * srcStride + cols));
            }
            assertArrayEquals(Arrays.copyOfRange(src, 0, 7), Arrays.copyOfRange(inPlace, 0, 7));
        }
        // interleaved rows of one array: src rows at even positions, dst rows at odd ones (disjoint)
        float[] a = Rows.NORMAL_0_3.row(seed, 8 * 10);
        float[] b = a.clone();
        Softmax.softmaxRows(a, 0, 20, a, 10, 20, 4, 10);
        for (int r = 0; r < 4; r++) {
            float[] expected = new float[10];
            Softmax.softmax(b, 20 * r, expected, 0, 10);
            assertArrayEquals(expected, Arrays.copyOfRange(a, 20 * r + 10, 20 * r + 20));
        }
    }

    /** The scalar kernel against the same bars, in this JVM (the vector one is behind the facade here). */
    @Test
    void scalarKernelMeetsTheSameBars() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int cols : new int[] {1, 17, 1000, 5000}) {
            float[] src = Rows.NORMAL_0_10.row(random.nextLong(), 3 * cols);
            float[] mask = Rows.MASKED.row(random.nextLong(), cols);
            float[] vector = new float[3 * cols];
            float[] scalar = new float[3 * cols];
            RowSoftmax.maskedSoftmaxRows(Softmax.KERNEL, src, 0, cols, mask, 0, 0, vector, 0, cols, 3, cols, 0.25f);
            RowSoftmax.maskedSoftmaxRows(ScalarKernel.INSTANCE, src, 0, cols, mask, 0, 0, scalar, 0, cols, 3, cols, 0.25f);
            float[] causal = new float[3 * cols];
            RowSoftmax.causalSoftmaxRows(ScalarKernel.INSTANCE, src, 0, cols, causal, 0, cols, 3, cols, 0.25f, 0);
            for (int r = 0; r < 3; r++) {
                double[] v = new double[cols];
                for (int c = 0; c < cols; c++) {
                    v[c] = 0.25 * src[r * cols + c] + mask[c];
                }
                String what = "cols=" + cols + " row " + r + " seed=" + seed;
                assertFusedContract("scalar " + what, v, Arrays.copyOfRange(scalar, r * cols, (r + 1) * cols));
                assertFusedContract(Softmax.implementation() + " " + what, v,
                        Arrays.copyOfRange(vector, r * cols, (r + 1) * cols));
                int seen = Math.min(cols, r + 1);
                double[] w = new double[seen];
                for (int c = 0; c < seen; c++) {
                    w[c] = 0.25 * src[r * cols + c];
                }
                assertFusedContract("scalar causal " + what, w, Arrays.copyOfRange(causal, r * cols, r * cols + seen));
            }
        }
    }

    /** The transform every fused path runs: bitwise the same on the vector and scalar kernels. */
    @Test
    void storeScaledPlusMaskAndMaxIsAScalarTwin() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n <= 70; n++) {
            float[] x = Rows.HEAVY_TAILS.row(random.nextLong(), n + 1);
            float[] mask = Rows.MASKED.row(random.nextLong(), n + 2);
            for (float[] m : new float[][] {null, mask}) {
                float[] vector = new float[n + 3];
                float[] scalar = new float[n + 3];
                float vmax = Softmax.KERNEL.storeScaledPlusMaskAndMax(x, 1, 0.37f, m, 2, vector, 3, n);
                float smax = ScalarKernel.INSTANCE.storeScaledPlusMaskAndMax(x, 1, 0.37f, m, 2, scalar, 3, n);
                String what = "n=" + n + " mask=" + (m != null) + " seed=" + seed;
                assertArrayEquals(scalar, vector, what);
                assertEquals(smax == 0 ? 0f : smax, vmax == 0 ? 0f : vmax, what);  // either zero sign
            }
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        float[] src = {1f, 2f, 3f, 4f, 5f, 6f};
        float[] mask = new float[6];
        for (float scale : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY, -0f}) {
            float[] dst = filled(6);
            assertThrows(IllegalArgumentException.class, () -> Softmax.softmax(src, 0, dst, 0, 6, scale));
            assertThrows(IllegalArgumentException.class, () -> Softmax.logSoftmax(src, 0, dst, 0, 6, scale));
            assertThrows(IllegalArgumentException.class,
                    () -> Softmax.maskedSoftmaxRows(src, 0, 3, mask, 0, 3, dst, 0, 3, 2, 3, scale));
            assertThrows(IllegalArgumentException.class,
                    () -> Softmax.causalSoftmaxRows(src, 0, 3, dst, 0, 3, 2, 3, scale, 0));
            assertArrayEquals(filled(6), dst);
        }
        float[] dst = filled(6);
        assertThrows(IllegalArgumentException.class, () -> Softmax.causalSoftmaxRows(src, 0, 3, dst, 0, 3, 2, 3, 1f, -1));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxRows(src, 0, 2, dst, 0, 3, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxRows(src, 0, 3, dst, 0, 0, 2, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Softmax.maskedSoftmaxRows(src, 0, 3, mask, 0, 2, dst, 0, 3, 2, 3, 1f));
        assertThrows(IndexOutOfBoundsException.class, () -> Softmax.softmaxRows(src, 1, 3, dst, 0, 3, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Softmax.softmaxRows(src, 0, 3, dst, -1, 3, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Softmax.softmaxRows(src, 0, 3, dst, 0, 3, -1, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Softmax.maskedSoftmaxRows(src, 0, 3, mask, 4, 0, dst, 0, 3, 2, 3, 1f));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Softmax.causalSoftmaxRows(src, 0, 4, dst, 0, 3, 2, 3, 1f, 0));
        assertThrows(NullPointerException.class,
                () -> Softmax.maskedSoftmaxRows(src, 0, 3, null, 0, 0, dst, 0, 3, 2, 3, 1f));
        assertThrows(NullPointerException.class, () -> Softmax.softmaxRows(null, 0, 3, dst, 0, 3, 2, 3));
        assertArrayEquals(filled(6), dst);

        float[] a = filled(12);
        // src rows 0..2, 3..5 and dst rows 2..4, 5..7: overlapping without being the same rows
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxRows(a, 0, 3, a, 2, 3, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxRows(a, 0, 3, a, 3, 3, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Softmax.softmaxRows(a, 0, 3, a, 0, 4, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Softmax.causalSoftmaxRows(a, 0, 3, a, 1, 3, 2, 3, 1f, 0));
        // a mask read by every row must not be overwritten by a dst row, even the first
        assertThrows(IllegalArgumentException.class,
                () -> Softmax.maskedSoftmaxRows(a, 0, 3, a, 3, 0, a, 0, 3, 2, 3, 1f));
        assertThrows(IllegalArgumentException.class,
                () -> Softmax.maskedSoftmaxRows(a, 0, 3, a, 0, 3, a, 0, 3, 2, 3, 1f));
        assertArrayEquals(filled(12), a);
        // allowed: in place, disjoint rows of one array, the mask in the same array but apart from dst
        Softmax.softmaxRows(a, 0, 3, a, 6, 3, 2, 3);
        Softmax.maskedSoftmaxRows(a, 0, 4, a, 9, 0, a, 0, 4, 2, 3, 1f);
    }

    @Test
    void emptyRowsAndColumnsWriteNothing() {
        float[] dst = filled(4);
        Softmax.softmaxRows(new float[0], 0, 0, dst, 0, 0, 0, 0);
        Softmax.maskedSoftmaxRows(new float[4], 0, 2, new float[0], 0, 0, dst, 0, 2, 2, 0, 1f);
        Softmax.causalSoftmaxRows(new float[4], 0, 2, dst, 0, 2, 0, 2, 1f, 5);
        Softmax.softmax(new float[0], 0, dst, 4, 0, 0.5f);
        Softmax.logSoftmax(new float[0], 0, dst, 4, 0, 0.5f);
        assertArrayEquals(filled(4), dst);
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 9f);
        return a;
    }

    private static float max(float[] a) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : a) {
            max = Math.max(max, x);
        }
        return max;
    }

    private static void assertAllNaN(float[] a, String what) {
        for (int i = 0; i < a.length; i++) {
            if (!Float.isNaN(a[i])) {
                fail(what + ": element " + i + " is " + a[i] + ", not NaN");
            }
        }
    }

    /**
     * The bar for fused variants: against the exact softmax of the double {@code v}, the contract of
     * {@code fl(v)} plus the one rounding of {@code v_i} and of {@code max v}, {@code 2^23 · (ulp(fl(v_i)) +
     * ulp(fl(max v)))} ulps. That term is the first-order effect of moving {@code v_i - max v} by
     * {@code δ = (ulp(fl(v_i)) + ulp(fl(max v))) / 2}; its exact effect on {@code p_i} is a factor up to
     * {@code e^δ}, i.e. {@code 2^24 · expm1(δ)} ulps, which is the same to within {@code 2^24 · δ²}: under 0.01 ulp
     * while {@code |v| < 2^12}, but larger once {@code ulp(v)} nears 1 (scaled rows near -9e7 move {@code p} by
     * {@code e^4}; any kernel that rounds {@code v} to float, the unfused composition included, does). The bar
     * here is the larger of the two forms.
     */
    static void assertFusedContract(String what, double[] v, float[] actual) {
        int n = v.length;
        assertEquals(n, actual.length, what);
        if (n == 0) {
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        float[] rounded = new float[n];
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[i]);
            rounded[i] = (float) v[i];
        }
        double sum = 0;
        for (double vi : v) {
            sum += Math.exp(vi - max);
        }
        double[] exact = new double[n];
        for (int i = 0; i < n; i++) {
            exact[i] = Math.exp(v[i] - max) / sum;
        }
        UlpError.SoftmaxContract contract = UlpError.softmaxContract(rounded, 0, n, exact);
        double roundingOfMax = Math.ulp((float) max);
        for (int i = 0; i < n; i++) {
            double linear = Math.ulp(rounded[i]) + roundingOfMax;
            double extra = Math.max(0x1p23 * linear, 0x1p24 * Math.expm1(linear / 2));
            double excess = contract.excess(actual[i], exact[i], rounded[i]);
            if (!(excess <= extra)) {
                fail(String.format("%s: element %d (v=%s): got %s, exact %s, %.4g ulp past the contract's %.4g "
                                + "(allowed %.4g more for the rounding of v)", what, i, v[i], actual[i], exact[i],
                        excess, contract.allowance(rounded[i]), extra));
            }
        }
    }

    /**
     * Log-softmax of {@code v}: within 4 ulp of max(|exact|, log Σ), plus {@code ulp(fl(v_i)) + ulp(fl(max v))} for
     * the rounding of {@code v} (the bar), plus the normalizer's share of that rounding,
     * {@code Σ_j p_j · ulp(fl(v_j))}: log Σ moves by the p-weighted mean of every {@code v_j}'s rounding, and the
     * issue's {@code ulp(fl(max v))} stands for it only when the mass sits at the max's magnitude. Measured where it
     * does not: a scaled UNDERFLOW_EDGE row, max v = 0 (rounded exactly) and 31 terms near -61 (ulp 2^-18), whose
     * top log-probability -9.3e-26 moved 5.3 of its ulps, the same bits as the unfused composition. The exact log Σ
     * is {@code log(m) + log1p(R/m)} (m terms equal to the max, R the rest), as in
     * {@link ReferenceSoftmax#logSumExp}, so that it keeps its relative accuracy when it is tiny.
     */
    static void assertFusedLogBar(String what, double[] v, float[] actual) {
        double max = Double.NEGATIVE_INFINITY;
        for (double vi : v) {
            max = Math.max(max, vi);
        }
        int maxCount = 0;
        double rest = 0;
        for (double vi : v) {
            if (vi == max) {
                maxCount++;
            } else {
                rest += Math.exp(vi - max);
            }
        }
        double logSum = Math.log(maxCount) + Math.log1p(rest / maxCount);
        double normalizerShare = 0;
        for (double vi : v) {
            if (vi != Double.NEGATIVE_INFINITY) {
                normalizerShare += Math.exp(vi - max - logSum) * Math.ulp((float) vi);
            }
        }
        for (int i = 0; i < v.length; i++) {
            double exact = v[i] - max - logSum;
            if (v[i] == Double.NEGATIVE_INFINITY) {
                assertEquals(Float.NEGATIVE_INFINITY, actual[i], what);
                continue;
            }
            double allowed = 4 * Math.ulp((float) Math.max(Math.abs(exact), logSum))
                    + Math.ulp((float) v[i]) + Math.ulp((float) max) + normalizerShare;
            if (!(Math.abs(actual[i] - exact) <= allowed)) {
                fail(String.format("%s: log element %d: got %s, exact %s, error %.4g > %.4g", what, i, actual[i],
                        exact, Math.abs(actual[i] - exact), allowed));
            }
        }
    }
}
