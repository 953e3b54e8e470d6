package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Sampling} against plain reference implementations (a scalar loop for argmax, a full sort for top-k, a full
 * sort with exact {@link BigDecimal} sums for top-p), on the kernel this JVM chose: surefire runs it at every vector
 * width and without the incubator module. Rows: every {@link Rows} distribution, with NaNs, ties, signed zeros and
 * infinities mixed in, at lengths around the lane widths and at vocabulary size, at offsets.
 */
class SamplingTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    /** The order of the class javadoc: NaN above every number, then by value, then by lower index. */
    private static Comparator<Integer> descending(float[] x, int offset) {
        return (a, b) -> {
            float va = x[offset + a];
            float vb = x[offset + b];
            boolean nanA = Float.isNaN(va);
            boolean nanB = Float.isNaN(vb);
            if (nanA != nanB) {
                return nanA ? -1 : 1;
            }
            if (!nanA && va != vb) {  // -0.0 == 0.0: a tie
                return va > vb ? -1 : 1;
            }
            return Integer.compare(a, b);
        };
    }

    private static Integer[] sortedIndices(float[] x, int offset, int length) {
        Integer[] order = IntStream.range(0, length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, descending(x, offset));
        return order;
    }

    private static int referenceArgmax(float[] x, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            float v = x[offset + i];
            float b = x[offset + best];
            if (!Float.isNaN(b) && (Float.isNaN(v) || v > b)) {
                best = i;
            }
        }
        return best;
    }

    /** A random row with the special values mixed in at random places (NaN only if {@code nan}). */
    private static float[] row(SplittableRandom random, int length, boolean nan) {
        Rows rows = Rows.values()[random.nextInt(Rows.values().length)];
        float[] x = rows.row(random.nextLong(), length);
        int specials = length == 0 ? 0 : random.nextInt(4);
        for (int s = 0; s < specials; s++) {
            int at = random.nextInt(length);
            switch (random.nextInt(nan ? 6 : 5)) {
                case 0 -> x[at] = INF;
                case 1 -> x[at] = NEG_INF;
                case 2 -> x[at] = 0f;
                case 3 -> x[at] = -0f;
                case 4 -> x[at] = x[random.nextInt(length)];  // a tie
                default -> x[at] = random.nextBoolean() ? NAN : Float.intBitsToFloat(0xFFC00000);
            }
        }
        return x;
    }

    @RepeatedTest(10)
    void argmaxMatchesAScalarLoop() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 1; n <= 300; n++) {
            int offset = random.nextInt(17);
            float[] x = new float[offset + n + 3];
            System.arraycopy(row(random, n, random.nextInt(4) == 0), 0, x, offset, n);
            float[] before = x.clone();
            int length = n;
            assertEquals(referenceArgmax(x, offset, n), Sampling.argmax(x, offset, n),
                    () -> "n=" + length + " offset=" + offset + " seed=" + seed + " row " + Arrays.toString(x));
            assertArrayEquals(before, x, "argmax modified its input, seed=" + seed);
        }
        float[] vocab = Rows.NORMAL_0_3.row(seed, 128256);
        assertEquals(referenceArgmax(vocab, 0, vocab.length), Sampling.argmax(vocab, 0, vocab.length), "seed=" + seed);
    }

    @Test
    void argmaxEdgeCases() {
        assertEquals(1, Sampling.argmax(new float[] {1f, 7f, 3f, 7f}, 0, 4), "the first of equal maxima");
        assertEquals(0, Sampling.argmax(new float[] {NEG_INF, NEG_INF, NEG_INF}, 0, 3), "all -inf");
        assertEquals(0, Sampling.argmax(new float[] {-0f, 0f}, 0, 2), "-0.0 and +0.0 tie");
        assertEquals(0, Sampling.argmax(new float[] {0f, -0f}, 0, 2));
        assertEquals(1, Sampling.argmax(new float[] {-1f, -0f, 0f}, 0, 3));
        assertEquals(1, Sampling.argmax(new float[] {INF, 1f, INF}, 1, 2), "relative to offset");
        assertEquals(0, Sampling.argmax(new float[] {Float.MIN_VALUE, 0f}, 0, 2));
        assertEquals(1, Sampling.argmax(new float[] {-Float.MAX_VALUE, Float.MAX_VALUE}, 0, 2));
        for (int n = 1; n <= 70; n++) {
            for (int at = 0; at < n; at++) {
                float[] x = new float[n];
                Arrays.fill(x, 5f);
                x[at] = NAN;
                if (at + 1 < n) {
                    x[n - 1] = NAN;
                }
                assertEquals(at, Sampling.argmax(x, 0, n), "the first NaN wins: n=" + n + " at=" + at);
                Arrays.fill(x, -3f);
                x[at] = INF;
                assertEquals(at, Sampling.argmax(x, 0, n), "+inf: n=" + n + " at=" + at);
                x[at] = -2f;
                assertEquals(at, Sampling.argmax(x, 0, n), "n=" + n + " at=" + at);
            }
        }
    }

    @RepeatedTest(10)
    void topKMatchesAFullSort() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 300; trial++) {
            int n = trial < 250 ? random.nextInt(200) : random.nextInt(5000);
            int offset = random.nextInt(9);
            float[] x = new float[offset + n + 2];
            float[] values = row(random, n, random.nextInt(3) == 0);
            switch (random.nextInt(6)) {  // rising and falling rows: every element enters the heap, or none
                case 0 -> Arrays.sort(values);
                case 1 -> {
                    Arrays.sort(values);
                    for (int i = 0; i < n / 2; i++) {
                        float t = values[i];
                        values[i] = values[n - 1 - i];
                        values[n - 1 - i] = t;
                    }
                }
                default -> { }
            }
            System.arraycopy(values, 0, x, offset, n);
            int[] ks = {0, 1, 2, 5, 40, n, n + 3, random.nextInt(n + 2)};
            int k = ks[random.nextInt(ks.length)];
            checkTopK(x, offset, n, k, "trial=" + trial + " n=" + n + " k=" + k + " seed=" + seed);
        }
        float[] vocab = Rows.NORMAL_0_3.row(seed, 128256);
        checkTopK(vocab, 0, vocab.length, 40, "vocabulary row seed=" + seed);
        vocab[random.nextInt(vocab.length)] = NAN;
        checkTopK(vocab, 0, vocab.length, 40, "vocabulary row with NaN seed=" + seed);
    }

    private static void checkTopK(float[] x, int offset, int n, int k, String where) {
        int count = Math.min(k, n);
        int indicesOffset = 3;
        int[] indices = new int[indicesOffset + count + 4];
        Arrays.fill(indices, -7);
        float[] before = x.clone();
        assertEquals(count, Sampling.topK(x, offset, n, k, indices, indicesOffset), where);
        Integer[] order = sortedIndices(x, offset, n);
        int[] expected = new int[count];
        for (int i = 0; i < count; i++) {
            expected[i] = order[i];
        }
        assertArrayEquals(expected, Arrays.copyOfRange(indices, indicesOffset, indicesOffset + count), where);
        for (int i = 0; i < indices.length; i++) {
            if (i < indicesOffset || i >= indicesOffset + count) {
                assertEquals(-7, indices[i], "written outside the result: " + i + " " + where);
            }
        }
        assertArrayEquals(before, x, "topK modified its input " + where);
    }

    @Test
    void topKEdgeCases() {
        int[] out = new int[5];
        float[] x = {3f, NAN, 3f, 7f, NAN, -0f, 0f};
        assertEquals(5, Sampling.topK(x, 0, 7, 5, out, 0));
        assertArrayEquals(new int[] {1, 4, 3, 0, 2}, out, "NaN first (by index), then by value, ties by index");
        assertEquals(2, Sampling.topK(x, 5, 2, 9, out, 1));
        assertArrayEquals(new int[] {1, 0, 1, 0, 2}, out, "-0.0 and +0.0 tie; k > length gives length");
        assertEquals(0, Sampling.topK(x, 0, 7, 0, out, 5), "k = 0 writes nothing");
        assertEquals(0, Sampling.topK(x, 7, 0, 3, out, 5), "length 0 writes nothing");
        float[] nans = {NAN, NAN, NAN, 1f};
        assertEquals(2, Sampling.topK(nans, 0, 4, 2, out, 0));
        assertEquals(0, out[0]);
        assertEquals(1, out[1]);
    }

    // ------------------------------------------------------------------------------------------------ top-p

    /**
     * The definition of sampleTopP in exact arithmetic: a full sort and {@link BigDecimal} prefix sums, set up once
     * per row; each (topP, u) is then two binary searches. sampleTopP sums in double, and documents that where the
     * exact cut or draw lies within about {@code n · 2^-53 · total} of a token boundary either neighbour may come out
     * (e.g. two tokens of exactly 0.5 and a tail of 1e-18s, with topP = 0.5: the exact cut takes both, a double total
     * of 1 takes one): {@link #acceptable} is every answer within {@code n · 2^-52 · total} of the exact cut and draw.
     */
    private static final class ExactTopP {
        private final Integer[] order;
        private final BigDecimal[] prefix;  // prefix[j]: mass of the first j + 1 tokens in descending order

        ExactTopP(float[] p, int offset, int n) {
            order = sortedIndices(p, offset, n);
            prefix = new BigDecimal[n];
            BigDecimal sum = BigDecimal.ZERO;
            for (int j = 0; j < n; j++) {
                sum = sum.add(new BigDecimal(p[offset + order[j]]));
                prefix[j] = sum;
            }
        }

        int sample(float topP, double u) {
            BigDecimal need = new BigDecimal(topP).multiply(prefix[prefix.length - 1]);
            int cut = first(need, false, prefix.length);
            BigDecimal target = new BigDecimal(u).multiply(prefix[cut]);
            return order[first(target, true, cut + 1)];
        }

        /** The exact answer first, then those a cut and a draw moved by up to n · 2^-52 of the total give. */
        java.util.Set<Integer> acceptable(float topP, double u) {
            java.util.Set<Integer> answers = new java.util.LinkedHashSet<>();
            answers.add(sample(topP, u));
            BigDecimal total = prefix[prefix.length - 1];
            BigDecimal delta = total.multiply(new BigDecimal(Math.scalb((double) prefix.length, -52)));
            BigDecimal need = new BigDecimal(topP).multiply(total);
            for (int cutShift = -1; cutShift <= 1; cutShift++) {
                int cut = first(need.add(delta.multiply(BigDecimal.valueOf(cutShift))), false, prefix.length);
                BigDecimal target = new BigDecimal(u).multiply(prefix[cut]);
                for (int drawShift = -1; drawShift <= 1; drawShift++) {
                    BigDecimal t = target.add(delta.multiply(BigDecimal.valueOf(drawShift))).max(BigDecimal.ZERO);
                    answers.add(order[first(t, true, cut + 1)]);
                }
            }
            return answers;
        }

        /** The first j < end with prefix[j] >= target (> if strict). */
        private int first(BigDecimal target, boolean strict, int end) {
            int lo = 0;
            int hi = end - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int c = prefix[mid].compareTo(target);
                if (strict ? c > 0 : c >= 0) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
    }

    /** Probability rows: softmax of every distribution (with -inf giving exact zeros), and unnormalized weights. */
    @ParameterizedTest
    @EnumSource(Rows.class)
    void sampleTopPMatchesTheExactDefinition(Rows rows) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        float[] topPs = {0.05f, 0.1f, 0.5f, 0.8f, 0.9f, 0.95f, 0.999f, 1f};
        for (int trial = 0; trial < 120; trial++) {
            int n = 1 + random.nextInt(trial < 100 ? 300 : 3000);
            int offset = random.nextInt(9);
            float[] x = rows.row(random.nextLong(), n);
            float[] p = new float[offset + n + 1];
            Softmax.softmax(x, 0, p, offset, n);
            if (random.nextInt(4) == 0) {  // unnormalized: the method normalizes by the total
                float scale = (float) Math.scalb(1.0, random.nextInt(-60, 60));
                for (int i = offset; i < offset + n; i++) {
                    p[i] *= scale;
                }
            }
            if (random.nextInt(4) == 0) {
                p[offset + random.nextInt(n)] = -0f;
                if (IntStream.range(offset, offset + n).allMatch(i -> p[i] == 0)) {
                    float[] zeros = p;
                    assertThrows(IllegalArgumentException.class, () -> Sampling.sampleTopP(zeros, offset, n, 0.9f, 0));
                    continue;
                }
            }
            checkTopP(p, offset, n, topPs[random.nextInt(topPs.length)], random, rows + " trial=" + trial
                    + " n=" + n + " seed=" + seed);
        }
    }

    /** The candidate thresholds at vocabulary size: a confident row (first threshold) and a flat one (every token). */
    @Test
    void sampleTopPAtVocabularySize() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (Rows rows : new Rows[] {Rows.PEAKED, Rows.NORMAL_0_1, Rows.NORMAL_0_3, Rows.TIES}) {
            float[] p = Softmax.softmax(rows.row(random.nextLong(), 128256));
            for (float topP : new float[] {0.5f, 0.9f, 1f}) {
                checkTopP(p, 0, p.length, topP, random, rows + " n=128256 seed=" + seed);
            }
        }
    }

    private static void checkTopP(float[] p, int offset, int n, float topP, SplittableRandom random, String where) {
        float[] before = p.clone();
        ExactTopP exact = new ExactTopP(p, offset, n);
        double[] us = {0, random.nextDouble(), random.nextDouble(), random.nextDouble() * 1e-3,
            1 - random.nextDouble() * 1e-3};
        for (double u : us) {
            java.util.Set<Integer> acceptable = exact.acceptable(topP, u);
            int actual = Sampling.sampleTopP(p, offset, n, topP, u);
            assertTrue(acceptable.contains(actual), () -> where + " topP=" + topP + " u=" + u + ": got " + actual
                    + ", exact answer " + acceptable.iterator().next() + (acceptable.size() > 1 ? " (or, within "
                    + "rounding, any of " + acceptable + ")" : ""));
        }
        assertArrayEquals(before, p, "sampleTopP modified its input " + where);
    }

    @Test
    void sampleTopPEdgeCases() {
        float[] p = {0.125f, 0.5f, 0.25f, 0.125f};
        double nearOne = Math.nextDown(1.0);
        assertEquals(1, Sampling.sampleTopP(p, 0, 4, 0.5f, nearOne), "the top token alone has mass 0.5");
        assertEquals(1, Sampling.sampleTopP(p, 0, 4, 1f, 0), "u = 0: the most probable");
        assertEquals(3, Sampling.sampleTopP(p, 0, 4, 1f, nearOne), "topP = 1, u near 1: the last kept token");
        assertEquals(0, Sampling.sampleTopP(p, 0, 4, 1f, 0.8), "0.5 + 0.25 = 0.75 <= 0.8: the first 0.125 (index 0)");
        assertEquals(2, Sampling.sampleTopP(p, 0, 4, 0.7f, nearOne), "0.75 >= 0.7: two kept");
        assertEquals(2, Sampling.sampleTopP(p, 0, 4, 0.75f, nearOne), "a prefix exactly at topP ends the nucleus");
        assertEquals(2, Sampling.sampleTopP(p, 0, 4, 0.75f, 0.7), "0.7 · 0.75 > 0.5");
        float[] q = {0.25f, 0.5f, 0.25f};
        assertEquals(0, Sampling.sampleTopP(q, 0, 3, 1f, 0.5), "cumulative 0.5 must exceed u · kept = 0.5");
        assertEquals(1, Sampling.sampleTopP(q, 0, 3, 1f, Math.nextDown(0.5)));
        assertEquals(2, Sampling.sampleTopP(new float[] {0f, 0f, 3f, 0f}, 0, 4, 1f, nearOne), "zeros never drawn");
        assertEquals(0, Sampling.sampleTopP(new float[] {-0f, 2f}, 1, 1, 0.3f, 0.5), "relative to offset");
        assertEquals(1, Sampling.sampleTopP(new float[] {-0f, 2f}, 0, 2, 1f, nearOne), "-0.0 counts as 0");
        assertEquals(0, Sampling.sampleTopP(new float[] {Float.MIN_VALUE}, 0, 1, Float.MIN_VALUE, 0.5));
        float[] huge = {Float.MAX_VALUE, Float.MAX_VALUE, Float.MAX_VALUE};
        assertEquals(1, Sampling.sampleTopP(huge, 0, 3, 0.6f, 0.5), "sums past the float range");
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        float[] p = {0.25f, 0.5f, 0.25f};
        int[] out = {-7, -7, -7, -7};
        rejected(NullPointerException.class, () -> Sampling.argmax(null, 0, 1), p, out);
        rejected(NullPointerException.class, () -> Sampling.topK(null, 0, 1, 1, out, 0), p, out);
        rejected(NullPointerException.class, () -> Sampling.topK(p, 0, 1, 1, null, 0), p, out);
        rejected(NullPointerException.class, () -> Sampling.sampleTopP(null, 0, 1, 0.5f, 0.5), p, out);
        int[][] bad = {{-1, 2}, {0, -1}, {2, 2}, {0, 4}, {4, 0}, {Integer.MAX_VALUE, 2}, {1, Integer.MAX_VALUE},
            {Integer.MIN_VALUE, 1}};
        for (int[] b : bad) {
            rejected(IndexOutOfBoundsException.class, () -> Sampling.argmax(p, b[0], b[1]), p, out);
            rejected(IndexOutOfBoundsException.class, () -> Sampling.topK(p, b[0], b[1], 1, out, 0), p, out);
            rejected(IndexOutOfBoundsException.class, () -> Sampling.sampleTopP(p, b[0], b[1], 0.5f, 0.5), p, out);
        }
        rejected(IllegalArgumentException.class, () -> Sampling.argmax(p, 1, 0), p, out);
        rejected(IllegalArgumentException.class, () -> Sampling.topK(p, 0, 3, -1, out, 0), p, out);
        rejected(IndexOutOfBoundsException.class, () -> Sampling.topK(p, 0, 3, 3, out, 2), p, out);
        rejected(IndexOutOfBoundsException.class, () -> Sampling.topK(p, 0, 3, 9, out, 2), p, out);
        rejected(IndexOutOfBoundsException.class, () -> Sampling.topK(p, 0, 3, 1, out, -1), p, out);
        rejected(IndexOutOfBoundsException.class, () -> Sampling.topK(p, 0, 3, 0, out, 5), p, out);
        for (float topP : new float[] {0f, -0f, -0.5f, Math.nextUp(1f), 2f, NAN, INF}) {
            rejected(IllegalArgumentException.class, () -> Sampling.sampleTopP(p, 0, 3, topP, 0.5), p, out);
        }
        for (double u : new double[] {-1e-300, -1, 1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            rejected(IllegalArgumentException.class, () -> Sampling.sampleTopP(p, 0, 3, 0.5f, u), p, out);
        }
        for (float invalid : new float[] {-1f, -Float.MIN_VALUE, NAN, Float.intBitsToFloat(0xFFC00000), INF, NEG_INF}) {
            for (int n = 1; n <= 40; n++) {
                for (int at = 0; at < n; at++) {
                    float[] probs = new float[n];
                    Arrays.fill(probs, 0.5f);
                    probs[at] = invalid;
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> Sampling.sampleTopP(probs, 0, probs.length, 0.9f, 0.5), "bad=" + invalid + " at=" + at);
                    assertTrue(e.getMessage().contains("probs[" + at + "]"), e.getMessage());
                }
            }
        }
        rejected(IllegalArgumentException.class, () -> Sampling.sampleTopP(new float[4], 0, 4, 0.9f, 0.5), p, out);
        rejected(IllegalArgumentException.class, () -> Sampling.sampleTopP(p, 1, 0, 0.9f, 0.5), p, out);
    }

    private static <T extends Throwable> void rejected(Class<T> type, Executable call, float[] p, int[] out) {
        float[] pBefore = p.clone();
        int[] outBefore = out.clone();
        assertThrows(type, call);
        assertArrayEquals(pBefore, p, "input changed");
        assertArrayEquals(outBefore, out, "output written");
    }
}
