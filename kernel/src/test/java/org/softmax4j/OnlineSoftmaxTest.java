package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link OnlineSoftmax} against the whole row, on the kernel this JVM chose (surefire runs it at every vector width
 * and without the incubator module): for random splits into blocks and random merge trees, the final log-sum-exp is
 * within 4 float ulps (of its value, or of 1 where its magnitude is below 1) of the whole row's, computed in double,
 * and every weight, rescaled by {@code exp(m_b − max())} for the max {@code m_b} its block was accepted at and divided
 * by {@code sum()}, meets the softmax accuracy contract plus 2 ulps. Then the edge cases and argument checks.
 */
class OnlineSoftmaxTest {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    private static final double LSE_ULPS = 4;
    private static final double CONTRACT_SLACK_ULPS = 2;

    /** One row split into blocks; each block remembers its range and the state's max right after it was accepted. */
    private record Block(int start, int length, float maxAtAccept) {}

    @ParameterizedTest
    @EnumSource(Rows.class)
    void randomSplitsIntoBlocksMatchTheWholeRow(Rows rows) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 40; trial++) {
            int n = trial < 30 ? 1 + random.nextInt(trial < 20 ? 300 : 5000) : 20000 + random.nextInt(20000);
            float[] x = rows.row(random.nextLong(), n);
            String where = rows + " n=" + n + " trial=" + trial + KernelAccuracyTests.reproduce(seed);
            float[] weights = x.clone();
            OnlineSoftmax state = new OnlineSoftmax();
            List<Block> blocks = acceptInRandomBlocks(state, weights, 0, n, random, where);
            check(x, weights, blocks, state, where);
        }
    }

    /**
     * Segments of a row accepted into separate states (split-K), merged in a random tree; each merge leaves its
     * argument unchanged.
     */
    @ParameterizedTest
    @EnumSource(Rows.class)
    void randomMergeTreesMatchTheWholeRow(Rows rows) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + random.nextInt(trial < 20 ? 400 : 6000);
            float[] x = rows.row(random.nextLong(), n);
            String where = rows + " n=" + n + " trial=" + trial + KernelAccuracyTests.reproduce(seed);
            float[] weights = x.clone();
            int segments = 1 + random.nextInt(Math.min(n, 9));
            List<OnlineSoftmax> states = new ArrayList<>();
            List<Block> blocks = new ArrayList<>();
            for (int s = 0, start = 0; s < segments; s++) {
                int end = s == segments - 1 ? n : start + random.nextInt(n - start + 1);
                OnlineSoftmax state = new OnlineSoftmax();
                if (random.nextInt(4) == 0) {
                    states.add(new OnlineSoftmax());  // an empty state in the tree too
                }
                blocks.addAll(acceptInRandomBlocks(state, weights, start, end - start, random, where));
                states.add(state);
                start = end;
            }
            while (states.size() > 1) {
                OnlineSoftmax into = states.get(random.nextInt(states.size()));
                OnlineSoftmax other = states.get(random.nextInt(states.size()));
                if (into == other) {
                    continue;
                }
                float otherMax = other.max();
                double otherSum = other.sum();
                into.merge(other);
                assertEquals(otherMax, other.max(), "merge changed its argument " + where);
                assertEquals(otherSum, other.sum(), "merge changed its argument " + where);
                states.remove(other);
            }
            check(x, weights, blocks, states.get(0), where);
        }
    }

    /**
     * Accepts {@code weights[start .. start+length)} in random blocks (sizes 0 to ~600, some of 1), checking each
     * returned factor, and returns the blocks.
     */
    private static List<Block> acceptInRandomBlocks(OnlineSoftmax state, float[] weights, int start, int length,
                                                    SplittableRandom random, String where) {
        List<Block> blocks = new ArrayList<>();
        int maxBlock = 1 + random.nextInt(random.nextBoolean() ? 8 : 600);
        for (int at = start, end = start + length; at < end || blocks.isEmpty(); ) {
            int size = Math.min(end - at, random.nextInt(maxBlock + 1));
            float oldMax = state.max();
            boolean wasEmpty = state.sum() == 0;
            float factor = state.accept(weights, at, size);
            float expected = wasEmpty ? 0f : oldMax == state.max() ? 1f : (float) Math.exp((double) oldMax - state.max());
            assertEquals(expected, factor, "factor after max " + oldMax + " -> " + state.max() + " " + where);
            assertTrue(state.max() >= oldMax, "max fell " + where);
            blocks.add(new Block(at, size, state.max()));
            at += size;
        }
        return blocks;
    }

    private static void check(float[] x, float[] weights, List<Block> blocks, OnlineSoftmax state, String where) {
        int n = x.length;
        float rowMax = NEG_INF;
        for (float v : x) {
            rowMax = Math.max(rowMax, v);
        }
        assertEquals(rowMax, state.max(), "max " + where);
        double reference = rowMax + ReferenceSoftmax.logSumExp(x, 0, n);
        double scale = Math.max(Math.abs(reference), 1);
        double lseError = Math.abs(state.logSumExp() - reference) / Math.ulp((float) scale);
        if (!(lseError <= LSE_ULPS)) {
            fail(String.format("logSumExp %s, whole row %s: %.3g ulps > %.0f, %s", state.logSumExp(), reference,
                    lseError, LSE_ULPS, where));
        }
        float[] p = new float[n];
        for (Block b : blocks) {
            double rescale = Math.exp((double) b.maxAtAccept() - state.max()) / state.sum();
            for (int i = b.start(); i < b.start() + b.length(); i++) {
                p[i] = (float) (weights[i] * rescale);
            }
        }
        double[] exact = ReferenceSoftmax.softmax(x, 0, n);
        UlpError.SoftmaxContract contract = UlpError.softmaxContract(x, 0, n, exact);
        for (int i = 0; i < n; i++) {
            double excess = contract.excess(p[i], exact[i], x[i]);
            if (!(excess <= CONTRACT_SLACK_ULPS)) {
                fail(String.format("weight %d (x=%s) rescaled: %s, exact %s: %.3g ulps past the contract (+%.0f "
                        + "allowed), %s", i, x[i], p[i], exact[i], excess, CONTRACT_SLACK_ULPS, where));
            }
        }
    }

    @Test
    void anEmptyStateHasNoMass() {
        OnlineSoftmax state = new OnlineSoftmax();
        assertEquals(NEG_INF, state.max());
        assertEquals(0.0, state.sum());
        assertEquals(Double.NEGATIVE_INFINITY, state.logSumExp());
        state.accept(new float[] {1f, 2f}, 0, 2);
        state.reset();
        assertEquals(NEG_INF, state.max());
        assertEquals(0.0, state.sum());
        assertEquals(0f, state.accept(new float[] {5f}, 0, 1), "no earlier mass after reset");
        assertEquals(5f, state.max());
        assertEquals(1.0, state.sum());
        assertEquals(5.0, state.logSumExp());
    }

    @Test
    void theJavadocExample() {
        OnlineSoftmax state = new OnlineSoftmax();
        float[] block = {1f, 2f};
        assertEquals(0f, state.accept(block, 0, 2));
        assertEquals(2f, state.max());
        assertEquals(1 + Math.exp(-1), state.sum(), 1e-7);
        assertEquals(1f, block[1]);
        assertEquals((float) Math.exp(-1), block[0], Math.ulp((float) Math.exp(-1)) * 2);
        block = new float[] {4f, NEG_INF};
        assertEquals((float) Math.exp(-2), state.accept(block, 0, 2));
        assertArrayEquals(new float[] {1f, 0f}, block);
        assertEquals(4f, state.max());
        assertEquals((1 + Math.exp(-1)) * Math.exp(-2) + 1, state.sum(), 1e-7);
        assertEquals(1f, state.accept(new float[] {3f}, 0, 1), "max did not rise");
    }

    @Test
    void fullyMaskedBlocks() {
        for (int n = 1; n <= 70; n++) {
            float[] masked = new float[n];
            Arrays.fill(masked, NEG_INF);
            OnlineSoftmax state = new OnlineSoftmax();
            assertEquals(0f, state.accept(masked, 0, n), "no earlier mass n=" + n);
            assertArrayEquals(new float[n], masked, "zeros, never NaN, n=" + n);
            assertEquals(NEG_INF, state.max());
            assertEquals(0.0, state.sum());
            assertEquals(Double.NEGATIVE_INFINITY, state.logSumExp());

            state.accept(new float[] {-3f, 1f}, 0, 2);
            double sum = state.sum();
            Arrays.fill(masked, NEG_INF);
            assertEquals(1f, state.accept(masked, 0, n), "a masked block keeps the max: factor 1, n=" + n);
            assertArrayEquals(new float[n], masked, "n=" + n);
            assertEquals(1f, state.max());
            assertEquals(sum, state.sum());

            float[] mixed = new float[n + 1];
            Arrays.fill(mixed, NEG_INF);
            mixed[n / 2] = -1f;
            state.accept(mixed, 0, n + 1);
            for (int i = 0; i <= n; i++) {
                assertEquals(i == n / 2 ? (float) Math.exp(-2) : 0f, mixed[i], 1e-7f, "masked entries weigh 0");
            }
        }
    }

    @Test
    void aLengthZeroBlockChangesNothing() {
        OnlineSoftmax state = new OnlineSoftmax();
        float[] a = {1f, 2f};
        assertEquals(0f, state.accept(a, 1, 0));
        assertEquals(NEG_INF, state.max());
        assertEquals(0.0, state.sum());
        state.accept(a, 0, 2);
        assertEquals(1f, state.accept(a, 2, 0));
        assertEquals(2f, state.max());
    }

    @Test
    void mergeWithEmptyStates() {
        OnlineSoftmax a = new OnlineSoftmax();
        a.accept(new float[] {1f, 3f, 2f}, 0, 3);
        OnlineSoftmax empty = new OnlineSoftmax();
        float max = a.max();
        double sum = a.sum();
        a.merge(empty);
        assertEquals(max, a.max());
        assertEquals(sum, a.sum());
        assertEquals(NEG_INF, empty.max());

        empty.merge(a);
        assertEquals(max, empty.max(), "merging into an empty state copies");
        assertEquals(sum, empty.sum());
        assertEquals(max, a.max(), "argument unchanged");

        OnlineSoftmax masked = new OnlineSoftmax();
        masked.accept(new float[] {NEG_INF, NEG_INF}, 0, 2);
        a.merge(masked);
        assertEquals(sum, a.sum(), "a state that saw only -inf is empty");

        a.merge(a);
        assertEquals(max, a.max());
        assertEquals(2 * sum, a.sum(), "merge(this) counts every score twice");
        assertThrows(NullPointerException.class, () -> a.merge(null));
    }

    @Test
    void mergeRescalesTheSmallerMax() {
        OnlineSoftmax left = new OnlineSoftmax();
        OnlineSoftmax right = new OnlineSoftmax();
        left.accept(new float[] {0f, 1f}, 0, 2);
        right.accept(new float[] {5f, 4f}, 0, 2);
        left.merge(right);
        assertEquals(5f, left.max());
        double expected = Math.exp(-5) + Math.exp(-4) + 1 + Math.exp(-1);
        assertEquals(expected, left.sum(), expected * 1e-7);
        assertEquals(Math.log(Math.exp(0) + Math.exp(1) + Math.exp(5) + Math.exp(4)), left.logSumExp(), 1e-6);
    }

    /** NaN or +inf at every position of blocks around the lane width: rejected, block and state unchanged. */
    @Test
    void nanOrPlusInfinityIsRejectedAndNothingChanges() {
        OnlineSoftmax state = new OnlineSoftmax();
        state.accept(new float[] {2f, 1f}, 0, 2);
        float max = state.max();
        double sum = state.sum();
        for (float bad : new float[] {Float.NaN, Float.intBitsToFloat(0xFFC00000), Float.POSITIVE_INFINITY}) {
            for (int n = 1; n <= 70; n++) {
                for (int at = 0; at < n; at++) {
                    int length = n;
                    float[] block = new float[n + 2];
                    for (int i = 0; i < block.length; i++) {
                        block[i] = i % 3 == 0 ? NEG_INF : i * 0.25f;
                    }
                    block[1 + at] = bad;
                    float[] before = block.clone();
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> state.accept(block, 1, length), "bad=" + bad + " n=" + n + " at=" + at);
                    assertTrue(e.getMessage().contains(Float.isNaN(bad) ? "NaN" : "+inf"), e.getMessage());
                    assertArrayEquals(before, block, "block changed: bad=" + bad + " n=" + n + " at=" + at);
                    assertEquals(max, state.max());
                    assertEquals(sum, state.sum());
                }
            }
        }
        OnlineSoftmax empty = new OnlineSoftmax();
        assertThrows(IllegalArgumentException.class, () -> empty.accept(new float[] {Float.NaN}, 0, 1));
        assertEquals(NEG_INF, empty.max());
        assertEquals(0.0, empty.sum());
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        OnlineSoftmax state = new OnlineSoftmax();
        assertThrows(NullPointerException.class, () -> state.accept(null, 0, 1));
        int[][] bad = {{-1, 3}, {0, -1}, {8, 3}, {0, 11}, {11, 0}, {Integer.MAX_VALUE, 2}, {2, Integer.MAX_VALUE},
            {Integer.MIN_VALUE, 1}};
        for (int[] b : bad) {
            float[] block = {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f};
            float[] before = block.clone();
            assertThrows(IndexOutOfBoundsException.class, () -> state.accept(block, b[0], b[1]),
                    Arrays.toString(b));
            assertArrayEquals(before, block);
        }
        assertEquals(NEG_INF, state.max());
        assertEquals(0.0, state.sum());
    }

    @RepeatedTest(3)
    void sameBlocksGiveBitwiseTheSameStateAndWeights() {
        long seed = Rows.seed();
        float[] x = Rows.NORMAL_0_10.row(seed, 5000);
        float[] first = x.clone();
        float[] second = x.clone();
        OnlineSoftmax a = new OnlineSoftmax();
        OnlineSoftmax b = new OnlineSoftmax();
        for (int start = 0; start < 5000; start += 700) {
            int len = Math.min(700, 5000 - start);
            assertEquals(a.accept(first, start, len), b.accept(second, start, len));
        }
        assertArrayEquals(first, second, "seed " + seed);
        assertEquals(a.sum(), b.sum(), 0.0);
        assertEquals(a.max(), b.max());
    }
}
