package org.softmax4j;

import java.util.Objects;

/**
 * Choosing the next token from a row of vocabulary logits or probabilities: greedy ({@link #argmax}), the k best
 * ({@link #topK}) and nucleus sampling ({@link #sampleTopP}). A decoder calls one of them per generated token on
 * 32k–256k floats; sorting the whole row for it (what a plain Java version does) costs milliseconds, far more than
 * the softmax before it. These scan the row at vector speed and touch only the few tokens that can matter.
 *
 * <pre>{@code
 * float[] logits = model.forward(token);                 // 128256 vocabulary logits
 * int greedy = Sampling.argmax(logits, 0, logits.length);
 *
 * float[] probs = Softmax.softmax(logits);                // after dividing by a temperature, if any
 * int next = Sampling.sampleTopP(probs, 0, probs.length, 0.9f, random.nextDouble());
 * }</pre>
 *
 * <p><b>Order.</b> Values rank by {@code >}; NaN ranks above every number (as {@code torch.argmax}); equal values,
 * {@code -0.0} and {@code +0.0} included, and NaNs among themselves rank by lower index first. Indices are relative
 * to {@code offset}.
 *
 * <p><b>Arguments.</b> {@code null} arrays throw {@link NullPointerException}; negative or out-of-range offsets and
 * lengths throw {@link IndexOutOfBoundsException}; other bad values (an empty argmax, a negative k, topP or u out of
 * range, invalid probabilities) throw {@link IllegalArgumentException}. Every check happens before anything is
 * written, and no input array is modified.
 *
 * <p>Static and thread-safe; the same input gives the same result on every call and thread. {@link #argmax} and
 * {@link #topK} allocate nothing; {@link #sampleTopP} keeps a per-thread scratch array (see there). The
 * selections themselves are in {@link TopK} and {@link NucleusSampling}.
 */
public final class Sampling {
    private Sampling() {}

    /**
     * The index, relative to {@code offset}, of the largest value of {@code x[offset .. offset+length)}: the first of
     * equal values, the first NaN if there is any (NaN ranks above every number, as in {@code torch.argmax}), 0 for a
     * row of only {@code -inf}. Two vector passes: the max, then the first element equal to it.
     *
     * <pre>{@code Sampling.argmax(new float[] {1f, 7f, 3f, 7f}, 0, 4)   // 1}</pre>
     *
     * @throws NullPointerException      if {@code x} is null
     * @throws IndexOutOfBoundsException if the range is negative or outside the array
     * @throws IllegalArgumentException  if {@code length} is 0
     */
    public static int argmax(float[] x, int offset, int length) {
        return argmax(Softmax.KERNEL, x, offset, length);
    }

    static int argmax(SoftmaxKernel kernel, float[] x, int offset, int length) {
        Objects.requireNonNull(x, "x");
        Objects.checkFromIndexSize(offset, length, x.length);
        if (length == 0) {
            throw new IllegalArgumentException("argmax of an empty range (offset " + offset + ")");
        }
        float max = kernel.max(x, offset, length);  // Math.max semantics: NaN if any is NaN
        if (max == Float.NEGATIVE_INFINITY) {
            return 0;
        }
        // the first element above the float just below the max is the first equal to it (-0.0 and +0.0 alike);
        // for NaN, the first element above +inf is the first NaN
        return kernel.firstAbove(x, offset, length, Float.isNaN(max) ? Float.POSITIVE_INFINITY : Math.nextDown(max));
    }

    /**
     * Writes to {@code indices[indicesOffset ..)} the indices, relative to {@code offset}, of the {@code min(k, length)}
     * largest values of {@code x[offset .. offset+length)}, largest first (ties by lower index, NaN largest), and
     * returns that count. Nothing past it is written.
     *
     * <p>Cost: one vector scan of the row against the k-th best value so far, and a heap update (O(log k)) for each
     * element that beats it: about {@code k · ln(length / k)} of them for rows in random order, every element for a
     * rising row. No allocation: the heap lives in {@code indices}.
     *
     * <pre>{@code
     * int[] top = new int[40];
     * int count = Sampling.topK(logits, 0, logits.length, 40, top, 0);   // top[0] is the argmax
     * }</pre>
     *
     * @return {@code min(k, length)}
     * @throws NullPointerException      if {@code x} or {@code indices} is null
     * @throws IndexOutOfBoundsException if {@code x}'s range is negative or outside it, or
     *                                   {@code indices[indicesOffset .. indicesOffset + min(k, length))} is not inside
     *                                   {@code indices}
     * @throws IllegalArgumentException  if {@code k} is negative
     */
    public static int topK(float[] x, int offset, int length, int k, int[] indices, int indicesOffset) {
        return TopK.topK(Softmax.KERNEL, x, offset, length, k, indices, indicesOffset);
    }

    /**
     * Nucleus (top-p) sampling: the index, relative to {@code offset}, of the token drawn by {@code u} from the
     * smallest set of most probable tokens whose mass reaches {@code topP} of the row's total.
     *
     * <p>Precisely: with the tokens ordered by descending probability (ties: lower index first) and {@code total}
     * the row's sum (the row need not be normalized), the kept tokens are the shortest prefix whose mass is
     * {@code >= topP · total}, and the result is the first kept token whose cumulative mass exceeds
     * {@code u · keptMass}. So {@code u} uniform in [0, 1) draws each kept token with its renormalized probability,
     * {@code u = 0} gives the most probable token and {@code topP = 1} keeps every token of positive probability.
     * Tokens of probability 0 are never returned. Masses are summed in double, in an order of this method's choosing:
     * where the exact cut or draw lies within about {@code length · 2^-53 · total} of a token boundary, the token on
     * either side may be returned (so a {@code u} within that of 1 may return the last kept token or the one before
     * it).
     *
     * <p>Probabilities must be non-negative and finite ({@code -0.0} counts as 0) with a positive sum; the check is
     * the first pass over the row, so a bad row is rejected with {@link IllegalArgumentException} before any other
     * work (there is nothing to write).
     *
     * <p>Cost: a vector pass for the total and one or more vector passes gathering the candidates above a threshold
     * ({@code total / 2^8}, then {@code / 2^11}, ... {@code / 2^20}, then every positive token) until their mass reaches
     * the cut; then selection by mass among the candidates (expected linear), with no full sort. Confident rows take
     * the first threshold; flat rows with {@code topP} near 1 end up selecting among most of the vocabulary. The
     * candidates are kept in per-thread scratch arrays of 12 bytes per candidate, grown on demand and kept (up to
     * {@code 12 · length} bytes), so a call allocates nothing once warm.
     *
     * <pre>{@code
     * float[] probs = Softmax.softmax(logits);
     * SplittableRandom random = new SplittableRandom(42);
     * int next = Sampling.sampleTopP(probs, 0, probs.length, 0.9f, random.nextDouble());
     * }</pre>
     *
     * @param topP the nucleus's share of the total mass, in (0, 1]
     * @param u    the uniform draw, in [0, 1)
     * @throws NullPointerException      if {@code probs} is null
     * @throws IndexOutOfBoundsException if the range is negative or outside the array
     * @throws IllegalArgumentException  if {@code topP} is not in (0, 1] or {@code u} not in [0, 1) (NaN included),
     *                                   or a probability is negative, NaN or infinite, or they sum to 0 (an empty
     *                                   range included)
     */
    public static int sampleTopP(float[] probs, int offset, int length, float topP, double u) {
        return NucleusSampling.sampleTopP(Softmax.KERNEL, probs, offset, length, topP, u);
    }

}
