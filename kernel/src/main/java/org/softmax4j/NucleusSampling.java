package org.softmax4j;

import java.util.Objects;

/**
 * {@link Sampling#sampleTopP}: nucleus sampling without sorting the row. Candidates above a probability threshold
 * (a power of 2 below the total, lowered until the candidates hold enough mass) are gathered by
 * {@link SoftmaxKernel#indicesAbove} into a per-thread scratch, and only they are ordered, by a selection that stops as
 * soon as the nucleus and the drawn token are known.
 */
final class NucleusSampling {
    private NucleusSampling() {}

    /** Per-thread scratch of {@link Sampling#sampleTopP}: candidate indices and keys, grown on demand and kept. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Candidate thresholds of {@link Sampling#sampleTopP}, as powers of 2 below the total; then every positive token. */
    private static final int[] THRESHOLD_SHIFTS = {8, 11, 14, 17, 20};

    /** Windows of at most this many keys are sorted by insertion instead of partitioned. */
    private static final int SMALL_WINDOW = 16;

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

    /** {@link Sampling#sampleTopP}'s per-thread state: candidate indices and keys, and the mass a selection found. */
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
