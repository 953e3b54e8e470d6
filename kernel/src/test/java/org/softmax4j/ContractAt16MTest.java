package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.softmax4j.vector.VectorKernel;

/**
 * The softmax accuracy contract (see {@link KernelAccuracyTests}) at n = 16M on every {@link Rows} distribution,
 * through the facade (the blocked path) and through the two-pass path forced (the bench's "softmax4j-two-pass"
 * contender, which the facade no longer takes). Each row and
 * its double reference (64 + 128 MiB) are made once and shared by the kernels, which is what keeps the sweep cheap.
 *
 * <p>Runs in the default surefire execution for the scalar kernel and the vector kernel at the CPU's preferred width,
 * and in the vector-256 and vector-128 executions for the vector kernel alone (see kernel/pom.xml). Log-softmax is
 * checked up to 1M (KernelAccuracyTests): its reference would double this test's cost.
 */
class ContractAt16MTest {
    static final int SIXTEEN_M = 1 << 24;

    /** Both kernels; in the forced-width surefire runs only the vector kernel (the scalar one does not change). */
    static List<SoftmaxKernel> kernels() {
        return System.getProperty("softmax4j.vectorBits") != null ? List.of(VectorKernel.create())
                : List.of(ScalarKernel.INSTANCE, VectorKernel.create());
    }

    @ParameterizedTest
    @EnumSource(Rows.class)
    void contractAt16M(Rows rows) {
        long seed = Rows.seed();
        float[] x = rows.row(seed, SIXTEEN_M);
        checkEveryKernel(rows, seed, x, ReferenceSoftmax.softmax(x, 0, x.length));
    }

    /**
     * The normalizer's error must not grow with n. 16M elements equal to 0 but one equal to 2.3: every shift is exact
     * (fl(0 − 2.3f) = −2.3f), so the exact outputs are 1/(1 + (n−1)e^d) at the max and e^d/(1 + (n−1)e^d) elsewhere,
     * d = −2.3f, and the allowance is about 5 ulps at the max and 7 elsewhere. All 16M terms are e^d ≈ 0.1, which a
     * float accumulator adds with the same rounding error again and again: a softmax that sums in float across the
     * row misses by thousands of ulps even with 256 accumulators (UlpErrorTest#theContractRejectsAFloatNormalizer
     * measures it on this very row); float blocks of 128 or more terms per accumulator before flushing into double put
     * 13–90 × 2^-24 of relative error into the sum (a scratch run; 32 or fewer terms: about 2 × 2^-24).
     */
    @Test
    void normalizerErrorDoesNotGrowWithN() {
        long seed = Rows.seed();
        float[] x = normalizerRow(seed, SIXTEEN_M);
        int n = x.length;
        double[] p = ReferenceSoftmax.softmax(x, 0, n);
        double pMax = normalizerRowPeak(n);
        double pOther = normalizerRowOther(n);
        for (int i = 0; i < n; i++) {  // the reference is the closed form, to double rounding
            double expected = x[i] == NORMALIZER_PEAK ? pMax : pOther;
            if (!(Math.abs(p[i] - expected) <= 1e-12 * expected)) {
                fail("reference " + p[i] + " at i=" + i + " is not the closed form " + expected);
            }
        }
        checkEveryKernel(null, seed, x, p);
    }

    private static void checkEveryKernel(Rows rows, long seed, float[] x, double[] p) {
        int n = x.length;
        float[] y = new float[n];
        String row = rows == null ? "(all 0, one 2.3f) " : "";
        for (SoftmaxKernel kernel : kernels()) {
            RowSoftmax.softmax(kernel, x, 0, y, 0, n);
            KernelAccuracyTests.assertContract(row + "softmax on " + kernel.description(), rows, seed, seed, x, y, p);
            RowSoftmax.softmaxRowInTwoPasses(kernel, x, 0, y, 0, n);
            KernelAccuracyTests.assertContract(row + "two-pass softmax on " + kernel.description(), rows, seed,
                    seed, x, y, p);
        }
    }

    static final float NORMALIZER_PEAK = 2.3f;

    /** n zeros but one 2.3f, at a position drawn from the seed. */
    static float[] normalizerRow(long seed, int n) {
        float[] x = new float[n];
        x[new SplittableRandom(seed).nextInt(n)] = NORMALIZER_PEAK;
        return x;
    }

    /** The exact softmax of {@link #normalizerRow} at its peak: 1 / (1 + (n−1) e^−2.3f). */
    static double normalizerRowPeak(int n) {
        return 1 / (1 + (n - 1) * Math.exp(-(double) NORMALIZER_PEAK));
    }

    /** The exact softmax of {@link #normalizerRow} elsewhere: e^−2.3f / (1 + (n−1) e^−2.3f). */
    static double normalizerRowOther(int n) {
        return Math.exp(-(double) NORMALIZER_PEAK) * normalizerRowPeak(n);
    }
}
