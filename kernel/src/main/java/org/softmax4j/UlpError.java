package org.softmax4j;

/**
 * Error of a float result against a double reference, in the project's accuracy vocabulary (see README):
 * ulps of the reference rounded to float, except that references below {@link Float#MIN_NORMAL} count by
 * absolute error only (flushing them to zero is allowed).
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
     * ulp of the scale rounded to float; past the float range, the ulp of MAX_VALUE. (A result is never measured in
     * ulp(inf) = inf, which would make any error 0.)
     */
    private static double ulpOf(double scale) {
        float rounded = (float) scale;
        return Math.ulp(Float.isInfinite(rounded) ? Float.MAX_VALUE : rounded);
    }

}
