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
 * alignment, on native and heap memory; then long rows through the whole path. This pins the segment copies of the exp
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
                    long range = array.maxAndMin(src, offset, n);
                    assertEquals(range, twin.maxAndMin(s, so, n), "max and min " + where);
                    if (!Float.isFinite(max)) {
                        continue;
                    }
                    // both exp loops: the one chosen by the min (untested where nothing can underflow) and the tested
                    float[] exp = new float[n];
                    double sum = array.storeExpMinusMaxAndSum(src, offset, exp, 0, n, max, SoftmaxKernel.minOf(range));
                    for (float min : new float[] {SoftmaxKernel.minOf(range), Float.NEGATIVE_INFINITY}) {
                        assertEquals(sum, twin.storeExpMinusMaxAndSum(s, so, d, 0, n, max, min), 0.0,
                                "sum " + where + " min=" + min);
                        assertArrayEquals(exp, Segments.read(d, 0, n), "exp " + where + " min=" + min);
                    }
                    assertEquals(array.logSumExpMinusMax(src, offset, n, max), twin.logSumExpMinusMax(s, so, n, max),
                            0.0, "log sum " + where);

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
     * The max-and-min pass on rows holding a special value (NaN of either sign, infinities, zeros of both signs, the
     * extremes) at a random position: the same bits as the array twin, at every length to three vectors and more.
     */
    @RepeatedTest(3)
    void maxAndMinWithSpecialValuesIsBitwiseItsArrayTwin() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        float[] specials = {Float.NaN, Float.intBitsToFloat(0xFFC00000), Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE};
        for (SegmentSoftmaxKernel twin : kernels()) {
            for (int n = 1; n <= 5 * LANES + 2; n++) {
                for (float special : specials) {
                    int offset = random.nextInt(LANES + 1);
                    boolean negativeRow = random.nextBoolean();  // all negative: the max from the signed min
                    float[] src = new float[offset + n];
                    for (int i = 0; i < src.length; i++) {
                        src[i] = (float) (negativeRow ? -1 - random.nextDouble(100) : random.nextDouble(-100, 100));
                    }
                    src[offset + random.nextInt(n)] = special;
                    String where = twin.arrayKernel().description() + " n=" + n + " offset=" + offset + " special="
                            + Integer.toHexString(Float.floatToRawIntBits(special)) + " seed=" + seed;
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment s = Segments.NATIVE.allocate(arena, random.nextInt(4), src.length);
                        Segments.write(s, 0, src);
                        assertEquals(twin.arrayKernel().maxAndMin(src, offset, n),
                                twin.maxAndMin(s, (long) offset * Float.BYTES, n), where);
                    }
                }
            }
        }
    }

    /**
     * Long rows (many blocks) on both twins, bitwise the array path's, out of place and in place: rows whose max rises
     * block by block, rows of equal logits below a late max, masked blocks first, and peaked rows.
     */
    @Test
    void longRowsAreBitwiseTheArrayPath() {
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
                float[] expected = new float[n];
                RowSoftmax.softmax(twin.arrayKernel(), x, 0, expected, 0, n);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment s = Segments.NATIVE.allocate(arena, 1, n);
                    MemorySegment d = Segments.NATIVE.allocate(arena, 2, n);
                    Segments.write(s, 0, x);
                    SegmentSoftmax.softmaxRow(twin, s, 0, d, 0, n);
                    assertArrayEquals(expected, Segments.read(d, 0, n), where);
                    SegmentSoftmax.softmaxRow(twin, s, 0, s, 0, n);  // in place
                    assertArrayEquals(expected, Segments.read(s, 0, n), "in place " + where);
                }
            }
        }
    }

    @Test
    void theFacadeTwinIsTheFacadeKernels() {
        assertEquals(Softmax.KERNEL, SegmentSoftmax.KERNEL.arrayKernel());
    }
}
