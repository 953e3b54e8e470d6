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
 * {@link #topK} allocate nothing; {@link #sampleTopP} keeps a per-thread scratch array (see there).
 */
public final class Sampling {
    private Sampling() {}

    /** Per-thread scratch of {@link #sampleTopP}: candidate indices and keys, grown on demand and kept. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Candidate thresholds of {@link #sampleTopP}, as powers of 2 below the total; then every positive token. */
    private static final int[] THRESHOLD_SHIFTS = {8, 11, 14, 17, 20};

    /** Windows of at most this many keys are sorted by insertion instead of partitioned. */
    private static final int SMALL_WINDOW = 16;

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
        return topK(Softmax.KERNEL, x, offset, length, k, indices, indicesOffset);
    }

    static int topK(SoftmaxKernel kernel, float[] x, int offset, int length, int k, int[] indices,
                    int indicesOffset) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(indices, "indices");
        Objects.checkFromIndexSize(offset, length, x.length);
        if (k < 0) {
            throw new IllegalArgumentException("k = " + k + " is negative");
        }
        int count = Math.min(k, length);
        Objects.checkFromIndexSize(indicesOffset, count, indices.length);
        if (count == 0) {
            return 0;
        }
        int h = indicesOffset;
        for (int i = 0; i < count; i++) {
            indices[h + i] = i;
        }
        for (int pos = count / 2 - 1; pos >= 0; pos--) {
            siftDown(x, offset, indices, h, count, pos);
        }
        // the heap's root is the worst of the best `count` so far: only an element above it (or NaN) can enter
        for (int i = count; i < length; i++) {
            float worst = x[offset + indices[h]];
            if (worst != worst) {
                break;  // the heap holds the first `count` NaNs: nothing later ranks above them
            }
            int j = kernel.firstAbove(x, offset + i, length - i, worst);
            if (j < 0) {
                break;
            }
            i += j;
            indices[h] = i;
            siftDown(x, offset, indices, h, count, 0);
        }
        for (int end = count - 1; end > 0; end--) {  // heap sort: the worst goes last
            int worst = indices[h];
            indices[h] = indices[h + end];
            indices[h + end] = worst;
            siftDown(x, offset, indices, h, end, 0);
        }
        return count;
    }

    /** Whether element {@code a} ranks below element {@code b} (distinct indices): see the class's order. */
    private static boolean worse(float[] x, int offset, int a, int b) {
        float va = x[offset + a];
        float vb = x[offset + b];
        if (va < vb) {
            return true;
        }
        if (va > vb) {
            return false;
        }
        boolean nanA = va != va;
        boolean nanB = vb != vb;
        return nanA == nanB ? a > b : nanB;  // equal (or both NaN): the higher index is worse
    }

    /** Restores the heap (worst at the root) below {@code pos}, the heap being {@code heap[h .. h+size)}. */
    private static void siftDown(float[] x, int offset, int[] heap, int h, int size, int pos) {
        int item = heap[h + pos];
        for (int child = 2 * pos + 1; child < size; child = 2 * pos + 1) {
            int c = heap[h + child];
            if (child + 1 < size && worse(x, offset, heap[h + child + 1], c)) {
                child++;
                c = heap[h + child];
            }
            if (!worse(x, offset, c, item)) {
                break;
            }
            heap[h + pos] = c;
            pos = child;
        }
        heap[h + pos] = item;
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
        return sampleTopP(Softmax.KERNEL, probs, offset, length, topP, u);
    }

    static int sampleTopP(SoftmaxKernel kernel, float[] probs, int offset, int length, float topP, double u) {
        Objects.requireNonNull(probs, "probs");
        Objects.checkFromIndexSize(offset, length, probs.length);
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP = " + topP + " is not in (0, 1]");
        }
        if (!(u >= 0 && u < 1)) {
            throw new IllegalArgumentException("u = " + u + " is not in [0, 1)");
        }
        double total = kernel.sumOfNonNegative(probs, offset, length);
        if (Double.isNaN(total)) {
            throw new IllegalArgumentException(firstInvalidProbability(probs, offset, length));
        }
        if (total == 0) {
            throw new IllegalArgumentException("the probabilities [" + offset + ", " + (offset + length)
                    + ") sum to 0: nothing to sample");
        }
        Scratch scratch = SCRATCH.get();
        double need = topP * total;
        int candidates = 0;
        for (int attempt = 0; attempt <= THRESHOLD_SHIFTS.length; attempt++) {
            boolean last = attempt == THRESHOLD_SHIFTS.length || topP == 1;
            // candidates: p > threshold, fewer than total / threshold of them (2^shift); at last every positive p
            float threshold = last ? 0f : (float) Math.scalb(total, -THRESHOLD_SHIFTS[attempt]);
            int[] indices = scratch.indices(last ? length : Math.min(length, (1 << THRESHOLD_SHIFTS[attempt]) + 1));
            candidates = kernel.indicesAbove(probs, offset, length, threshold, indices);
            if (candidates > indices.length) {  // only where the threshold rounded far down (subnormal totals)
                indices = scratch.indices(candidates);
                kernel.indicesAbove(probs, offset, length, threshold, indices);
            }
            long[] keys = scratch.keys(candidates);
            double mass = 0;
            for (int c = 0; c < candidates; c++) {
                int i = indices[c];
                float p = probs[offset + i];
                keys[c] = key(p, i);
                mass += p;
            }
            if (last || mass >= need) {
                break;
            }
        }
        long[] keys = scratch.keys;
        int kept;
        double keptMass;
        if (topP == 1) {  // every positive token; no cut to find (a double sum could miss the last tiny ones)
            kept = candidates;
            keptMass = total;
        } else {
            kept = select(keys, 0, candidates, need, false, scratch) + 1;
            keptMass = scratch.mass;
        }
        int drawn = select(keys, 0, kept, u * keptMass, true, scratch);
        return ~(int) keys[drawn];
    }

    /**
     * A candidate's sort key: ascending keys are ascending probability and, among equal ones, descending index (p is
     * positive, so its bits order like it). The index is stored complemented in the low 32 bits.
     */
    private static long key(float p, int index) {
        return ((long) Float.floatToRawIntBits(p) << 32) | (~index & 0xFFFF_FFFFL);
    }

    private static float probability(long key) {
        return Float.intBitsToFloat((int) (key >>> 32));
    }

    /**
     * Weighted selection: rearranges {@code keys[from .. to)} so that, for the returned position {@code j}, positions
     * {@code from .. j} hold the largest keys, {@code keys[j]} the smallest of them, and their total probability
     * (left in {@code scratch.mass}) is the first prefix mass, in descending key order, that reaches {@code target}
     * ({@code >} if {@code strict}, else {@code >=}). If none does (rounding), the whole range: {@code to - 1}.
     * Quickselect with a median-of-three pivot, partitioning by key and summing the larger side's mass; expected
     * linear time, and a heap sort of the window if the partitions keep coming out lopsided. {@code from < to}.
     */
    private static int select(long[] keys, int from, int to, double target, boolean strict, Scratch scratch) {
        int lo = from;
        int hi = to;
        double above = 0;  // mass of keys[from .. lo), all larger than the window
        int rounds = 0;
        while (hi - lo > SMALL_WINDOW && rounds++ < 64) {
            int mid = (lo + hi) >>> 1;
            long pivot = medianOfThree(keys[lo], keys[mid], keys[hi - 1]);
            int store = lo;
            for (int k = lo; k < hi; k++) {  // branch-free: [lo, store) > pivot, [store, k] <= pivot
                long key = keys[k];
                keys[k] = keys[store];
                keys[store] = key;
                store += key > pivot ? 1 : 0;
            }
            double greater = 0;
            for (int k = lo; k < store; k++) {
                greater += probability(keys[k]);
            }
            int p = store;  // the pivot's position: swap it there from wherever it is in [store, hi)
            for (int k = store; k < hi; k++) {
                if (keys[k] == pivot) {
                    keys[k] = keys[p];
                    keys[p] = pivot;
                    break;
                }
            }
            if (p > lo && reaches(above + greater, target, strict)) {
                hi = p;
                continue;
            }
            above += greater + probability(pivot);
            if (reaches(above, target, strict)) {
                scratch.mass = above;
                return p;
            }
            lo = p + 1;
            if (lo == hi) {
                scratch.mass = above;
                return hi - 1;  // no prefix reached the target: rounding; the whole range
            }
        }
        sortDescending(keys, lo, hi);
        for (int j = lo; j < hi; j++) {
            above += probability(keys[j]);
            if (reaches(above, target, strict)) {
                scratch.mass = above;
                return j;
            }
        }
        scratch.mass = above;
        return hi - 1;
    }

    private static boolean reaches(double mass, double target, boolean strict) {
        return strict ? mass > target : mass >= target;
    }

    private static long medianOfThree(long a, long b, long c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Sorts {@code keys[lo .. hi)} descending: insertion for short windows, else a heap sort (no allocation). */
    private static void sortDescending(long[] keys, int lo, int hi) {
        if (hi - lo <= SMALL_WINDOW) {
            for (int i = lo + 1; i < hi; i++) {
                long key = keys[i];
                int j = i - 1;
                while (j >= lo && keys[j] < key) {
                    keys[j + 1] = keys[j];
                    j--;
                }
                keys[j + 1] = key;
            }
            return;
        }
        int size = hi - lo;
        for (int pos = size / 2 - 1; pos >= 0; pos--) {
            siftDownMin(keys, lo, size, pos);
        }
        for (int end = size - 1; end > 0; end--) {  // the smallest goes last
            long smallest = keys[lo];
            keys[lo] = keys[lo + end];
            keys[lo + end] = smallest;
            siftDownMin(keys, lo, end, 0);
        }
    }

    /** Min-heap sift of {@code keys[base .. base+size)}. */
    private static void siftDownMin(long[] keys, int base, int size, int pos) {
        long item = keys[base + pos];
        for (int child = 2 * pos + 1; child < size; child = 2 * pos + 1) {
            if (child + 1 < size && keys[base + child + 1] < keys[base + child]) {
                child++;
            }
            if (keys[base + child] >= item) {
                break;
            }
            keys[base + pos] = keys[base + child];
            pos = child;
        }
        keys[base + pos] = item;
    }

    private static String firstInvalidProbability(float[] probs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (!(probs[i] >= 0) || probs[i] == Float.POSITIVE_INFINITY) {
                return "probs[" + i + "] = " + probs[i] + ": probabilities must be non-negative and finite";
            }
        }
        return "the probabilities are not non-negative and finite";  // not reached: the kernel found one
    }

    /** {@link #sampleTopP}'s per-thread state: candidate indices and keys, and the mass a selection found. */
    private static final class Scratch {
        int[] indices = new int[257];
        long[] keys = new long[257];
        double mass;

        int[] indices(int capacity) {
            if (indices.length < capacity) {
                indices = new int[grown(indices.length, capacity)];
            }
            return indices;
        }

        long[] keys(int capacity) {
            if (keys.length < capacity) {
                keys = new long[grown(keys.length, capacity)];
            }
            return keys;
        }

        private static int grown(int length, int capacity) {
            return Math.max(capacity, (int) Math.min(2L * length, Integer.MAX_VALUE - 8));
        }
    }
}
