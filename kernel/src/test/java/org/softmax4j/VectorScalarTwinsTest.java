package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.softmax4j.vector.VectorKernel;

/**
 * The vector kernel against its scalar twin, operation by operation, at every length around the lane width and
 * at odd offsets (vector loops, scalar tails, masked tails). Both evaluate the same exp polynomial with the same
 * operations, so exp, scaled exp, scale and subtract must agree bitwise; the sums, both double sums of the same
 * floats, differ only in addition order.
 */
class VectorScalarTwinsTest {
    private static final SoftmaxKernel VECTOR = VectorKernel.create();
    private static final SoftmaxKernel SCALAR = ScalarKernel.INSTANCE;
    private static final int LANES = VectorKernel.floatLanes();

    @RepeatedTest(20)
    void everyOperationAgreesAtLengthsAroundTheLaneWidth() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 1; n <= 9 * LANES + 3; n++) {
            int offset = random.nextInt(LANES + 1);
            float[] src = Rows.values()[random.nextInt(Rows.values().length)].row(random.nextLong(), offset + n);
            String where = "n=" + n + " offset=" + offset + " seed=" + seed + " lanes=" + LANES;

            float max = SCALAR.max(src, offset, n);
            assertEquals(max, VECTOR.max(src, offset, n), "max " + where);
            if (!Float.isFinite(max)) {
                continue;
            }
            // no NaN in these rows: both kernels give the row's max and min
            long range = VECTOR.maxAndMin(src, offset, n);
            float min = SoftmaxKernel.minOf(range);
            assertEquals(max, SoftmaxKernel.maxOf(range), 0f, "max of maxAndMin " + where);
            assertEquals(SoftmaxKernel.minOf(SCALAR.maxAndMin(src, offset, n)), min, 0f, "min " + where);
            assertEquals(max, SoftmaxKernel.maxOf(SCALAR.maxAndMin(src, offset, n)), 0f, "scalar max " + where);

            float[] expScalar = new float[n];
            float[] expVector = new float[n];
            double sumScalar = SCALAR.storeExpMinusMaxAndSum(src, offset, expScalar, 0, n, max, min);
            double sumVector = VECTOR.storeExpMinusMaxAndSum(src, offset, expVector, 0, n, max, min);
            assertArrayEquals(expScalar, expVector, "exp " + where);
            // the min only lets the vector loop skip its underflow test where nothing can underflow: the same bits
            float[] expTested = new float[n];
            assertEquals(sumVector, VECTOR.storeExpMinusMaxAndSum(src, offset, expTested, 0, n, max,
                    Float.NEGATIVE_INFINITY), 0.0, "sum with the underflow test " + where);
            assertArrayEquals(expVector, expTested, "exp with the underflow test " + where);
            // the vector sum rounds each pair of exps once in float (at most 2^-24 of it) before widening: within
            // 2^-24 of the scalar kernel's double sum of the same floats (ExpSum's bound), plus double roundings
            assertEquals(sumScalar, sumVector, sumScalar * 0x1.001p-24, "sum " + where);
            assertEquals(sumVector, VECTOR.sumExpMinusMax(src, offset, n, max), sumScalar * 0x1p-40, "sum only " + where);
            assertEquals(sumScalar, SCALAR.sumExpMinusMax(src, offset, n, max), 0.0, "scalar sum only " + where);
            double logSumScalar = SCALAR.logSumExpMinusMax(src, offset, n, max);
            double logSumVector = VECTOR.logSumExpMinusMax(src, offset, n, max);
            assertEquals(logSumScalar, logSumVector, Math.abs(logSumScalar) * 0x1p-40, "log sum " + where);

            // sumExpMinusMax watches for an element above the assumed max, at every position
            int above = random.nextInt(n);
            float saved = src[offset + above];
            src[offset + above] = Math.nextUp(max);
            assertEquals(Double.NaN, VECTOR.sumExpMinusMax(src, offset, n, max), "above max at " + above + " " + where);
            assertEquals(Double.NaN, SCALAR.sumExpMinusMax(src, offset, n, max), "scalar above max " + where);
            src[offset + above] = saved;

            VECTOR.scale(expVector, 0, n, 1 / sumScalar);
            SCALAR.scale(expScalar, 0, n, 1 / sumScalar);
            assertArrayEquals(expScalar, expVector, "scale " + where);

            float logSum = (float) Math.log(sumScalar);
            float[] logScalar = new float[n];
            float[] logVector = new float[n];
            SCALAR.subtractMaxAndLogSum(src, offset, logScalar, 0, n, max, logSum);
            VECTOR.subtractMaxAndLogSum(src, offset, logVector, 0, n, max, logSum);
            assertArrayEquals(logScalar, logVector, "log " + where);
        }
    }

    /**
     * {@code maxAndMin} with NaN, infinities and signed zeros at every position, at lengths around the lane width
     * and odd offsets (so in the two-vector loop, the single vectors after it and the tails, read in place or
     * through the scratch): without NaN it is the max and min; with a NaN it may report it (max NaN for a positive
     * NaN, min NaN for a negative one, in the vector kernel) but never misses the other elements' extremes.
     */
    @RepeatedTest(5)
    void maxAndMinWithSpecialValuesAnywhere() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        float negativeNaN = Float.intBitsToFloat(0xFFC00000);
        float[] specials = {Float.NaN, negativeNaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
                Float.MIN_VALUE, -Float.MAX_VALUE};
        for (int n = 1; n <= 3 * LANES + 2; n++) {
            for (float special : specials) {
                int offset = random.nextInt(LANES + 1);
                boolean negativeRow = random.nextBoolean();  // all elements negative: the max from the signed min
                float[] src = new float[offset + n + random.nextInt(2) * LANES];
                for (int i = 0; i < src.length; i++) {  // the floats around the row are larger and smaller than it
                    src[i] = i >= offset && i < offset + n ? (float) (negativeRow ? -1 - random.nextDouble(100)
                            : random.nextDouble(-100, 100)) : (i % 2 == 0 ? 1e30f : -1e30f);
                }
                src[offset + random.nextInt(n)] = special;
                String where = "n=" + n + " offset=" + offset + " special=" + special + " bits="
                        + Integer.toHexString(Float.floatToRawIntBits(special)) + " seed=" + seed + " lanes=" + LANES;
                float max = Float.NEGATIVE_INFINITY;
                float min = Float.POSITIVE_INFINITY;
                for (int i = offset; i < offset + n; i++) {
                    if (!Float.isNaN(src[i])) {
                        max = Math.max(max, src[i]);
                        min = Math.min(min, src[i]);
                    }
                }
                for (SoftmaxKernel kernel : new SoftmaxKernel[] {VECTOR, SCALAR}) {
                    long range = kernel.maxAndMin(src, offset, n);
                    float foundMax = SoftmaxKernel.maxOf(range);
                    float foundMin = SoftmaxKernel.minOf(range);
                    if (!Float.isNaN(special)) {
                        assertEquals(max, foundMax, 0f, "max " + kernel.description() + " " + where);
                        assertEquals(min, foundMin, 0f, "min " + kernel.description() + " " + where);
                    } else {
                        assertTrue(Float.isNaN(foundMax) || foundMax == max, "max " + foundMax + " " + where);
                        assertTrue(Float.isNaN(foundMin) || foundMin <= min, "min " + foundMin + " " + where);
                    }
                }
            }
        }
    }

    /**
     * The exp loop without the underflow test runs only where the min shows that nothing can underflow: at the
     * cutoff itself it does (and matches the scalar exps bitwise), one float below it, or with -inf or a huge
     * negative element, the tested loop must run and give 0 there. Rows long enough for the four-vector loop, with
     * the special element in it, at several maxima (the cutoff is on {@code x - max}, rounded).
     */
    @RepeatedTest(3)
    void expLoopSkipsTheUnderflowTestOnlyWhereNothingCanUnderflow() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (float max : new float[] {0f, 1f, -3.5f, 100f, 1e4f}) {
            float edge = max + ExpPolynomial.UNDERFLOW_CUTOFF;  // rounded: the cases below take x - max exactly
            for (float low : new float[] {edge, Math.nextUp(edge), Math.nextDown(edge), -1e30f,
                    Float.NEGATIVE_INFINITY}) {
                int n = 4 * LANES + random.nextInt(5 * LANES);
                float[] src = new float[n];
                for (int i = 0; i < n; i++) {
                    src[i] = max - (float) random.nextDouble(10);
                }
                src[n - 1] = max;
                int at = random.nextInt(4 * LANES - 1);  // in the four-vector loop, not on the max
                src[at] = low;
                String where = "max=" + max + " low=" + low + " n=" + n + " at=" + at + " seed=" + seed
                        + " lanes=" + LANES;
                long range = VECTOR.maxAndMin(src, 0, n);
                assertEquals(max, SoftmaxKernel.maxOf(range), 0f, where);
                assertEquals(low, SoftmaxKernel.minOf(range), 0f, where);
                float[] expScalar = new float[n];
                float[] expVector = new float[n];
                SCALAR.storeExpMinusMaxAndSum(src, 0, expScalar, 0, n, max, Float.NEGATIVE_INFINITY);
                VECTOR.storeExpMinusMaxAndSum(src, 0, expVector, 0, n, max, SoftmaxKernel.minOf(range));
                assertArrayEquals(expScalar, expVector, where);
                if (low - max < ExpPolynomial.UNDERFLOW_CUTOFF) {
                    assertEquals(0f, expVector[at], 0f, "underflowed element " + where);
                }
            }
        }
    }

    /**
     * The short-row path (up to four vectors in registers) writes bitwise what {@link #shortRowModel} computes: the
     * scalar exps, their exact split sum and the one-rounding scale. It declines special rows only, writing nothing,
     * and gives the same bits wherever the row lies: with room for whole vectors after it, at the end of its arrays,
     * in arrays of its own length, in place.
     */
    @RepeatedTest(20)
    void shortRowIsTheSplitSumModelBitwiseWhereverTheRowLies() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 1; n <= VECTOR.shortRowLength(); n++) {
            int offset = random.nextInt(LANES + 1);
            Rows rows = Rows.values()[random.nextInt(Rows.values().length)];
            // padding of up to two vectors: rows of three vectors are sometimes in range of their four
            float[] src = rows.row(random.nextLong(), offset + n + random.nextInt(2 * LANES + 1));
            String where = rows + " n=" + n + " offset=" + offset + " src.length=" + src.length + " seed=" + seed;
            float[] fused = new float[n + 2 + random.nextInt(2 * LANES + 1)];
            java.util.Arrays.fill(fused, 7f);
            boolean taken = VECTOR.softmaxOfShortRow(src, offset, fused, 1, n);
            float max = SCALAR.max(src, offset, n);
            assertEquals(Float.isFinite(max), taken, "taken iff the max is finite " + where);
            assertEquals(7f, fused[0], "written before the row " + where);
            for (int i = n + 1; i < fused.length; i++) {
                assertEquals(7f, fused[i], "written after the row " + where);
            }
            if (!taken) {
                for (int i = 1; i <= n; i++) {
                    assertEquals(7f, fused[i], "written although declined " + where);
                }
                continue;
            }
            float[] expected = shortRowModel(src, offset, n);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(fused, 1, n + 1), "short row " + where);
            // the same row at the end of arrays of L + n floats (a row of one vector read as the L floats that end
            // at its end) and in arrays of its own length (for a row of one vector: the scratch copy)
            float[] atEnd = new float[LANES + n];
            System.arraycopy(src, offset, atEnd, LANES, n);
            float[] atEndOut = new float[LANES + n];
            assertTrue(VECTOR.softmaxOfShortRow(atEnd, LANES, atEndOut, LANES, n), "row at the end taken " + where);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(atEndOut, LANES, LANES + n),
                    "at the end " + where);
            assertArrayEquals(new float[LANES], java.util.Arrays.copyOf(atEndOut, LANES), "written before " + where);
            float[] alone = java.util.Arrays.copyOfRange(src, offset, offset + n);
            float[] aloneOut = new float[n];
            assertTrue(VECTOR.softmaxOfShortRow(alone, 0, aloneOut, 0, n), "overhanging row taken " + where);
            assertArrayEquals(expected, aloneOut, "overhanging row " + where);
            assertTrue(VECTOR.softmaxOfShortRow(alone, 0, alone, 0, n), "in place " + where);
            assertArrayEquals(expected, alone, "in place " + where);
        }
        float[] nan = {1f, Float.NaN, 2f};
        float[] halves = {0f, 0f};
        assertEquals(true, VECTOR.softmaxOfShortRow(halves, 0, halves, 0, 2), "hand-checked row taken");
        assertArrayEquals(new float[] {0.5f, 0.5f}, halves, "two equal elements: 1/2 each");
        float[] out = new float[3];
        assertEquals(false, VECTOR.softmaxOfShortRow(nan, 0, out, 0, 3), "NaN row declined");
        float[] negativeNaN = {1f, Float.intBitsToFloat(0xFFC00000), 2f};
        assertEquals(false, VECTOR.softmaxOfShortRow(negativeNaN, 0, out, 0, 3), "negative NaN row declined");
        assertArrayEquals(new float[3], out, "nothing written for declined rows");
        // rows of two and of four vectors take methods of their own: NaN in their last vector, either sign, is
        // declined too
        for (int vectors : new int[] {2, 4}) {
            int n = (vectors - 1) * LANES + 1;
            if (n > VECTOR.shortRowLength()) {
                continue;
            }
            for (int nanBits : new int[] {Float.floatToRawIntBits(Float.NaN), 0xFFC00000}) {
                float[] row = new float[vectors * LANES];
                row[n - 1] = Float.intBitsToFloat(nanBits);
                float[] rowOut = new float[vectors * LANES];
                assertEquals(false, VECTOR.softmaxOfShortRow(row, 0, rowOut, 0, n),
                        "NaN in vector " + vectors + " declined, bits " + Integer.toHexString(nanBits));
                assertArrayEquals(new float[vectors * LANES], rowOut, "nothing written for a declined row of "
                        + vectors + " vectors");
            }
        }
    }

    /**
     * What {@code ShortRow} computes, in scalar code: the exps (bitwise the vector lanes, see
     * {@link #everyOperationAgreesAtLengthsAroundTheLaneWidth}), their sum split exactly into multiples of 2^-18 (each
     * part's sum exact in double, as in float for up to 64 exps) and rests, the rests added lane by lane in the
     * vectors' fixed order and each lane's sum rounded to a multiple of 2^-37 (the lanes' sum exact too), and the
     * scale with one rounding from the double inverse. The sum is within 2^-33 of the exact sum of the exps (2^-32
     * for vectors wider than 16 floats), checked here too. (The bitwise check pins the sum to about 2^-30 of itself: another fixed order of the rests' adds moves
     * it by one grid step of 2^-37 at most, which the float outputs almost never show; tried, not caught. What it
     * catches is a wrong grid or a lost part: dropping the rests is several ulp.)
     */
    static float[] shortRowModel(float[] src, int offset, int n) {
        float max = SCALAR.max(src, offset, n);
        float[] e = new float[n];
        SCALAR.storeExpMinusMaxAndSum(src, offset, e, 0, n, max, Float.NEGATIVE_INFINITY);
        // where each vector starts (RegisterSoftmax): one from 0; two from 0 and n - L; four from 0, L, min(2L, n - L)
        // and n - L. A lane holding an element an earlier vector holds counts as 0.
        int[] starts = n <= LANES ? new int[] {0} : n <= 2 * LANES ? new int[] {0, n - LANES}
                : new int[] {0, LANES, Math.min(2 * LANES, n - LANES), n - LANES};
        float[][] rests = new float[starts.length][LANES];
        double high = 0;
        java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
        for (int v = 0; v < starts.length; v++) {
            int firstNew = v == 0 ? 0 : Math.max(0, starts[v - 1] + LANES - starts[v]);
            for (int lane = firstNew; lane < LANES && starts[v] + lane < n; lane++) {
                float x = e[starts[v] + lane];
                float h = (x + 0x1.8p5f) - 0x1.8p5f;
                high += h;
                rests[v][lane] = x - h;
                exact = exact.add(new java.math.BigDecimal(x));
            }
        }
        double middle = 0;
        for (int lane = 0; lane < LANES; lane++) {
            float rest = switch (starts.length) {  // the vectors' add order in RegisterSoftmax
                case 1 -> rests[0][lane];
                case 2 -> rests[0][lane] + rests[1][lane];
                default -> (rests[0][lane] + rests[1][lane]) + (rests[2][lane] + rests[3][lane]);
            };
            middle += (rest + 0x1.8p-14f) - 0x1.8p-14f;
        }
        double sum = high + middle;
        // RegisterSoftmax's bound: at most 16 lanes x (3 x 2^-42 + 2^-38) < 2^-33; 2^-32 for wider vectors
        double bound = LANES <= 16 ? 0x1p-33 : 0x1p-32;
        assertEquals(exact.doubleValue(), sum, sum * bound, "split sum within " + bound + " of the exact sum");
        double inverse = 1.0 / sum;
        float hi = (float) inverse;
        float lo = (float) (inverse - hi);
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = Math.fma(e[i], hi, e[i] * lo);
        }
        return p;
    }

    @RepeatedTest(5)
    void maxFollowsMathMaxForNaNAndSignedZeroAtEveryPosition() {
        for (int n = 1; n <= 4 * LANES + 3; n++) {
            for (int at = 0; at < n; at++) {
                float[] a = new float[n];
                java.util.Arrays.fill(a, -0.0f);
                a[at] = 0.0f;
                assertEquals(0.0f, VECTOR.max(a, 0, n), "+0 beats -0: n=" + n + " at=" + at);
                assertEquals(Float.floatToIntBits(0.0f), Float.floatToIntBits(VECTOR.max(a, 0, n)));
                a[at] = Float.NaN;
                assertEquals(Float.NaN, VECTOR.max(a, 0, n), "NaN wins: n=" + n + " at=" + at);
                // the max-and-min pass reports this positive NaN as the max, in every lane and tail position
                assertEquals(Float.NaN, SoftmaxKernel.maxOf(VECTOR.maxAndMin(a, 0, n)), "NaN reported: n=" + n);
                java.util.Arrays.fill(a, Float.NEGATIVE_INFINITY);
                a[at] = Float.NaN;
                assertEquals(Float.NaN, SoftmaxKernel.maxOf(VECTOR.maxAndMin(a, 0, n)), "NaN and -inf: n=" + n);
                a[at] = Float.intBitsToFloat(0xFFC00000);  // a negative NaN: the min, and the max only when alone
                float expected = n == 1 ? Float.NaN : Float.NEGATIVE_INFINITY;
                assertEquals(expected, SoftmaxKernel.maxOf(VECTOR.maxAndMin(a, 0, n)), "n=" + n);
                assertEquals(Float.NaN, SoftmaxKernel.minOf(VECTOR.maxAndMin(a, 0, n)), "negative NaN: n=" + n);
            }
        }
    }

    /**
     * The sampling scans: {@code firstAbove} and {@code indicesAbove} must give the same indices (thresholds at,
     * between and beside the values, NaN anywhere; output arrays too short too), and {@code sumOfNonNegative} the same total (to the rounding of two double sums in different
     * orders) or NaN for the same rows.
     */
    @RepeatedTest(20)
    void samplingScansAgreeAtLengthsAroundTheLaneWidth() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n <= 9 * LANES + 3; n++) {
            int offset = random.nextInt(LANES + 1);
            float[] src = Rows.values()[random.nextInt(Rows.values().length)].row(random.nextLong(), offset + n);
            String where = "n=" + n + " offset=" + offset + " seed=" + seed + " lanes=" + LANES;
            if (n > 0 && random.nextInt(4) == 0) {
                src[offset + random.nextInt(n)] = random.nextBoolean() ? Float.NaN : Float.intBitsToFloat(0xFFC00000);
            }
            float[] thresholds = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 0f, -0f,
                n == 0 ? 0f : src[offset + random.nextInt(n)], n == 0 ? 1f : Math.nextDown(src[offset + random.nextInt(n)]),
                (float) random.nextGaussian() * 3, Float.NaN};
            for (float t : thresholds) {
                int expected = SCALAR.firstAbove(src, offset, n, t);
                assertEquals(expected, VECTOR.firstAbove(src, offset, n, t), "firstAbove " + t + " " + where);
                if (expected >= 0) {
                    assertTrue(!(src[offset + expected] <= t), "found an element <= t " + where);
                }
                int room = random.nextInt(n + 2);  // sometimes too short: the count goes on
                int[] indicesScalar = new int[room];
                int[] indicesVector = new int[room];
                int count = SCALAR.indicesAbove(src, offset, n, t, indicesScalar);
                assertEquals(count, VECTOR.indicesAbove(src, offset, n, t, indicesVector), "indicesAbove " + t + " " + where);
                assertArrayEquals(indicesScalar, indicesVector, "indicesAbove " + t + " " + where);
                assertEquals(expected, count == 0 ? -1 : room == 0 ? expected : indicesScalar[0], "first " + where);
            }
            float[] probs = new float[offset + n];
            for (int i = 0; i < offset + n; i++) {
                probs[i] = random.nextInt(5) == 0 ? 0f : (float) Math.abs(random.nextGaussian() * Math.scalb(1.0, random.nextInt(-30, 30)));
            }
            if (n > 0 && random.nextInt(3) == 0) {
                float[] specials = {-0f, -1f, -Float.MIN_VALUE, Float.NaN, Float.intBitsToFloat(0xFFC00000),
                    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE};
                probs[offset + random.nextInt(n)] = specials[random.nextInt(specials.length)];
            }
            double sumScalar = SCALAR.sumOfNonNegative(probs, offset, n);
            double sumVector = VECTOR.sumOfNonNegative(probs, offset, n);
            if (Double.isNaN(sumScalar)) {
                assertEquals(Double.NaN, sumVector, "sum of an invalid row " + where);
            } else {
                assertEquals(sumScalar, sumVector, sumScalar * (n + 1) * 0x1p-52, "sum " + where);
            }
        }
    }
}
