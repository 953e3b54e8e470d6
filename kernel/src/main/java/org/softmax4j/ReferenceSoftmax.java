package org.softmax4j;

import java.util.Objects;

/**
 * Double-precision softmax, the yardstick for tests and the accuracy report. Same special-row semantics as
 * {@link Softmax}. Sums are compensated (Neumaier), so the reference itself is good to about 2^-52 relative at
 * any length, i.e. its error is invisible at float ulp scale.
 *
 * <p>Two references, matching the project's accuracy vocabulary:
 * <ul>
 *   <li>{@link #softmax}: the exact softmax of the float inputs ("end-to-end" error);</li>
 *   <li>{@link #kernelSoftmax}: {@code exp(fl(x - max)) / Σ exp(fl(x - max))}, with the subtraction rounded to
 *       float as every float32 softmax does ("kernel" error: what a kernel adds beyond that shared rounding).</li>
 * </ul>
 */
public final class ReferenceSoftmax {
    private ReferenceSoftmax() {}

    /** The exact softmax of {@code x[offset .. offset+length)}, in double. */
    public static double[] softmax(float[] x, int offset, int length) {
        return probabilities(x, offset, length, false);
    }

    /** {@code exp(fl(x - max)) / Σ exp(fl(x - max))}: the float subtraction rounded, everything else exact. */
    public static double[] kernelSoftmax(float[] x, int offset, int length) {
        return probabilities(x, offset, length, true);
    }

    /** The exact log-softmax of {@code x[offset .. offset+length)}: {@code x - max - logSumExp}. */
    public static double[] logSoftmax(float[] x, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, x.length);
        double[] y = new double[length];
        double max = max(x, offset, length);
        if (!Double.isFinite(max)) {
            double[] p = softmax(x, offset, length);
            for (int i = 0; i < length; i++) {
                y[i] = Math.log(p[i]);
            }
            return y;
        }
        double logSum = logSumExp(x, offset, length);
        for (int i = 0; i < length; i++) {
            y[i] = ((double) x[offset + i] - max) - logSum;
        }
        return y;
    }

    /**
     * {@code log Σ exp(x - max)}: the log of the shifted normalizer, at least 0 for a finite row. It scales the
     * log-softmax error bar, since log-softmax values near 0 are computed as a difference of this size. Computed
     * as {@code log(m) + log1p(R/m)} (m terms equal to the max, R the rest) so it keeps its relative accuracy when
     * one logit dominates and it is as small as 1e-30.
     */
    public static double logSumExp(float[] x, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, x.length);
        double max = max(x, offset, length);
        int maxCount = 0;
        CompensatedSum belowMax = new CompensatedSum();
        for (int i = offset; i < offset + length; i++) {
            if (x[i] == max) {
                maxCount++;
            } else {
                belowMax.add(exp((double) x[i] - max));
            }
        }
        return Math.log(maxCount) + Math.log1p(belowMax.value() / maxCount);
    }

    private static double[] probabilities(float[] x, int offset, int length, boolean roundShiftToFloat) {
        Objects.checkFromIndexSize(offset, length, x.length);
        double[] y = new double[length];
        if (length == 0) {
            return y;
        }
        double max = max(x, offset, length);
        if (Double.isNaN(max)) {
            java.util.Arrays.fill(y, Double.NaN);
            return y;
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return y;
        }
        if (max == Double.POSITIVE_INFINITY) {
            int k = 0;
            for (int i = 0; i < length; i++) {
                k += x[offset + i] == Float.POSITIVE_INFINITY ? 1 : 0;
            }
            for (int i = 0; i < length; i++) {
                y[i] = x[offset + i] == Float.POSITIVE_INFINITY ? 1.0 / k : 0;
            }
            return y;
        }
        CompensatedSum terms = new CompensatedSum();
        for (int i = 0; i < length; i++) {
            double shifted = roundShiftToFloat ? (double) (x[offset + i] - (float) max) : (double) x[offset + i] - max;
            y[i] = exp(shifted);
            terms.add(y[i]);
        }
        double sum = terms.value();
        for (int i = 0; i < length; i++) {
            y[i] /= sum;
        }
        return y;
    }

    /**
     * {@link Math#exp}, returning its 0 at once where the result underflows (below about −745.13 it is 0): the
     * intrinsic is slow on far-out arguments; the 16M Cauchy-tailed test row's reference went from 230 to 63 ms.
     */
    private static double exp(double v) {
        return v < -746 ? 0 : Math.exp(v);
    }

    private static double max(float[] x, int offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + length; i++) {
            max = Math.max(max, x[i]);
        }
        return max;
    }

    /** Neumaier's compensated summation: the rounding error of each addition is kept and added back at the end. */
    private static final class CompensatedSum {
        private double sum;
        private double compensation;

        void add(double term) {
            double t = sum + term;
            compensation += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }

        double value() {
            return sum + compensation;
        }
    }
}
