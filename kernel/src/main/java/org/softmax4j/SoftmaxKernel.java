package org.softmax4j;

/**
 * The row-level operations {@link Softmax} composes. Internal: public only so that the Vector API
 * implementation in {@code org.softmax4j.vector} can implement it; not part of the supported API.
 *
 * <p>Every operation works on one contiguous row. Arguments are already checked by the facade. The exp operations
 * see a finite {@code max}; their rows may still hold -inf (masked entries, exp 0), and {@link #sumExpMinusMax}
 * may see NaN or +inf, which it reports.
 * An implementation must be deterministic: the same input gives bitwise the same result on every call.
 */
public interface SoftmaxKernel {

    /** Human-readable name, e.g. {@code "vector-256 (AVX2)"}. */
    String description();

    /** The largest element by {@link Math#max(float, float)}: NaN if any element is NaN. {@code length > 0}. */
    float max(float[] a, int offset, int length);

    /**
     * Stores {@code exp(src[i] - max) * scale} into {@code dst} and returns {@code Σ exp(src[i] - max)} (unscaled),
     * accumulated so that its relative error stays far below one float ulp at any length. The float exp is
     * multiplied by the double {@code scale} with one rounding, as {@link #scale} does; with {@code scale == 1} the
     * stored value is the float exp itself. {@code max} is finite and at least every element; {@code dst} range
     * equals or does not overlap the {@code src} range.
     */
    double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max,
                                  double scale);

    /**
     * {@code Σ exp(src[i] - max)} for a finite {@code max}, or NaN if some element is greater than {@code max} (or
     * NaN): then {@code max} was not the max, and the caller finds the real one. This lets the two-pass path assume
     * the max seen so far and read each element once.
     */
    double sumExpMinusMax(float[] src, int srcOffset, int length, float max);

    /**
     * {@code log Σ exp(src[i] - max)}, the log-softmax normalizer, accurate relative to its own size even when it
     * is tiny (a dominant logit makes it ~1e-8 or less, and the top log-probability is its negative). For that the
     * shift {@code src[i] - max} is taken exactly ({@link ExpPolynomial#exactExpMinusMaxTimes2To64}), the terms below
     * the max are summed apart from the count of terms equal to it, and the two are combined by {@link #logOfSum}.
     */
    double logSumExpMinusMax(float[] src, int srcOffset, int length, float max);

    /** {@code a[i] = a[i] * factor}, rounded once from the double {@code factor} (not from {@code (float) factor}). */
    void scale(float[] a, int offset, int length, double factor);

    /**
     * {@code log(maxCount + belowMaxSum)} without cancellation when {@code belowMaxSum} is tiny:
     * {@code log(m) + log1p(R/m)}, both exact to double rounding.
     */
    static double logOfSum(double maxCount, double belowMaxSum) {
        // StrictMath: the same bits whether the caller runs interpreted or compiled (once per row, so cost-free)
        return StrictMath.log(maxCount) + StrictMath.log1p(belowMaxSum / maxCount);
    }

    /** {@code dst[i] = (src[i] - max) - logSum}: the log-softmax of a row whose normalizer is {@code exp(logSum)}. */
    void subtractMaxAndLogSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max, float logSum);
}
