package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The accuracy contract, for one kernel behind the facade (subclasses name the kernel; see README, "Accuracy"):
 * every softmax element within {@code 3 + 2^23 · (ulp(fl(x_i − max)) + Σ_j p_j · ulp(fl(x_j − max)))} ulps of the
 * exact softmax p of the float inputs ({@link UlpError#softmaxContract}), at every length 0–300 and at
 * vocabulary sizes up to 1M, on every {@link Rows} distribution; log-softmax within 4 ulps of max(|reference|,
 * log Σ), at the same lengths. {@link ContractAt16MTest} takes the softmax contract to 16M for both kernels at once.
 */
abstract class KernelAccuracyTests {
    static final double LOG_ULP_BAR = 4;

    abstract SoftmaxKernel kernel();

    @ParameterizedTest
    @EnumSource(Rows.class)
    void everyLengthUpTo300(Rows rows) {
        long seed = Rows.seed();
        for (int n = 0; n <= 300; n++) {
            checkRow(rows, seed, seed + n, n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 4099, 32000, 50257, 128256, 1 << 20})
    void largeRowsInEveryDistribution(int n) {
        long seed = Rows.seed();
        for (Rows rows : Rows.values()) {
            checkRow(rows, seed, seed, n);
        }
    }

    /**
     * Rows of N(0, 1) with one element 4 to 12 above the rest, at random lengths up to 300: the dominant element's exp
     * carries most of the normalizer, so every float rounding of the lane that holds it shows in every output. The
     * vector kernel once added four pairs of exp vectors in float before widening and broke the contract here on
     * about 1 element in 200,000, by up to 1 ulp; 10,000 rows hold about 1.5 million elements.
     */
    @org.junit.jupiter.api.Test
    void rowsDominatedByOneElement() {
        long seed = Rows.seed();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int row = 0; row < 10_000; row++) {
            int n = 2 + random.nextInt(299);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) random.nextGaussian();
            }
            x[random.nextInt(n)] += (float) (4 + 8 * random.nextDouble());
            float[] p = new float[n];
            RowSoftmax.softmax(kernel(), x, 0, p, 0, n);
            assertContract("softmax (row " + row + " of the dominated rows)", null, seed, seed, x, p,
                    ReferenceSoftmax.softmax(x, 0, n));
        }
    }

    /**
     * Softmax and log-softmax of one row, each against its bar; also at an offset and in place. {@code rowSeed}
     * makes the row; {@code seed} is the test's, printed for reproduction.
     */
    private void checkRow(Rows rows, long seed, long rowSeed, int n) {
        float[] x = rows.row(rowSeed, n);
        float[] original = x.clone();

        float[] y = new float[n + 3];
        RowSoftmax.softmax(kernel(), x, 0, y, 3, n);
        float[] p = Arrays.copyOfRange(y, 3, n + 3);
        assertContract("softmax", rows, seed, rowSeed, x, p, ReferenceSoftmax.softmax(x, 0, n));

        float[] logp = new float[n];
        RowSoftmax.logSoftmax(kernel(), x, 0, logp, 0, n);
        assertLogBar(rows, seed, rowSeed, x, logp, ReferenceSoftmax.logSoftmax(x, 0, n));
        assertArrayEquals(original, x, () -> "src modified: " + rows + " n=" + n + " row seed=" + rowSeed
                + reproduce(seed));

        float[] inPlace = x.clone();
        RowSoftmax.softmax(kernel(), inPlace, 0, inPlace, 0, n);
        assertArrayEquals(p, inPlace, () -> "in place differs from out of place: " + rows + " n=" + n
                + " row seed=" + rowSeed + reproduce(seed));
    }

    /**
     * Asserts the accuracy contract on a whole row ({@code x}, {@code actual} and {@code exact} all start at 0 and
     * have the same length): every element within its allowance, every element with {@code fl(x_i − max) = −inf}
     * exactly 0. An empty row passes. {@code rows} null for a literal row; {@code rowSeed} is the seed the row was
     * drawn from, {@code seed} the test's (for {@code -Dsoftmax4j.test.seed}).
     */
    static void assertContract(String what, Rows rows, long seed, long rowSeed, float[] x, float[] actual,
                               double[] exact) {
        assertEquals(exact.length, actual.length);
        assertEquals(x.length, actual.length);
        if (x.length == 0) {
            return;
        }
        UlpError.SoftmaxContract contract = UlpError.softmaxContract(x, 0, x.length, exact);
        for (int i = 0; i < actual.length; i++) {
            if (!contract.holds(actual[i], exact[i], x[i])) {
                float shift = x[i] - contract.max();
                fail(String.format("%s breaks the accuracy contract: %s n=%d row seed=%d%s i=%d x_i=%s (max %s): "
                                + "got %s, exact %s, error %.4g ulp > allowance %.4g ulp = 3 + %.4g (own shift) "
                                + "+ %.4g (normalizer's share)",
                        what, rows == null ? "(literal row)" : rows, actual.length, rowSeed, reproduce(seed), i, x[i],
                        contract.max(), actual[i], exact[i],
                        shift == Float.NEGATIVE_INFINITY && actual[i] != 0 ? Double.POSITIVE_INFINITY
                                : UlpError.ofProbability(actual[i], exact[i]),
                        contract.allowance(x[i]),
                        shift == Float.NEGATIVE_INFINITY ? 0 : 0x1p23 * Math.ulp(shift),
                        0x1p23 * contract.normalizerShare()));
            }
        }
    }

    /** Log-softmax within {@link #LOG_ULP_BAR} ulps of max(|reference|, log Σ exp(x − max)), every element. */
    static void assertLogBar(Rows rows, long seed, long rowSeed, float[] x, float[] logp, double[] reference) {
        int n = x.length;
        double logSum = n == 0 ? 0 : ReferenceSoftmax.logSumExp(x, 0, n);
        for (int i = 0; i < n; i++) {
            double error = UlpError.ofLogProbability(logp[i], reference[i], logSum);
            if (!(error <= LOG_ULP_BAR)) {
                fail(String.format("log-softmax %s n=%d row seed=%d%s i=%d x_i=%s: got %s, reference %s, "
                                + "%.4g ulp > %.0f", rows == null ? "(literal row)" : rows, n, rowSeed,
                        reproduce(seed), i, x[i], logp[i], reference[i], error, LOG_ULP_BAR));
            }
        }
    }

    static String reproduce(long seed) {
        return " (reproduce: -Dsoftmax4j.test.seed=" + seed + ")";
    }
}
