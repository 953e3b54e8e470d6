package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Softmax and log-softmax backward through the facade (so on whichever kernel this surefire execution selects):
 * every element within 4 ulp of {@code max(|exact|, y_i·max|dy|)} (resp. {@code exp(logp_i)·|Σ g|}) against double
 * references, central-difference gradient checks, literal cases, special values, in-place and row variants, and the
 * argument rules (nothing written on a rejected call).
 */
class SoftmaxBackwardTest {
    static final double BAR = 4;
    private static final float SENTINEL = -123.25f;

    /** Upstream gradients: mostly N(0,1), sometimes one large entry or a shared offset (Σ y·dy far from 0). */
    private static float[] upstream(SplittableRandom random, int n) {
        float[] dy = new float[n];
        int kind = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            dy[i] = (float) (random.nextGaussian() + (kind == 1 ? 50 : 0));
        }
        if (kind == 2 && n > 0) {
            dy[random.nextInt(n)] = 1e4f;
        }
        return dy;
    }

    private static void checkSoftmaxBackward(String where, float[] y, float[] dy) {
        int n = y.length;
        double[] exact = TrainingReference.softmaxBackward(y, 0, dy, 0, n);
        double maxDy = 0;
        for (float v : dy) {
            maxDy = Math.max(maxDy, Math.abs(v));
        }
        double[] floor = new double[n];
        for (int i = 0; i < n; i++) {
            floor[i] = y[i] * maxDy;
        }
        float[] dx = new float[n + 2];
        Softmax.softmaxBackward(y, 0, dy, 0, dx, 1, n);
        TrainingReference.assertWithin("softmaxBackward " + where, BAR, dx, 1, exact, floor);
        float[] inPlaceDy = dy.clone();
        Softmax.softmaxBackward(y, 0, inPlaceDy, 0, inPlaceDy, 0, n);
        assertArrayEquals(Arrays.copyOfRange(dx, 1, n + 1), inPlaceDy, "dx = dy in place " + where);
        float[] inPlaceY = y.clone();
        Softmax.softmaxBackward(inPlaceY, 0, dy, 0, inPlaceY, 0, n);
        assertArrayEquals(Arrays.copyOfRange(dx, 1, n + 1), inPlaceY, "dx = y in place " + where);
    }

    private static void checkLogSoftmaxBackward(String where, float[] logp, float[] g) {
        int n = logp.length;
        double[] exact = TrainingReference.logSoftmaxBackward(logp, 0, g, 0, n);
        double s = Math.abs(TrainingReference.sum(g, 0, n));
        double[] floor = new double[n];
        for (int i = 0; i < n; i++) {
            floor[i] = Math.exp(logp[i]) * s;
        }
        float[] dx = new float[n + 2];
        Softmax.logSoftmaxBackward(logp, 0, g, 0, dx, 1, n);
        TrainingReference.assertWithin("logSoftmaxBackward " + where, BAR, dx, 1, exact, floor);
        float[] inPlaceG = g.clone();
        Softmax.logSoftmaxBackward(logp, 0, inPlaceG, 0, inPlaceG, 0, n);
        assertArrayEquals(Arrays.copyOfRange(dx, 1, n + 1), inPlaceG, "dx = g in place " + where);
        float[] inPlaceLogp = logp.clone();
        Softmax.logSoftmaxBackward(inPlaceLogp, 0, g, 0, inPlaceLogp, 0, n);
        assertArrayEquals(Arrays.copyOfRange(dx, 1, n + 1), inPlaceLogp, "dx = logp in place " + where);
    }

    @ParameterizedTest
    @EnumSource(Rows.class)
    void everyLengthUpTo300AgainstTheDoubleReference(Rows rows) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 0; n <= 300; n++) {
            float[] x = rows.row(random.nextLong(), n);
            float[] y = Softmax.softmax(x);
            float[] logp = new float[n];
            Softmax.logSoftmax(x, 0, logp, 0, n);
            String where = rows + " n=" + n + KernelAccuracyTests.reproduce(seed);
            checkSoftmaxBackward(where, y, upstream(random, n));
            checkLogSoftmaxBackward(where, logp, upstream(random, n));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1024, 4099, 32000, 128256})
    void vocabularyRowsAgainstTheDoubleReference(int n) {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (Rows rows : new Rows[] {Rows.NORMAL_0_3, Rows.PEAKED, Rows.MASKED, Rows.UNDERFLOW_EDGE}) {
            float[] x = rows.row(random.nextLong(), n);
            float[] logp = new float[n];
            Softmax.logSoftmax(x, 0, logp, 0, n);
            String where = rows + " n=" + n + KernelAccuracyTests.reproduce(seed);
            checkSoftmaxBackward(where, Softmax.softmax(x), upstream(random, n));
            checkLogSoftmaxBackward(where, logp, upstream(random, n));
        }
    }

    /** Inputs that are not log-probabilities (elements above 0) take the double path and meet the same bar. */
    @RepeatedTest(5)
    void logSoftmaxBackwardOfPositiveInputs() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int n = 1; n < 200; n += 7) {
            float[] logp = new float[n];
            for (int i = 0; i < n; i++) {
                logp[i] = (float) (random.nextGaussian() * 3);
            }
            checkLogSoftmaxBackward("positive n=" + n + KernelAccuracyTests.reproduce(seed), logp,
                    upstream(random, n));
        }
    }

    /**
     * Central differences in double: softmaxBackward is the gradient of φ(x) = Σ dy_i softmax(x)_i, and
     * logSoftmaxBackward that of ψ(x) = Σ g_i logSoftmax(x)_i, both evaluated with the double reference.
     */
    @RepeatedTest(10)
    void gradientChecksByCentralDifferences() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int length = 1; length <= 50; length += random.nextInt(1, 8)) {
            int n = length;
            float[] x = Rows.NORMAL_0_3.row(random.nextLong(), n);
            float[] dy = upstream(random, n);
            float[] g = upstream(random, n);
            float[] y = toFloat(ReferenceSoftmax.softmax(x, 0, n));
            float[] logp = toFloat(ReferenceSoftmax.logSoftmax(x, 0, n));
            float[] dxSoftmax = new float[n];
            float[] dxLog = new float[n];
            Softmax.softmaxBackward(y, 0, dy, 0, dxSoftmax, 0, n);
            Softmax.logSoftmaxBackward(logp, 0, g, 0, dxLog, 0, n);
            double[] fdSoftmax = centralDifferences(x, v -> dot(ReferenceSoftmax.softmax(v, 0, n), dy));
            double[] fdLog = centralDifferences(x, v -> dot(ReferenceSoftmax.logSoftmax(v, 0, n), g));
            // the float inputs y, logp are the exact ones rounded: that moves dx by about 2^-24 of the accuracy
            // bar's scale (y_i·max|dy|, resp. exp(logp_i)·|Σg|), which can exceed dx itself (dy with a large offset)
            double maxDy = 0;
            for (float v : dy) {
                maxDy = Math.max(maxDy, Math.abs(v));
            }
            double sumG = Math.abs(TrainingReference.sum(g, 0, n));
            double[] floorSoftmax = new double[n];
            double[] floorLog = new double[n];
            for (int i = 0; i < n; i++) {
                floorSoftmax[i] = y[i] * maxDy;
                floorLog[i] = Math.exp(logp[i]) * sumG;
            }
            String where = "n=" + n + KernelAccuracyTests.reproduce(seed);
            assertClose("softmaxBackward vs central differences " + where, fdSoftmax, dxSoftmax, floorSoftmax);
            assertClose("logSoftmaxBackward vs central differences " + where, fdLog, dxLog, floorLog);
        }
    }

    /** A function of a float row evaluated in double. */
    interface RowFunction {
        double at(float[] x);
    }

    /**
     * ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h with h a power of 2 near 6e-5·max(1, |x_i|), so that x ± h and
     * the step are exact in float (the rows are float). Truncation error O(h²) ≈ 1e-8 relative to the derivatives;
     * rounding ≈ 2^-53·|f|/h.
     */
    static double[] centralDifferences(float[] x, RowFunction f) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            float h = Math.scalb(0x1p-14f, Math.max(0, Math.getExponent(x[i])));
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] = x[i] + h;
            minus[i] = x[i] - h;
            d[i] = (f.at(plus) - f.at(minus)) / ((double) plus[i] - minus[i]);
        }
        return d;
    }

    /**
     * Within 1e-4 relative, plus 1e-5 of the row's largest derivative and of {@code floor[i]} (the op's own error
     * scale, null for none): a wrong formula is off by far more.
     */
    static void assertClose(String what, double[] expected, float[] actual, double[] floor) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            double tolerance = 1e-5 * scale + 1e-4 * Math.abs(expected[i]) + (floor == null ? 0 : 1e-5 * floor[i])
                    + 1e-12;
            assertTrue(Math.abs(actual[i] - expected[i]) <= tolerance,
                    what + ": i=" + i + " got " + actual[i] + ", central difference " + expected[i]);
        }
    }

    static double dot(double[] a, float[] b) {
        TrainingReference.Sum s = new TrainingReference.Sum();
        for (int i = 0; i < a.length; i++) {
            s.add(a[i] * b[i]);
        }
        return s.value();
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void literalCases() {
        // y = (1/2, 1/4, 1/4), dy = (1, 0, 0): s = 1/2, dx = (1/2·1/2, 1/4·(−1/2), 1/4·(−1/2)), exact in float
        float[] dx = new float[3];
        Softmax.softmaxBackward(new float[] {0.5f, 0.25f, 0.25f}, 0, new float[] {1f, 0f, 0f}, 0, dx, 0, 3);
        assertArrayEquals(new float[] {0.25f, -0.125f, -0.125f}, dx);
        // dy = (2, 2, 2): s = 2, dx = 0 (softmax is invariant to a shared shift of the upstream gradient)
        Softmax.softmaxBackward(new float[] {0.5f, 0.25f, 0.25f}, 0, new float[] {2f, 2f, 2f}, 0, dx, 0, 3);
        assertArrayEquals(new float[3], dx);
        // logp = log(1/2, 1/4, 1/4), g = (−1, 0, 0): Σg = −1, dx = g + exp(logp) = (−1/2, 1/4, 1/4)
        float[] logp = {(float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.25)};
        Softmax.logSoftmaxBackward(logp, 0, new float[] {-1f, 0f, 0f}, 0, dx, 0, 3);
        assertEquals(-0.5f, dx[0], 2 * Math.ulp(0.5f));
        assertEquals(0.25f, dx[1], 2 * Math.ulp(0.25f));
        assertEquals(0.25f, dx[2], 2 * Math.ulp(0.25f));
        // masked position: logp −inf has probability 0, so dx = g there
        Softmax.logSoftmaxBackward(new float[] {0f, Float.NEGATIVE_INFINITY}, 0, new float[] {-1f, 3f}, 0, dx, 0, 2);
        assertEquals(-1f - 2f, dx[0]);
        assertEquals(3f, dx[1]);
    }

    @Test
    void specialValuesFollowIeeeOnTheFormula() {
        float[] y = {0.5f, 0.25f, 0.25f, 0f};
        float[] dx = new float[4];
        Softmax.softmaxBackward(y, 0, new float[] {1f, Float.NaN, 0f, 0f}, 0, dx, 0, 4);
        for (float v : dx) {
            assertTrue(Float.isNaN(v), "a NaN in dy makes Σ y·dy, so every dx, NaN: " + Arrays.toString(dx));
        }
        float[] logp = {-1f, Float.NaN, -2f, Float.NEGATIVE_INFINITY};
        Softmax.logSoftmaxBackward(logp, 0, new float[] {1f, 1f, 1f, 1f}, 0, dx, 0, 4);
        assertTrue(Float.isNaN(dx[1]), "NaN logp gives NaN there");
        assertEquals((float) (1 - Math.exp(-1) * 4), dx[0], 2 * Math.ulp(dx[0]));
        assertEquals((float) (1 - Math.exp(-2) * 4), dx[2], 2 * Math.ulp(dx[2]));
        assertEquals(1f, dx[3], "exp(−inf) = 0");
        Softmax.logSoftmaxBackward(new float[] {Float.POSITIVE_INFINITY, -1f}, 0, new float[] {1f, 0f}, 0, dx, 0, 2);
        assertEquals(Float.NEGATIVE_INFINITY, dx[0], "1 − inf·1");
        assertEquals((float) -Math.exp(-1), dx[1], Math.ulp(dx[1]));
    }

    @Test
    void rowsEqualRowByRowCalls() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int[] shape : new int[][] {{32, 1024}, {3, 4099}, {5, 7}, {0, 9}, {4, 0}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] x = Rows.NORMAL_0_3.row(random.nextLong(), rows * cols);
            float[] y = new float[rows * cols];
            float[] logp = new float[rows * cols];
            Softmax.softmaxRows(x, y, rows, cols);
            Softmax.logSoftmaxRows(x, logp, rows, cols);
            float[] dy = upstream(random, rows * cols + 3);
            float[] dx = new float[rows * cols + 3];
            float[] dxLog = new float[rows * cols + 3];
            Arrays.fill(dx, SENTINEL);
            Arrays.fill(dxLog, SENTINEL);
            Softmax.softmaxBackwardRows(y, dy, dx, rows, cols);
            Softmax.logSoftmaxBackwardRows(logp, dy, dxLog, rows, cols);
            for (int r = 0; r < rows; r++) {
                float[] one = new float[cols];
                Softmax.softmaxBackward(y, r * cols, dy, r * cols, one, 0, cols);
                assertArrayEquals(one, Arrays.copyOfRange(dx, r * cols, (r + 1) * cols), "row " + r + " seed " + seed);
                Softmax.logSoftmaxBackward(logp, r * cols, dy, r * cols, one, 0, cols);
                assertArrayEquals(one, Arrays.copyOfRange(dxLog, r * cols, (r + 1) * cols), "log row " + r);
            }
            for (int i = rows * cols; i < dx.length; i++) {
                assertEquals(SENTINEL, dx[i], "written past rows * cols");
                assertEquals(SENTINEL, dxLog[i], "written past rows * cols");
            }
            float[] inPlace = dy.clone();
            Softmax.softmaxBackwardRows(y, inPlace, inPlace, rows, cols);
            assertArrayEquals(Arrays.copyOf(dx, rows * cols), Arrays.copyOf(inPlace, rows * cols), "rows in place");
        }
    }

    // ------------------------------------------------------------------------------------------------- arguments

    private interface RangeCall {
        void run(float[] a, int aOffset, float[] b, int bOffset, float[] dx, int dxOffset, int length);
    }

    private static final RangeCall[] CALLS = {Softmax::softmaxBackward, Softmax::logSoftmaxBackward};

    private static float[] values(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = -0.25f * i;
        }
        return a;
    }

    /** Expects the exception and checks that no array changed. */
    private static void rejected(Class<? extends Throwable> type, Executable call, float[]... arrays) {
        float[][] before = new float[arrays.length][];
        for (int i = 0; i < arrays.length; i++) {
            before[i] = arrays[i] == null ? null : arrays[i].clone();
        }
        assertThrows(type, call);
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null) {
                assertArrayEquals(before[i], arrays[i], "array " + i + " changed");
            }
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        for (RangeCall call : CALLS) {
            float[] a = values(10);
            float[] b = values(10);
            float[] dx = values(8);
            rejected(NullPointerException.class, () -> call.run(null, 0, b, 0, dx, 0, 4), b, dx);
            rejected(NullPointerException.class, () -> call.run(a, 0, null, 0, dx, 0, 4), a, dx);
            rejected(NullPointerException.class, () -> call.run(a, 0, b, 0, null, 0, 4), a, b);
            rejected(NullPointerException.class, () -> call.run(a, 0, b, 0, null, 0, 0), a, b);
            int[][] bad = {{-1, 0, 0, 3}, {0, -1, 0, 3}, {0, 0, -1, 3}, {0, 0, 0, -1}, {8, 0, 0, 3}, {0, 8, 0, 3},
                {0, 0, 6, 3}, {0, 0, 0, 9}, {Integer.MAX_VALUE, 0, 0, 2}, {0, 0, 2, Integer.MAX_VALUE}};
            for (int[] o : bad) {
                rejected(IndexOutOfBoundsException.class, () -> call.run(a, o[0], b, o[1], dx, o[2], o[3]), a, b, dx);
            }
            for (int[] o : new int[][] {{0, 1, 5}, {1, 0, 5}, {3, 4, 2}, {9, 8, 2}}) {
                float[] one = values(11);
                float[] other = values(11);
                // dx partially overlapping the first input, then the second
                rejected(IllegalArgumentException.class, () -> call.run(one, o[0], other, 0, one, o[1], o[2]), one, other);
                rejected(IllegalArgumentException.class, () -> call.run(other, 0, one, o[0], one, o[1], o[2]), one, other);
            }
        }
        float[] a = values(12);
        float[] dx = values(12);
        for (int[] rc : new int[][] {{-1, 2}, {2, -1}, {3, 5}, {65536, 65536}, {Integer.MAX_VALUE, 2}}) {
            rejected(IndexOutOfBoundsException.class, () -> Softmax.softmaxBackwardRows(a, a, dx, rc[0], rc[1]), a, dx);
            rejected(IndexOutOfBoundsException.class, () -> Softmax.logSoftmaxBackwardRows(a, a, dx, rc[0], rc[1]), a, dx);
        }
        float[] shortDx = values(11);
        rejected(IndexOutOfBoundsException.class, () -> Softmax.softmaxBackwardRows(a, a, shortDx, 3, 4), a, shortDx);
        rejected(IndexOutOfBoundsException.class, () -> Softmax.logSoftmaxBackwardRows(a, shortDx, a, 3, 4), a, shortDx);
        rejected(NullPointerException.class, () -> Softmax.softmaxBackwardRows(null, a, dx, 1, 1), a, dx);
        rejected(NullPointerException.class, () -> Softmax.logSoftmaxBackwardRows(a, a, null, 1, 1), a);
    }

    @Test
    void inputsMayOverlapEachOtherAndOnlyDxIsWritten() {
        // y and dy the same range (dy = y): dx = y·(y − Σy²); nothing but dx[11..20) written
        float[] y = {0.5f, 0.25f, 0.125f, 0.125f};
        float[] buffer = new float[30];
        Arrays.fill(buffer, SENTINEL);
        System.arraycopy(y, 0, buffer, 2, 4);
        float[] before = buffer.clone();
        Softmax.softmaxBackward(buffer, 2, buffer, 2, buffer, 11, 4);
        double s = 0.25 + 0.0625 + 2 * 0.015625;
        for (int i = 0; i < 4; i++) {
            assertEquals((float) (y[i] * (y[i] - s)), buffer[11 + i]);
        }
        for (int i = 0; i < 30; i++) {
            if (i < 11 || i >= 15) {
                assertEquals(before[i], buffer[i], "buffer[" + i + "] written");
            }
        }
    }
}
