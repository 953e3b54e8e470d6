package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The public facade's semantics, on whichever kernel this JVM chose (surefire runs it with and without SIMD). */
class SoftmaxSemanticsTest {
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    private static float[] log(float... x) {
        float[] y = new float[x.length];
        Softmax.logSoftmax(x, 0, y, 0, x.length);
        return y;
    }

    private static void assertWithinUlps(float[] expected, float[] actual, double ulps) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(actual[i] - (double) expected[i]) / Math.ulp(expected[i]);
            assertTrue(error <= ulps, "element " + i + ": " + actual[i] + " vs " + expected[i] + " (" + error + " ulp) in "
                    + Arrays.toString(actual));
        }
    }

    /**
     * The seed's exercise. The issue printed 8 significant digits of the exact values; two of those decimals are not
     * the nearest float (0.10153632 is 0.73 ulp and 0.04742587 is 0.89 ulp from it). Exact values, worked by hand:
     * Σ = 1 + e^-1 + e^-1.5 + e^-0.5 = 2.19754026103, p0 = 1/Σ = 0.4550542339, p1 = 0.1674050973,
     * p2 = 0.1015363241, p3 = 0.2760043447; and 1/(1 + e^-3) = 0.9525741268, e^-3/(1 + e^-3) = 0.0474258732.
     */
    @Test
    void theSeedsExercise() {
        float[] p = Softmax.softmax(new float[] {2.0f, 1.0f, 0.5f, 1.5f});
        assertWithinUlps(new float[] {0.45505423f, 0.1674051f, 0.10153632f, 0.27600434f}, p, 1);
        assertArrayEquals(new float[] {(float) 0.4550542339, (float) 0.1674050973, (float) 0.1015363241,
                (float) 0.2760043447}, p);

        float[] q = Softmax.softmax(new float[] {2f, -1f});
        assertWithinUlps(new float[] {0.95257413f, 0.04742587f}, q, 1);
        assertArrayEquals(new float[] {(float) 0.9525741268, (float) 0.0474258732}, q);

        // log-softmax of the same row: x - 2 - log Σ, log Σ = 0.7873387227
        assertWithinUlps(new float[] {-0.7873387f, -1.7873387f, -2.2873387f, -1.2873387f}, log(2f, 1f, 0.5f, 1.5f), 1);
    }

    /**
     * Both signs of NaN (the kernel's max-and-min pass reports a positive NaN as the max and a negative one as the
     * min, so the two take different paths), in short rows, one-block rows and rows of several blocks, among finite
     * values or among -inf (a masked block).
     */
    @Test
    void nanAnywhereMakesTheWholeRowNaN() {
        int[] lengths = java.util.stream.IntStream.concat(java.util.stream.IntStream.rangeClosed(1, 40),
                java.util.stream.IntStream.of(257, 4096, 4099, 9000)).toArray();
        for (int n : lengths) {
            for (float nan : new float[] {Float.NaN, Float.intBitsToFloat(0xFFC00000)}) {
                for (float others : new float[] {1f, NEG_INF}) {
                    for (int at : new int[] {0, n / 2, n - 1}) {
                        float[] x = new float[n];
                        Arrays.fill(x, others);
                        x[at] = nan;
                        if (n > 2) {
                            x[(at + 1) % n] = others == NEG_INF ? 0f : INF;  // NaN wins over +inf and over a live 0
                        }
                        float[] expected = new float[n];
                        Arrays.fill(expected, Float.NaN);
                        String where = "n=" + n + " at=" + at + " nan="
                                + Integer.toHexString(Float.floatToRawIntBits(nan)) + " others=" + others;
                        assertArrayEquals(expected, Softmax.softmax(x), where);
                        assertArrayEquals(expected, log(x), "log " + where);
                    }
                }
            }
        }
    }

    @Test
    void positiveInfinitiesShareTheMass() {
        assertArrayEquals(new float[] {0f, 0.5f, 0.5f, 0f}, Softmax.softmax(new float[] {1f, INF, INF, NEG_INF}));
        assertArrayEquals(new float[] {1f / 3, 0f, 1f / 3, 1f / 3}, Softmax.softmax(new float[] {INF, Float.MAX_VALUE, INF, INF}));
        assertArrayEquals(new float[] {1f}, Softmax.softmax(new float[] {INF}));
        assertArrayEquals(new float[] {0f, NEG_INF}, log(INF, 3f), "log(1/1) is +0.0");
        float log3 = (float) -Math.log(3);
        assertArrayEquals(new float[] {log3, NEG_INF, log3, log3}, log(INF, Float.MAX_VALUE, INF, INF));
        assertArrayEquals(new float[] {NEG_INF, (float) -Math.log(2), (float) -Math.log(2)}, log(-5f, INF, INF));
    }

    @Test
    void fullyMaskedRowsAreZeroAndMaskedEntriesExactlyZero() {
        for (int n = 1; n <= 70; n++) {
            float[] x = new float[n];
            Arrays.fill(x, NEG_INF);
            assertArrayEquals(new float[n], Softmax.softmax(x), "all masked n=" + n);
            assertArrayEquals(x.clone(), log(x), "log all masked n=" + n);

            x[n / 3] = 0.25f;  // one live position: it gets everything, the masked ones exactly 0
            float[] p = Softmax.softmax(x);
            float[] expected = new float[n];
            expected[n / 3] = 1f;
            assertArrayEquals(expected, p, "one live n=" + n);
            float[] logExpected = x.clone();
            logExpected[n / 3] = 0f;
            assertArrayEquals(logExpected, log(x), "log one live n=" + n);
        }
    }

    @Test
    void lengthZeroWritesNothingAndLengthOneIsOne() {
        float[] dst = {7f, 7f};
        Softmax.softmax(new float[] {3f}, 0, dst, 1, 0);
        Softmax.logSoftmax(new float[] {3f}, 1, dst, 2, 0);
        assertArrayEquals(new float[] {7f, 7f}, dst);
        assertEquals(0, Softmax.softmax(new float[0]).length);
        for (float v : new float[] {0f, -1e30f, 1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE}) {
            assertArrayEquals(new float[] {1f}, Softmax.softmax(new float[] {v}), "x=" + v);
            assertArrayEquals(new float[] {0f}, log(v), "log x=" + v);
        }
    }

    @Test
    void extremeFiniteValuesStayFiniteAndCorrect() {
        float max = Float.MAX_VALUE;
        assertArrayEquals(new float[] {1f, 0f}, Softmax.softmax(new float[] {max, -max}));
        assertArrayEquals(new float[] {0.5f, 0.5f}, Softmax.softmax(new float[] {max, max}));
        assertArrayEquals(new float[] {0.5f, 0.5f}, Softmax.softmax(new float[] {-max, -max}));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, Softmax.softmax(new float[] {1e30f, 1e30f, 1e30f, 1e30f}));
        // 1e30 and its neighbour one ulp below: a difference of 2^76 makes the smaller one vanish
        assertArrayEquals(new float[] {1f, 0f}, Softmax.softmax(new float[] {1e30f, Math.nextDown(1e30f)}));
        float[] nearMax = {max, Math.nextDown(max), -max, 0f};
        float[] p = Softmax.softmax(nearMax);
        double[] reference = ReferenceSoftmax.softmax(nearMax, 0, 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(UlpError.ofProbability(p[i], reference[i]) <= 3, i + ": " + p[i] + " vs " + reference[i]);
        }
        assertArrayEquals(new float[] {0f, NEG_INF}, log(max, -max));  // -2 * MAX_VALUE is -inf in float
        assertArrayEquals(new float[] {(float) -Math.log(2), (float) -Math.log(2)}, log(max, max));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 100, 1000, 4099})
    void uniformRowsGiveOneOverN(int n) {
        float[] x = new float[n];
        Arrays.fill(x, -42.5f);
        float[] expected = new float[n];
        Arrays.fill(expected, (float) (1.0 / n));
        assertArrayEquals(expected, Softmax.softmax(x));
        float[] logExpected = new float[n];
        Arrays.fill(logExpected, (float) (0 - Math.log(n)));  // +0.0 at n = 1, as x - max - 0 gives
        assertArrayEquals(logExpected, log(x));
    }

    @Test
    void probabilitiesSumToOne() {
        long seed = Rows.seed();
        for (int n : new int[] {3, 64, 1000, 32000, 128256}) {
            float[] p = Softmax.softmax(Rows.NORMAL_0_3.row(seed, n));
            double sum = 0;
            for (float v : p) {
                sum += v;
            }
            // each element within a few ulp of its exact value, so the sum is within a few 2^-24 of 1
            assertEquals(1.0, sum, 4 * 0x1p-24, "n=" + n + " seed=" + seed);
        }
    }

    @Test
    void sameInputSameBitsOnEveryThread() throws Exception {
        long seed = Rows.seed();
        float[] x = Rows.NORMAL_0_3.row(seed, 32000);
        float[] expected = Softmax.softmax(x);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    float[] y = null;
                    for (int i = 0; i < 200; i++) {
                        y = Softmax.softmax(x);
                    }
                    return y;
                }));
            }
            for (Future<float[]> result : results) {
                assertArrayEquals(expected, result.get(), "seed=" + seed);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 16, 17, 100, 1024})
    void rowsEqualRowByRowBitwise(int cols) {
        long seed = Rows.seed();
        int rows = 9;
        float[] x = Rows.MASKED.row(seed, rows * cols + 5);
        x[2 * cols] = Float.NaN;                 // row 2 is a NaN row
        if (cols > 1) {
            x[3 * cols + 1] = INF;               // row 3 an inf row
        }
        Arrays.fill(x, 4 * cols, 5 * cols, NEG_INF);  // row 4 fully masked

        float[] expected = new float[rows * cols + 5];
        float[] expectedLog = new float[rows * cols + 5];
        for (int r = 0; r < rows; r++) {
            Softmax.softmax(x, r * cols, expected, r * cols, cols);
            Softmax.logSoftmax(x, r * cols, expectedLog, r * cols, cols);
        }
        float[] y = new float[rows * cols + 5];
        Softmax.softmaxRows(x, y, rows, cols);
        assertArrayEquals(expected, y, "seed=" + seed);
        Softmax.logSoftmaxRows(x, y, rows, cols);
        assertArrayEquals(expectedLog, y, "seed=" + seed);

        float[] inPlace = x.clone();
        Softmax.softmaxRows(inPlace, inPlace, rows, cols);
        assertArrayEquals(Arrays.copyOf(expected, rows * cols), Arrays.copyOf(inPlace, rows * cols), "in place; seed=" + seed);
        assertArrayEquals(Arrays.copyOfRange(x, rows * cols, rows * cols + 5),
                Arrays.copyOfRange(inPlace, rows * cols, rows * cols + 5), "past rows*cols untouched");
    }
}
