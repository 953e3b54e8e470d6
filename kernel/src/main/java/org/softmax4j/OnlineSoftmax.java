package org.softmax4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * The running state of one softmax row seen block by block: its max so far and {@code Σ exp(s − max)} over the
 * scores accepted so far. Flash attention needs it: a decode step scores the key-value cache one block at a time and
 * never holds the whole row of scores, so each block's weights are computed against the max seen so far, and the
 * output accumulated from earlier blocks is rescaled whenever the max rises. Split-K attention needs
 * {@link #merge}: two partial states of disjoint parts of a row combine into the state of both.
 *
 * <pre>{@code
 * OnlineSoftmax state = new OnlineSoftmax();
 * float[] out = new float[headDim];
 * for (int start = 0; start < seq; start += block) {
 *     int len = Math.min(block, seq - start);
 *     scoreBlock(query, keys, start, len, scores);      // raw scores q·k_j, in scores[0 .. len)
 *     float factor = state.accept(scores, 0, len);      // scores[j] is now exp(s_j − max())
 *     for (int d = 0; d < headDim; d++) out[d] *= factor;
 *     for (int j = 0; j < len; j++) addScaled(out, values[start + j], scores[j]);
 * }
 * double inverse = 1 / state.sum();
 * for (int d = 0; d < headDim; d++) out[d] *= inverse;  // the softmax-weighted sum of the values
 * }</pre>
 *
 * <p><b>Semantics.</b> Scores of {@code -inf} are masked: weight 0, and a state that has seen only {@code -inf}
 * (or nothing) stays empty: {@code max()} is {@code -inf}, {@code sum()} 0, {@code logSumExp()} {@code -inf}. A block
 * containing NaN or {@code +inf} is rejected with {@link IllegalArgumentException}, leaving the block and the state
 * as they were: a running state has no way to give such a row the facade's answer (NaN everywhere, or the mass on
 * the infinities) after earlier blocks' weights have been used.
 *
 * <p><b>Accuracy.</b> The weights are the kernel's {@code exp(fl(s − m))} for the max {@code m} at the time the block
 * was accepted (no larger a rounding than the shift by the final max that every float32 softmax pays); the sum is
 * kept in double and the factors are {@link Math#exp} of exact double differences. For any split of a row into
 * blocks (and any order of merges), the final {@link #logSumExp()} is within 4 float ulps (of its value, or of 1
 * where it is smaller) of the whole row's, and each weight, times {@code exp(m − max())} for the {@code m} its
 * block was accepted at and divided by {@link #sum()}, meets the softmax accuracy contract
 * ({@link UlpError#softmaxContract}) plus 2 ulps. The factors {@link #accept} returns are rounded to float once each:
 * a caller that rescales a float accumulator by each of them adds that rounding (2^-24 relative) per rise of the
 * max, as its own multiply does.
 *
 * <p>Not thread-safe: one instance per row being accumulated (reuse it with {@link #reset()}). Allocation-free.
 * Deterministic: the same blocks in the same order give bitwise the same state and weights.
 */
public final class OnlineSoftmax {
    private final SoftmaxKernel kernel;
    private float max = Float.NEGATIVE_INFINITY;
    /** Σ exp(s − max) over the accepted scores; 0 exactly when the state is empty (otherwise at least 1). */
    private double sum;

    /**
     * An empty state: {@code max()} is {@code -inf}, {@code sum()} 0.
     *
     * <pre>{@code OnlineSoftmax state = new OnlineSoftmax();  // state.logSumExp() == -inf}</pre>
     */
    public OnlineSoftmax() {
        this(Softmax.KERNEL);
    }

    /** A state on a given kernel (tests force one). */
    OnlineSoftmax(SoftmaxKernel kernel) {
        this.kernel = kernel;
    }

    /**
     * Empties the state, to start another row with the same instance.
     *
     * <pre>{@code state.reset();  // state.max() == -inf, state.sum() == 0}</pre>
     */
    public void reset() {
        max = Float.NEGATIVE_INFINITY;
        sum = 0;
    }

    /**
     * The largest score accepted so far that is not {@code -inf}; {@code -inf} for an empty state.
     *
     * <pre>{@code
     * state.accept(new float[] {1f, 3f}, 0, 2);
     * state.max();  // 3f
     * }</pre>
     */
    public float max() {
        return max;
    }

    /**
     * {@code Σ exp(s − max())} over every accepted score: the softmax normalizer relative to {@link #max()}, at least
     * 1 unless the state is empty (0).
     *
     * <pre>{@code
     * state.accept(new float[] {0f, 0f}, 0, 2);
     * state.sum();  // 2.0
     * }</pre>
     */
    public double sum() {
        return sum;
    }

    /**
     * {@code log Σ exp(s)} over every accepted score, {@code max() + log(sum())}: the row's log-softmax normalizer
     * (log-softmax of a score {@code s} is {@code s − logSumExp()}). {@code -inf} for an empty state.
     *
     * <pre>{@code
     * state.accept(new float[] {0f, 0f}, 0, 2);
     * state.logSumExp();  // log 2 = 0.6931...
     * }</pre>
     */
    public double logSumExp() {
        return max + Math.log(sum);
    }

    /**
     * Takes a block of raw scores into the state and overwrites the block, in place, with its weights
     * {@code exp(s − max())} against the new {@link #max()}. Returns {@code exp(oldMax − newMax)}: the factor by which
     * the caller multiplies what it accumulated from earlier blocks, 1 when the max did not rise and 0 when there was
     * no earlier mass (the state was empty). Masked scores ({@code -inf}) get weight 0; a block of only {@code -inf}
     * is written as zeros and leaves the state as it was (still empty, if it was). A block of length 0 changes
     * nothing.
     *
     * <pre>{@code
     * OnlineSoftmax state = new OnlineSoftmax();
     * float[] block = {1f, 2f};
     * state.accept(block, 0, 2);   // returns 0 (no earlier mass); block = [e^-1, 1], max 2, sum 1 + e^-1
     * block = new float[] {4f, Float.NEGATIVE_INFINITY};
     * state.accept(block, 0, 2);   // returns e^-2 (the max rose from 2 to 4); block = [1, 0]
     * }</pre>
     *
     * @return the factor {@code exp(oldMax − newMax)}, rounded to float, in [0, 1]
     * @throws NullPointerException      if {@code scores} is null
     * @throws IndexOutOfBoundsException if the range is negative or outside the array
     * @throws IllegalArgumentException  if the block contains NaN or {@code +inf} (block and state unchanged)
     */
    public float accept(float[] scores, int offset, int length) {
        Objects.requireNonNull(scores, "scores");
        Objects.checkFromIndexSize(offset, length, scores.length);
        boolean empty = sum == 0;
        if (length == 0) {
            return empty ? 0f : 1f;
        }
        float blockMax = kernel.max(scores, offset, length);  // NaN if any is NaN
        if (Float.isNaN(blockMax) || blockMax == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("scores [" + offset + ", " + (offset + length) + ") contain "
                    + (Float.isNaN(blockMax) ? "NaN" : "+inf") + "; an online softmax takes finite or -inf scores");
        }
        if (blockMax == Float.NEGATIVE_INFINITY) {  // fully masked block: no mass, state unchanged
            Arrays.fill(scores, offset, offset + length, 0f);
            return empty ? 0f : 1f;
        }
        float newMax = Math.max(max, blockMax);
        double blockSum = kernel.storeExpMinusMaxAndSum(scores, offset, scores, offset, length, newMax,
                Float.NEGATIVE_INFINITY);
        double factor = empty ? 0 : factor(max, newMax);
        sum = sum * factor + blockSum;
        max = newMax;
        return (float) factor;
    }

    /**
     * Makes this the state of both rows' scores together, as if every block {@code other} accepted had been
     * accepted here too (split-K: parts of one row accumulated apart, e.g. on different threads). The caller
     * rescales its two partial accumulators, by {@code exp(thisOldMax − max())} and {@code exp(other.max() − max())},
     * before adding them. {@code other} is left unchanged; merging an empty state changes nothing; merging into an
     * empty state copies {@code other}. {@code merge(this)} doubles the mass (every score counted twice).
     *
     * <pre>{@code
     * float oldMax = left.max();
     * left.merge(right);
     * double a = Math.exp((double) oldMax - left.max()), b = Math.exp((double) right.max() - left.max());
     * for (int d = 0; d < headDim; d++) outLeft[d] = (float) (outLeft[d] * a + outRight[d] * b);
     * // then divide by left.sum() when the row is complete
     * }</pre>
     *
     * @throws NullPointerException if {@code other} is null
     */
    public void merge(OnlineSoftmax other) {
        Objects.requireNonNull(other, "other");
        float otherMax = other.max;
        double otherSum = other.sum;
        if (otherSum == 0) {
            return;
        }
        if (sum == 0) {
            max = otherMax;
            sum = otherSum;
            return;
        }
        float newMax = Math.max(max, otherMax);
        sum = sum * factor(max, newMax) + otherSum * factor(otherMax, newMax);
        max = newMax;
    }

    /**
     * {@code exp(oldMax − newMax)} for finite maxima, {@code oldMax <= newMax}: 1 when equal. The float difference is
     * taken in double: exact when the maxima are within a factor of 2^29 of each other, else rounded once (2^-53
     * relative); Math.exp adds under 1 double ulp, the same bits interpreted and compiled (see BlockedSoftmax).
     */
    private static double factor(float oldMax, float newMax) {
        return oldMax == newMax ? 1.0 : Math.exp((double) oldMax - newMax);
    }

    /** e.g. {@code OnlineSoftmax[max=3.0, sum=1.25]}. */
    @Override
    public String toString() {
        return "OnlineSoftmax[max=" + max + ", sum=" + sum + "]";
    }
}
