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

    /** The longest row {@link #softmaxOfShortRow} takes: 0 if it takes none. */
    int shortRowLength();

    /**
     * The whole softmax of a row of {@code 1..shortRowLength()} elements, in one pass through registers: writes it
     * and returns true, or returns false without writing anything if the row is special (NaN, +inf, all -inf).
     * Every row of that length that is not special must come here, from every entry point (its segment twin
     * included): its sum need not be the general path's, so the same row must not reach both.
     */
    boolean softmaxOfShortRow(float[] src, int srcOffset, float[] dst, int dstOffset, int length);

    /** The largest element by {@link Math#max(float, float)}: NaN if any element is NaN. {@code length > 0}. */
    float max(float[] a, int offset, int length);

    /**
     * The largest and the smallest element in one pass, packed into a long ({@link #maxOf} and {@link #minOf} unpack
     * it): the max pass of the softmax paths, cheaper than {@link #max} in the vector kernel. For a row without NaN:
     * its max and min (of +0.0 and -0.0, either). With a NaN in the row the max is NaN
     * or the largest other element, and the min NaN or at most the smallest other element: the softmax paths find
     * the NaN anyway, from a NaN max or from their exp sum, which a NaN element makes NaN. The min tells
     * {@link #storeExpMinusMaxAndSum} whether any element can underflow. {@code length > 0}.
     */
    long maxAndMin(float[] a, int offset, int length);

    /** Packs a max and a min, given as raw float bits, as {@link #maxAndMin} returns them. */
    static long packMaxAndMin(int maxBits, int minBits) {
        return (long) maxBits << 32 | minBits & 0xFFFFFFFFL;
    }

    /** The max packed by {@link #maxAndMin}. */
    static float maxOf(long maxAndMin) {
        return Float.intBitsToFloat((int) (maxAndMin >>> 32));
    }

    /** The min packed by {@link #maxAndMin}. */
    static float minOf(long maxAndMin) {
        return Float.intBitsToFloat((int) maxAndMin);
    }

    /**
     * Stores {@code exp(src[i] - max)} into {@code dst} and returns {@code Σ exp(src[i] - max)}, accumulated so that
     * its relative error stays below a few 2^-24 at any length (no float accumulation across the row). NaN if an
     * element is NaN. {@code max} is finite and at least every element; {@code min} is at most every element that
     * is not NaN, or {@code -inf} when not known: where {@code min - max} is at least
     * {@link ExpPolynomial#UNDERFLOW_CUTOFF} no element can underflow, and the vector kernel skips that test (the
     * results are the same). The {@code dst} range equals or does not overlap the {@code src} range.
     */
    double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max,
                                  float min);

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

    /**
     * The fused variants' input transform: stores {@code v[i] = fl(scale * src[i] + mask[i])} (one rounding, a fused
     * multiply-add; {@code fl(scale * src[i])} when {@code mask} is null) into {@code dst} and returns the largest
     * {@code v} that is not NaN ({@code -inf} if there is none). The softmax then runs on
     * {@code dst} in place while the block is still in L1, so the transform costs a store per element in the max
     * pass, not a pass of its own. The {@code dst} range equals or does not overlap the {@code src} range; the mask
     * range is read only.
     */
    float storeScaledPlusMaskAndMax(float[] src, int srcOffset, float scale, float[] mask, int maskOffset, float[] dst,
                                    int dstOffset, int length);

    /**
     * The index, relative to {@code offset}, of the first element that is not {@code <= threshold}: greater than it,
     * or NaN; -1 if there is none. The scan for {@link Sampling}: with {@code threshold} the k-th best value so far
     * it skips the elements that cannot enter a top-k (most of them) at vector speed, and with {@code nextDown(max)}
     * (or +inf, for NaN) it finds the first index of the max. {@code length >= 0}.
     */
    int firstAbove(float[] a, int offset, int length, float threshold);

    /**
     * {@code Σ a[i]} with every element widened exactly to double and summed in double (relative error about
     * {@code length · 2^-53}), or NaN if an element is negative (-0.0 is not), NaN or infinite: the total of a
     * probability row and its check in one pass, for {@link Sampling#sampleTopP}. 0 for {@code length == 0}.
     */
    double sumOfNonNegative(float[] a, int offset, int length);

    /**
     * Writes the indices, relative to {@code offset}, of the elements that are not {@code <= threshold} (greater, or
     * NaN) in increasing order to {@code indices[0 ..)}, as many as fit, and returns how many there are (so a count
     * above {@code indices.length} says the caller's array was too short). Top-p sampling's candidate gathering:
     * one call however many candidates, where {@link #firstAbove} would take one call each.
     */
    int indicesAbove(float[] a, int offset, int length, float threshold, int[] indices);

    // ---- Training: the element-wise operations of the backward passes and of the cross-entropy gradient. Each
    // rounds its result once from double (the sums are double sums of exact double products), so the ops add at
    // most half an ulp to what the caller's bars allow; vector and scalar implementations are bitwise twins for the
    // element-wise ones.

    /**
     * {@code Σ a[i] * b[i]}: each product exact in double (a float times a float has at most 48 significant bits),
     * summed in double, never in float. Deterministic order for a given length.
     */
    double dotProduct(float[] a, int aOffset, float[] b, int bOffset, int length);

    /** {@code Σ a[i]}, summed in double, never in float. NaN if an element is NaN, ±inf if one is. */
    double sum(float[] a, int offset, int length);

    /**
     * {@code dx[i] = y[i] * (dy[i] - s)}, evaluated in double and rounded once to float: the softmax backward step
     * once {@code s = Σ y·dy} is known. The {@code dx} range equals or does not overlap each input range.
     */
    void subtractAndMultiply(float[] y, int yOffset, float[] dy, int dyOffset, float[] dx, int dxOffset, int length,
                             double s);

    /**
     * {@code dx[i] = g[i] - e[i] * s}, evaluated in double and rounded once to float: the log-softmax backward step
     * with {@code e = exp(logp)} and {@code s = Σ g}. The {@code dx} range equals or does not overlap each input
     * range.
     */
    void subtractScaled(float[] g, int gOffset, float[] e, int eOffset, float[] dx, int dxOffset, int length,
                        double s);

    /**
     * {@code a[i] = a[i] * factor - c}, evaluated in double and rounded once to float: normalizing stored exps into
     * a label-smoothed cross-entropy gradient.
     */
    void scaleAndSubtract(float[] a, int offset, int length, double factor, double c);
}
