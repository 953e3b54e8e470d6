package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.softmax4j.vector.VectorKernel;
import org.softmax4j.vector.VectorSegmentKernel;

/**
 * The memory-segment twins against the array kernels they mirror, operation by operation, bitwise (sums included:
 * same loops, same addition order), at every length around the lane width, odd float offsets and every byte
 * alignment, on native and heap memory; then both long-row paths forced. This pins the segment copies of the exp
 * polynomial that the vector package documentation lists. Runs at every vector width (surefire's vector executions).
 */
class VectorSegmentTwinsTest {
    private static final int LANES = VectorKernel.floatLanes();

    static List<SegmentSoftmaxKernel> kernels() {
        return List.of(VectorSegmentKernel.create(), new ScalarSegmentKernel(ScalarKernel.INSTANCE));
    }

    @RepeatedTest(10)
    void everyOperationIsBitwiseItsArrayTwin() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (SegmentSoftmaxKernel twin : kernels()) {
            SoftmaxKernel array = twin.arrayKernel();
            for (int n = 1; n <= 9 * LANES + 3; n++) {
                int offset = random.nextInt(LANES + 1);
                int misalign = random.nextInt(4);
                Segments memory = random.nextBoolean() ? Segments.NATIVE : Segments.HEAP_BYTES;
                Rows rows = Rows.values()[random.nextInt(Rows.values().length)];
                float[] src = rows.row(random.nextLong(), offset + n);
                String where = array.description() + " " + rows + " n=" + n + " offset=" + offset + " " + memory
                        + " misalign=" + misalign + " seed=" + seed;
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment s = memory.allocate(arena, misalign, offset + n);
                    Segments.write(s, 0, src);
                    long so = (long) offset * Float.BYTES;
                    MemorySegment d = memory.allocate(arena, (misalign + 3) % 4, n);

                    float max = array.max(src, offset, n);
                    assertEquals(max, twin.max(s, so, n), 0f, "max " + where);
                    // these rows hold no NaN: the max ignoring NaN is the max (and the array max-and-min pass's)
                    assertEquals(SoftmaxKernel.maxOf(array.maxAndMin(src, offset, n)), twin.maxIgnoringNaN(s, so, n),
                            0f, "max ignoring NaN " + where);
                    if (!Float.isFinite(max)) {
                        continue;
                    }
                    float[] exp = new float[n];
                    double sum = array.storeExpMinusMaxAndSum(src, offset, exp, 0, n, max,
                            SoftmaxKernel.minOf(array.maxAndMin(src, offset, n)));
                    assertEquals(sum, twin.storeExpMinusMaxAndSum(s, so, d, 0, n, max), 0.0, "sum " + where);
                    assertArrayEquals(exp, Segments.read(d, 0, n), "exp " + where);
                    assertEquals(array.sumExpMinusMax(src, offset, n, max), twin.sumExpMinusMax(s, so, n, max), 0.0,
                            "sum only " + where);
                    assertEquals(array.logSumExpMinusMax(src, offset, n, max), twin.logSumExpMinusMax(s, so, n, max),
                            0.0, "log sum " + where);

                    int above = random.nextInt(n);  // the two-pass watch for an element above the assumed max
                    float saved = src[offset + above];
                    src[offset + above] = Math.nextUp(max);
                    Segments.write(s, 0, src);
                    assertEquals(Double.NaN, twin.sumExpMinusMax(s, so, n, max), "above max at " + above + " " + where);
                    src[offset + above] = saved;
                    Segments.write(s, 0, src);

                    array.scale(exp, 0, n, 1 / sum);
                    twin.scale(d, 0, n, 1 / sum);
                    assertArrayEquals(exp, Segments.read(d, 0, n), "scale " + where);

                    float logSum = (float) Math.log(sum);
                    float[] log = new float[n];
                    array.subtractMaxAndLogSum(src, offset, log, 0, n, max, logSum);
                    twin.subtractMaxAndLogSum(s, so, d, 0, n, max, logSum);
                    assertArrayEquals(log, Segments.read(d, 0, n), "log " + where);
                }
            }
        }
    }

    /**
     * The blocked and two-pass paths forced on both twins, bitwise the array facade's forced paths, on rows whose max
     * rises chunk by chunk (the two-pass rescaling) and rows of equal logits below a late max (its correction).
     */
    @Test
    void bothLongRowPathsAreBitwiseTheArrayPaths() {
        long seed = Rows.seed();
        int n = 100_003;
        float[] rising = Rows.NORMAL_0_3.row(seed, n);
        for (int i = 0; i < n; i++) {
            rising[i] += i * 1e-4f;
        }
        float[] lateMax = new float[n];
        java.util.Arrays.fill(lateMax, 0.3f);
        lateMax[n - 10] = 7.7f;
        float[] masked = Rows.MASKED.row(seed, n);
        java.util.Arrays.fill(masked, 0, 3 * BlockedSoftmax.BLOCK, Float.NEGATIVE_INFINITY);  // masked blocks first
        for (SegmentSoftmaxKernel twin : kernels()) {
            for (float[] x : new float[][] {rising, lateMax, masked, Rows.PEAKED.row(seed, n)}) {
                String where = twin.arrayKernel().description() + " seed=" + seed;
                float[] blocked = new float[n];
                float[] twoPass = new float[n];
                RowSoftmax.softmaxRowBlocked(twin.arrayKernel(), x, 0, blocked, 0, n);
                RowSoftmax.softmaxRowInTwoPasses(twin.arrayKernel(), x, 0, twoPass, 0, n);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment s = Segments.NATIVE.allocate(arena, 1, n);
                    MemorySegment d = Segments.NATIVE.allocate(arena, 2, n);
                    Segments.write(s, 0, x);
                    SegmentSoftmax.softmaxRowBlocked(twin, s, 0, d, 0, n);
                    assertArrayEquals(blocked, Segments.read(d, 0, n), "blocked " + where);
                    SegmentSoftmax.softmaxRowInTwoPasses(twin, s, 0, d, 0, n);
                    assertArrayEquals(twoPass, Segments.read(d, 0, n), "two-pass " + where);
                    SegmentSoftmax.softmaxRowInTwoPasses(twin, s, 0, s, 0, n);  // in place
                    assertArrayEquals(twoPass, Segments.read(s, 0, n), "two-pass in place " + where);
                }
            }
        }
    }

    @Test
    void theFacadeTwinIsTheFacadeKernels() {
        assertEquals(Softmax.KERNEL, SegmentSoftmax.KERNEL.arrayKernel());
    }
}
