package org.softmax4j;

/**
 * Error of a float result against a double reference, in the project's accuracy vocabulary (see README):
 * ulps of the reference rounded to float, except that references below {@link Float#MIN_NORMAL} count by
 * absolute error only (flushing them to zero is allowed). Also the softmax accuracy contract measured in those ulps
 * ({@link #softmaxContract}).
 */
public final class UlpError {
    private UlpError() {}

    /**
     * Error of a probability in ulps of {@code (float) reference}. 0 when both are NaN or equal, infinite when only one is NaN. Below
     * MIN_NORMAL: 0 while {@code |actual - reference| <= MIN_NORMAL}, else the error in ulps of MIN_NORMAL.
     */
    public static double ofProbability(float actual, double reference) {
        if (actual == reference || (Float.isNaN(actual) && Double.isNaN(reference))) {
            return 0;
        }
        if (Float.isNaN(actual) || Double.isNaN(reference)) {
            return Double.POSITIVE_INFINITY;
        }
        double error = Math.abs(actual - reference);
        if (Math.abs(reference) < Float.MIN_NORMAL) {
            return error <= Float.MIN_NORMAL ? 0 : error / Math.ulp(Float.MIN_NORMAL);
        }
        return error / ulpOf(reference);
    }

    /**
     * Error of a log-probability in ulps of {@code max(|reference|, logSum)}, where {@code logSum} is the row's
     * {@link ReferenceSoftmax#logSumExp}: a result near 0 is a difference of terms that large. 0 when equal
     * (including both {@code -inf}) or both NaN. Where that scale is below MIN_NORMAL, absolute error counts, as
     * for probabilities.
     */
    public static double ofLogProbability(float actual, double reference, double logSum) {
        if (actual == reference || (Float.isNaN(actual) && Double.isNaN(reference))) {
            return 0;
        }
        if (Float.isNaN(actual) || Double.isNaN(reference)) {
            return Double.POSITIVE_INFINITY;
        }
        if (Float.isInfinite((float) reference)) {  // e.g. -2 * MAX_VALUE: the only right float is -inf
            return actual == (float) reference ? 0 : Double.POSITIVE_INFINITY;
        }
        double error = Math.abs(actual - reference);
        double scale = Math.max(Math.abs(reference), logSum);
        if (scale < Float.MIN_NORMAL) {
            return error <= Float.MIN_NORMAL ? 0 : error / Math.ulp(Float.MIN_NORMAL);
        }
        return error / ulpOf(scale);
    }

    /**
     * The softmax accuracy contract for one row, set up once per row: an element's allowance then costs one float
     * subtraction and one {@code Math.ulp}. The contract (see README, "Accuracy"): per element {@code i}, the error
     * of the float output against the exact double softmax {@code p} of the float inputs, as measured by
     * {@link #ofProbability}, is at most
     * <pre>   3 + 2^23 · (ulp(fl(x_i − max)) + Σ_j p_j · ulp(fl(x_j − max)))   ulps,</pre>
     * where {@code fl(x − max)} is the float subtraction and {@code ulp} is {@link Math#ulp(float)} of its result.
     *
     * <p>Why that shape: every float32 softmax computes {@code d_j = fl(x_j − max)} and so changes each logit by up
     * to half an ulp of {@code d_j}. That changes {@code p_i} relatively by {@code δ_i − Σ_j p_j δ_j}: the element's
     * own shift error, minus the normalizer's p-weighted mean of all of them (they add up when most round the same
     * way, as in rows of many equal logits). With {@code |δ_j| ≤ ulp(d_j)/2} and an ulp of {@code p_i} at least
     * {@code 2^-24 · p_i}, that is at most {@code 2^23 · (ulp(d_i) + Σ_j p_j ulp(d_j))} ulps; the 3 is what the
     * kernel may add beyond it (exp, sum, normalize). A kernel that takes the shift exactly, or shifts by a block
     * max and rescales in double, meets the same bar. The sum is not over n, only its p-weighted mean, so the
     * allowance does not grow with the row length.
     *
     * <p>Special values: an input of −inf (or a shift that overflows to −inf) has {@code p_j = 0} and contributes
     * nothing to the sum; that element's own allowance is 0 and its output must be exactly 0 (see
     * {@link SoftmaxContract#holds}, which, unlike {@link #ofProbability}'s absolute rule below MIN_NORMAL, accepts
     * nothing else). A shift of 0 has ulp {@code Float.MIN_VALUE}, i.e. contributes nothing measurable. Rows with a
     * NaN, a +inf or only −inf have fixed outputs (the semantics tests) and no contract.
     *
     * @param exactP the exact softmax of the same elements ({@link ReferenceSoftmax#softmax}), {@code length} long
     * @throws IllegalArgumentException if the row is empty or its max is not finite
     */
    public static SoftmaxContract softmaxContract(float[] x, int offset, int length, double[] exactP) {
        java.util.Objects.checkFromIndexSize(offset, length, x.length);
        if (exactP.length != length) {
            throw new IllegalArgumentException("exactP has " + exactP.length + " elements, the row " + length);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            max = Math.max(max, x[i]);
        }
        if (!Float.isFinite(max)) {
            throw new IllegalArgumentException("no contract for an empty row or one whose max is " + max);
        }
        double share = 0;  // nonnegative terms: plain double summation is good to n·2^-53 relative, plenty here
        for (int j = 0; j < length; j++) {
            float shift = x[offset + j] - max;
            if (exactP[j] != 0 && shift != Float.NEGATIVE_INFINITY) {  // p_j = 0 terms add 0 (not 0·inf = NaN)
                share += exactP[j] * Math.ulp(shift);
            }
        }
        return new SoftmaxContract(max, share);
    }

    /**
     * The contract of one row (from {@link #softmaxContract}): its float max and the normalizer's share
     * {@code Σ_j p_j · ulp(fl(x_j − max))}, an absolute quantity (a relative error of the normalizer, before the
     * 2^23 scaling to ulps).
     */
    public record SoftmaxContract(float max, double normalizerShare) {
        /**
         * The allowance, in ulps, of the element whose input is {@code xi}: {@code 3 + 2^23 · (ulp(fl(xi − max)) +
         * normalizerShare)}; 0 where {@code fl(xi − max)} is −inf (that output must be exactly 0).
         */
        public double allowance(float xi) {
            float shift = xi - max;
            return shift == Float.NEGATIVE_INFINITY ? 0 : 3 + 0x1p23 * (Math.ulp(shift) + normalizerShare);
        }

        /** Whether {@code actual} meets the contract for the element with input {@code xi} and exact value {@code p}. */
        public boolean holds(float actual, double p, float xi) {
            return xi - max == Float.NEGATIVE_INFINITY ? actual == 0 : ofProbability(actual, p) <= allowance(xi);
        }

        /**
         * How far {@code actual} is past its allowance, in ulps: {@code ofProbability(actual, p) − allowance(xi)},
         * so at most 0 where the contract holds (−2 means 2 ulps to spare). Where {@code fl(xi − max)} is −inf there
         * is nothing to measure: −inf for an exact 0, +inf otherwise. The maximum over a row is its contract margin.
         */
        public double excess(float actual, double p, float xi) {
            if (xi - max == Float.NEGATIVE_INFINITY) {
                return actual == 0 ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return ofProbability(actual, p) - allowance(xi);
        }
    }

    /**
     * ulp of the scale rounded to float; past the float range, the ulp of MAX_VALUE. (A result is never measured in
     * ulp(inf) = inf, which would make any error 0.)
     */
    private static double ulpOf(double scale) {
        float rounded = (float) scale;
        return Math.ulp(Float.isInfinite(rounded) ? Float.MAX_VALUE : rounded);
    }

}
