package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The accuracy vocabulary, on hand-checked values. */
class UlpErrorTest {
    @Test
    void probabilities() {
        assertEquals(0, UlpError.ofProbability(0.5f, 0.5));
        assertEquals(1, UlpError.ofProbability(Math.nextUp(0.5f), 0.5));
        assertEquals(0.5, UlpError.ofProbability(0.5f, 0.5 + Math.ulp(0.5f) / 2.0));
        assertEquals(0, UlpError.ofProbability(Float.NaN, Double.NaN));
        assertEquals(0, UlpError.ofProbability(0f, 1e-40), "below MIN_NORMAL: flushing to 0 is allowed");
        assertEquals(0, UlpError.ofProbability(Float.MIN_NORMAL, 1e-40));
        assertEquals(2.0 * (1 << 23), UlpError.ofProbability(2 * Float.MIN_NORMAL, 0.0), 1e-9,
                "below MIN_NORMAL, an error beyond MIN_NORMAL counts in ulps of MIN_NORMAL");
        assertEquals(Double.POSITIVE_INFINITY, UlpError.ofProbability(Float.NaN, 0.5));
    }

    @Test
    void logProbabilities() {
        // scale max(|ref|, logSum): near 0 the error counts in ulps of logSum
        assertEquals(1, UlpError.ofLogProbability(-1f + Math.ulp(1f), -1.0, 0.5), 1e-12);
        assertEquals(1, UlpError.ofLogProbability(-1e-8f, -1e-8 + Math.ulp(0.25f), 0.25), 1e-6);
        assertEquals(0, UlpError.ofLogProbability(Float.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 3));
        assertEquals(0, UlpError.ofLogProbability(Float.NEGATIVE_INFINITY, -2.0 * Float.MAX_VALUE, 1),
                "a reference beyond the float range is met only by -inf");
        assertEquals(Double.POSITIVE_INFINITY, UlpError.ofLogProbability(-Float.MAX_VALUE, -2.0 * Float.MAX_VALUE, 1));
        assertEquals(0, UlpError.ofLogProbability(0f, -1e-40, 1e-40), "a scale below MIN_NORMAL: absolute error");
        assertEquals(Double.POSITIVE_INFINITY, UlpError.ofLogProbability(Float.NaN, -1, 1));
    }

    private static UlpError.SoftmaxContract contract(float... x) {
        return UlpError.softmaxContract(x, 0, x.length, ReferenceSoftmax.softmax(x, 0, x.length));
    }

    /** Allowances worked out by hand from 3 + 2^23 · (ulp(fl(x_i − max)) + Σ_j p_j · ulp(fl(x_j − max))). */
    @Test
    void softmaxContractAllowances() {
        // {0, 0}: both shifts 0, ulp(0f) = 2^-149: the allowance is 3 (plus 2^-125)
        UlpError.SoftmaxContract equal = contract(0f, 0f);
        assertEquals(0f, equal.max());
        assertEquals(0x1p-149, equal.normalizerShare(), 0x1p-170);
        assertEquals(3, equal.allowance(0f), 1e-15);

        // {1, 0}: shifts 0 and -1, ulp(-1f) = 2^-23; p = (e, 1) / (1 + e), so the share is 2^-23 / (1 + e)
        double q = 1 / (1 + Math.E);  // 0.2689414213699951
        UlpError.SoftmaxContract two = contract(1f, 0f);
        assertEquals(q * 0x1p-23, two.normalizerShare(), 1e-22);
        assertEquals(3 + q, two.allowance(1f), 1e-12, "3.2689...: the max has only the normalizer's share");
        assertEquals(4 + q, two.allowance(0f), 1e-12, "4.2689...: 2^23 · 2^-23 of its own shift, plus the share");

        // {0, -inf, 2}: -inf adds nothing (p = 0, ulp = inf, not NaN); ulp(-2f) = 2^-22, p(0) = 1 / (1 + e^2)
        double r = 1 / (1 + Math.exp(2));  // 0.11920292202211755
        UlpError.SoftmaxContract masked = contract(0f, Float.NEGATIVE_INFINITY, 2f);
        assertEquals(r * 0x1p-22, masked.normalizerShare(), 1e-22);
        assertEquals(5 + 2 * r, masked.allowance(0f), 1e-12, "5.2384...");
        assertEquals(3 + 2 * r, masked.allowance(2f), 1e-12, "3.2384...");
        assertEquals(0, masked.allowance(Float.NEGATIVE_INFINITY), "a masked element must be exactly 0");

        // {1e4, 9980}: the shift -20 is exact, but ulp(20f) = 2^-19 still counts: 16 ulps of own allowance
        double s = 1 / (1 + Math.exp(20));  // 2.0611536181902037e-9
        UlpError.SoftmaxContract offset = contract(1e4f, 9980f);
        assertEquals(3 + 16 * (1 + s), offset.allowance(9980f), 1e-9, "19.00000003");
        assertEquals(3 + 16 * s, offset.allowance(1e4f), 1e-9);

        // {MAX, -MAX}: the shift overflows to -inf, p = (1, 0): that element must be 0, the max gets 3
        UlpError.SoftmaxContract overflow = contract(Float.MAX_VALUE, -Float.MAX_VALUE);
        assertEquals(3, overflow.allowance(Float.MAX_VALUE), 1e-15);
        assertEquals(0, overflow.allowance(-Float.MAX_VALUE));
        assertTrue(overflow.holds(0f, 0.0, -Float.MAX_VALUE));
        assertFalse(overflow.holds(Float.MIN_VALUE, 0.0, -Float.MAX_VALUE));
    }

    @Test
    void softmaxContractHoldsAndExcess() {
        UlpError.SoftmaxContract equal = contract(0f, 0f);  // p = 0.5 each, allowance 3
        float threeUlps = 0.5f + 3 * Math.ulp(0.5f);
        assertTrue(equal.holds(threeUlps, 0.5, 0f));
        assertEquals(0, equal.excess(threeUlps, 0.5, 0f), 1e-12);
        assertEquals(-3, equal.excess(0.5f, 0.5, 0f), 1e-12);
        assertFalse(equal.holds(Math.nextUp(threeUlps), 0.5, 0f));
        assertEquals(1, equal.excess(Math.nextUp(threeUlps), 0.5, 0f), 1e-12);
        assertFalse(equal.holds(Float.NaN, 0.5, 0f));

        UlpError.SoftmaxContract masked = contract(0f, Float.NEGATIVE_INFINITY);
        assertTrue(masked.holds(0f, 0.0, Float.NEGATIVE_INFINITY));
        assertEquals(Double.NEGATIVE_INFINITY, masked.excess(0f, 0.0, Float.NEGATIVE_INFINITY), "nothing to measure");
        assertEquals(0, UlpError.ofProbability(Float.MIN_VALUE, 0.0), "ofProbability alone would accept it");
        assertFalse(masked.holds(Float.MIN_VALUE, 0.0, Float.NEGATIVE_INFINITY), "the contract does not");
        assertEquals(Double.POSITIVE_INFINITY, masked.excess(Float.MIN_VALUE, 0.0, Float.NEGATIVE_INFINITY));
        assertTrue(masked.holds(1f, 1.0, 0f));
    }

    @Test
    void softmaxContractRejectsRowsItDoesNotCover() {
        double[] two = {0.5, 0.5};
        assertThrows(IllegalArgumentException.class, () -> UlpError.softmaxContract(new float[0], 0, 0, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> UlpError.softmaxContract(new float[] {0f, Float.NaN}, 0, 2, two));
        assertThrows(IllegalArgumentException.class,
                () -> UlpError.softmaxContract(new float[] {0f, Float.POSITIVE_INFINITY}, 0, 2, two));
        assertThrows(IllegalArgumentException.class, () -> UlpError.softmaxContract(
                new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 0, 2, two));
        assertThrows(IllegalArgumentException.class,
                () -> UlpError.softmaxContract(new float[] {0f, 0f}, 0, 2, new double[3]));
        assertThrows(IndexOutOfBoundsException.class, () -> UlpError.softmaxContract(new float[] {0f}, 1, 1, two));
        // at an offset: the row is x[1..3), exactP is indexed from 0
        UlpError.SoftmaxContract shifted = UlpError.softmaxContract(new float[] {99f, 1f, 0f}, 1, 2,
                ReferenceSoftmax.softmax(new float[] {1f, 0f}, 0, 2));
        assertEquals(1f, shifted.max());
        assertEquals(4 + 1 / (1 + Math.E), shifted.allowance(0f), 1e-12);
    }

    /**
     * The allowance covers what it is for: the softmax with the float-rounded shifts, everything else exact and
     * rounded once to float (a perfect float32 kernel), stays within 1 ulp plus the allowance's shift part, i.e. 2
     * ulps inside the contract, on every distribution.
     */
    @ParameterizedTest
    @EnumSource(Rows.class)
    void theRoundedShiftSoftmaxIsWellInsideTheContract(Rows rows) {
        long seed = Rows.seed();
        for (int n : new int[] {1, 2, 17, 1000, 4099}) {
            float[] x = rows.row(seed + n, n);
            double[] exact = ReferenceSoftmax.softmax(x, 0, n);
            double[] roundedShift = ReferenceSoftmax.kernelSoftmax(x, 0, n);
            UlpError.SoftmaxContract contract = UlpError.softmaxContract(x, 0, n, exact);
            for (int i = 0; i < n; i++) {
                float perfect = (float) roundedShift[i];
                double error = UlpError.ofProbability(perfect, exact[i]);
                boolean masked = x[i] - contract.max() == Float.NEGATIVE_INFINITY;  // must be (and is) exactly 0
                if (!contract.holds(perfect, exact[i], x[i]) || !(masked || error <= contract.allowance(x[i]) - 2)) {
                    fail(String.format("%s n=%d row seed=%d%s i=%d x_i=%s: %.3f ulp, allowance %.3f", rows, n,
                            seed + n, KernelAccuracyTests.reproduce(seed), i, x[i], error, contract.allowance(x[i])));
                }
            }
        }
    }

    /**
     * Why the allowance has a normalizer share: 36864 logits 2^-21 whose shifts all round the same way (fl(2^-21 −
     * 8.25) = −8.25, a tie) and one 8.25. The perfect rounded-shift softmax is then more than 3 ulps off the exact
     * one at the max, and within the allowance (about 10.3 ulps there, 18.3 elsewhere).
     */
    @Test
    void coherentShiftRoundingNeedsTheNormalizerShare() {
        int n = 9 * 4096 + 1;
        float[] x = new float[n];
        Arrays.fill(x, 0x1p-21f);
        x[n - 1] = 8.25f;
        double[] exact = ReferenceSoftmax.softmax(x, 0, n);
        double[] roundedShift = ReferenceSoftmax.kernelSoftmax(x, 0, n);
        UlpError.SoftmaxContract contract = UlpError.softmaxContract(x, 0, n, exact);
        double pMax = exact[n - 1];
        assertEquals(8 * (1 - pMax), 0x1p23 * contract.normalizerShare(), 1e-9, "Σ p_j · 2^-20 over the others");
        assertEquals(3 + 8 * (1 - pMax), contract.allowance(8.25f), 1e-9);
        assertEquals(3 + 8 + 8 * (1 - pMax), contract.allowance(0x1p-21f), 1e-9);
        double atMax = UlpError.ofProbability((float) roundedShift[n - 1], pMax);
        assertTrue(atMax > 3, "the shift rounding alone costs " + atMax + " ulps at the max");
        assertTrue(contract.holds((float) roundedShift[n - 1], pMax, 8.25f));
        assertTrue(contract.holds((float) roundedShift[0], exact[0], 0x1p-21f));
    }

    /**
     * The power of ContractAt16MTest#normalizerErrorDoesNotGrowWithN: a softmax that sums in float across the row
     * (64 float accumulators, as a 4 × 16-lane loop would; the exps correctly rounded, the normalization one float
     * multiply) breaks the contract on its row by thousands of ulps (measured: 17076 at the max, 27393 elsewhere;
     * 1 accumulator: over a million; 256: about 4100 and 6600).
     */
    @Test
    void theContractRejectsAFloatNormalizer() {
        long seed = Rows.seed();
        float[] x = ContractAt16MTest.normalizerRow(seed, ContractAt16MTest.SIXTEEN_M);
        int n = x.length;
        float[] sums = new float[64];
        for (int i = 0; i < n; i++) {
            sums[i & 63] += (float) Math.exp(x[i] - ContractAt16MTest.NORMALIZER_PEAK);
        }
        float sum = 0;
        for (float s : sums) {
            sum += s;
        }
        float inverse = 1 / sum;
        float atPeak = inverse;
        float elsewhere = (float) Math.exp(-ContractAt16MTest.NORMALIZER_PEAK) * inverse;
        double pMax = ContractAt16MTest.normalizerRowPeak(n);
        double pOther = ContractAt16MTest.normalizerRowOther(n);
        // the same contract the kernels are held to, built without a 16M reference array
        double share = pMax * Math.ulp(0f) + (n - 1) * pOther * Math.ulp(-ContractAt16MTest.NORMALIZER_PEAK);
        UlpError.SoftmaxContract contract = new UlpError.SoftmaxContract(ContractAt16MTest.NORMALIZER_PEAK, share);
        assertEquals(5, contract.allowance(ContractAt16MTest.NORMALIZER_PEAK), 0.01);
        assertEquals(7, contract.allowance(0f), 0.01);
        double errorAtPeak = UlpError.ofProbability(atPeak, pMax);
        double errorElsewhere = UlpError.ofProbability(elsewhere, pOther);
        assertTrue(errorAtPeak > 1000 && errorElsewhere > 1000,
                "a float normalizer should miss by thousands of ulps: " + errorAtPeak + ", " + errorElsewhere);
        assertFalse(contract.holds(atPeak, pMax, ContractAt16MTest.NORMALIZER_PEAK));
        assertFalse(contract.holds(elsewhere, pOther, 0f));
    }
}
