package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.softmax4j.CrossEntropy.Reduction;

/**
 * {@link CrossEntropy} on the kernel this surefire execution selects, against the double references of
 * {@link TrainingReference}: loss within 1e-6 relative (vocabulary batches, N(0,3) and confident rows), every gradient
 * element within 4 ulp of {@code max(|exact|, ε/(C·N))} beyond the softmax contract's shift allowance, central
 * differences on small rows, PyTorch literal cases by hand, special values, in place, and the argument rules.
 */
class CrossEntropyTest {
    static final double LOSS_BAR = 1e-6;
    static final double GRADIENT_BAR = 4;
    private static final float SENTINEL = -123.25f;

    /** Row-major logits: N(0,3), or confident rows whose target is 20 above the largest other logit. */
    static float[] batch(long seed, int rows, int cols, int[] targets, boolean confident) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            targets[r] = random.nextInt(cols);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                logits[r * cols + j] = (float) (3 * random.nextGaussian());
                max = j == targets[r] ? max : Math.max(max, logits[r * cols + j]);
            }
            if (confident) {
                logits[r * cols + targets[r]] = max + 20;
            }
        }
        return logits;
    }

    /** Loss (both calls) and gradient (out of place and in place) of a batch against the references. */
    static void checkBatch(String where, CrossEntropy ce, float[] logits, int rows, int cols, int[] targets) {
        boolean mean = ce.reduction() == Reduction.MEAN;
        double eps = ce.labelSmoothing();
        double exact = TrainingReference.loss(logits, rows, cols, targets, ce.ignoreIndex(), eps, mean);
        float[] original = logits.clone();
        float[] gradient = new float[rows * cols + 1];
        gradient[rows * cols] = SENTINEL;
        double loss = ce.lossAndGradient(logits, rows, cols, targets, gradient);
        assertArrayEquals(original, logits, "logits modified " + where);
        assertEquals(SENTINEL, gradient[rows * cols], "written past rows * cols " + where);
        assertLoss(where, exact, loss, (double) rows * cols * Math.exp(ExpPolynomial.SCALED_UNDERFLOW_CUTOFF));
        assertEquals(loss, ce.loss(logits, rows, cols, targets), 0.0, "loss() differs from lossAndGradient " + where);
        double w = TrainingReference.weight(rows, targets, ce.ignoreIndex(), mean);
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ce.ignoreIndex()) {
                for (int j = 0; j < cols; j++) {
                    assertEquals(0f, gradient[r * cols + j], "ignored row " + r + " " + where);
                }
            } else {
                assertGradientRow(where + " row " + r, logits, r * cols, cols, targets[r], eps, w, gradient);
            }
        }
        float[] inPlace = logits.clone();
        assertEquals(loss, ce.lossAndGradient(inPlace, rows, cols, targets, inPlace), 0.0, "in place loss " + where);
        assertArrayEquals(Arrays.copyOf(gradient, rows * cols), inPlace, "in place gradient " + where);
    }

    static void assertLoss(String where, double exact, double loss) {
        assertLoss(where, exact, loss, 0);
    }

    /**
     * Within {@link #LOSS_BAR} relative, plus {@code slack} absolute: the kernel's log-sum-exp drops the terms below
     * {@code exp(−131)} of the row max ({@link ExpPolynomial#SCALED_UNDERFLOW_CUTOFF}), which only a loss below
     * about {@code cols · 1e-57} can notice (a row whose target is ~230 above every other logit).
     */
    static void assertLoss(String where, double exact, double loss, double slack) {
        if (Double.isInfinite(exact) || Double.isNaN(exact)) {
            assertEquals(exact, loss, "non-finite loss " + where);
        } else if (!(Math.abs(loss - exact) <= LOSS_BAR * Math.abs(exact) + slack)) {
            fail(String.format("loss %s: got %.17g, exact %.17g, relative error %.3g > %.0g", where, loss, exact,
                    Math.abs(loss - exact) / Math.abs(exact), LOSS_BAR));
        }
    }

    /**
     * One row's gradient: within 4 ulp of {@code max(|exact|, εw/C)}, plus the softmax contract's allowance for the
     * float rounding of the shifts {@code x − max} ({@link UlpError.SoftmaxContract#allowance} less its 3 ulp of
     * kernel error), in ulps of {@code p_j·w}: the probabilities carry it.
     */
    static void assertGradientRow(String where, float[] logits, int offset, int cols, int t, double eps, double w,
                                  float[] gradient) {
        float[] x = Arrays.copyOfRange(logits, offset, offset + cols);
        double[] exact = TrainingReference.rowGradient(x, 0, cols, t, eps, w);
        double[] p = ReferenceSoftmax.softmax(x, 0, cols);
        UlpError.SoftmaxContract contract = UlpError.softmaxContract(x, 0, cols, p);
        double floor = eps * w / cols;
        for (int j = 0; j < cols; j++) {
            float actual = gradient[offset + j];
            double scale = Math.max(Math.abs(exact[j]), floor);
            double pw = p[j] * w;
            double shift = Math.max(0, contract.allowance(x[j]) - 3) * (pw < Float.MIN_NORMAL ? 0 : Math.ulp((float) pw));
            double allowed = (scale < Float.MIN_NORMAL ? Float.MIN_NORMAL : GRADIENT_BAR * Math.ulp((float) scale)) + shift;
            double error = Math.abs(actual - exact[j]);
            if (!(error <= allowed)) {
                fail(String.format("gradient %s: j=%d (target %d) x_j=%s: got %s, exact %s, error %.4g ulp of the "
                                + "scale %s > %.0f + %.4g (shift allowance)", where, j, t, x[j], actual, exact[j],
                        error / Math.ulp((float) scale), scale, GRADIENT_BAR, shift / Math.ulp((float) scale)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"8x128256", "64x32000"})
    void vocabularyBatchesMeetTheBars(String shape) {
        long seed = Rows.seed();
        int rows = Integer.parseInt(shape.split("x")[0]);
        int cols = Integer.parseInt(shape.split("x")[1]);
        int[] targets = new int[rows];
        for (boolean confident : new boolean[] {false, true}) {
            float[] logits = batch(seed, rows, cols, targets, confident);
            for (float eps : new float[] {0f, 0.1f}) {
                CrossEntropy ce = CrossEntropy.builder().labelSmoothing(eps).build();
                checkBatch(shape + (confident ? " confident" : " N(0,3)") + " eps=" + eps
                        + KernelAccuracyTests.reproduce(seed), ce, logits, rows, cols, targets);
            }
        }
    }

    /** Every {@link Rows} distribution, lengths around the block size, ignored rows, both reductions. */
    @RepeatedTest(12)
    void randomBatchesInEveryDistribution() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        int[] lengths = {1, 2, 3, 5, 17, 100, 4095, 4096, 4097, 9000};
        for (Rows distribution : Rows.values()) {
            int rows = random.nextInt(1, 5);
            int cols = lengths[random.nextInt(lengths.length)];
            float[] logits = distribution.row(random.nextLong(), rows * cols);
            if (distribution == Rows.MASKED) {  // at least one live logit per row
                for (int r = 0; r < rows; r++) {
                    logits[r * cols + random.nextInt(cols)] = 0f;
                }
            }
            int ignore = new int[] {-100, 0, 3}[random.nextInt(3)];
            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++) {
                targets[r] = random.nextInt(5) == 0 ? ignore : random.nextInt(cols);
            }
            CrossEntropy ce = CrossEntropy.builder().ignoreIndex(ignore)
                    .labelSmoothing(new float[] {0f, 0.05f, 0.3f}[random.nextInt(3)])
                    .reduction(random.nextBoolean() ? Reduction.MEAN : Reduction.SUM).build();
            checkBatch(distribution + " " + rows + "x" + cols + " " + ce + KernelAccuracyTests.reproduce(seed), ce,
                    logits, rows, cols, targets);
        }
    }

    /** The gradient is the derivative of the loss: central differences of the double reference on small rows. */
    @RepeatedTest(10)
    void gradientChecksByCentralDifferences() {
        long seed = Rows.seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < 8; k++) {
            int rows = random.nextInt(1, 5);
            int cols = random.nextInt(1, 51);
            float[] logits = Rows.NORMAL_0_3.row(random.nextLong(), rows * cols);
            int ignore = random.nextBoolean() ? -100 : 0;
            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++) {
                targets[r] = random.nextInt(4) == 0 ? ignore : random.nextInt(cols);
            }
            float eps = new float[] {0f, 0.1f, 0.25f}[random.nextInt(3)];
            boolean mean = random.nextBoolean();
            CrossEntropy ce = CrossEntropy.builder().ignoreIndex(ignore).labelSmoothing(eps)
                    .reduction(mean ? Reduction.MEAN : Reduction.SUM).build();
            float[] gradient = new float[rows * cols];
            ce.lossAndGradient(logits, rows, cols, targets, gradient);
            double[] fd = SoftmaxBackwardTest.centralDifferences(logits,
                    v -> TrainingReference.loss(v, rows, cols, targets, ignore, eps, mean));
            SoftmaxBackwardTest.assertClose(rows + "x" + cols + " " + ce + " targets " + Arrays.toString(targets)
                    + KernelAccuracyTests.reproduce(seed), fd, gradient, null);
        }
    }

    /**
     * PyTorch's {@code F.cross_entropy} on a 2x3 batch, by hand: row 0 {2, 1, 0.1} target 0, row 1 {0.5, 2.5, 0.3}
     * target 1. LSE_0 = log(e^2 + e + e^0.1) = log 11.2125..., nll_0 = LSE_0 − 2 = 0.41703001642470810;
     * LSE_1 = log(e^0.5 + e^2.5 + e^0.3) = log 15.1810..., nll_1 = LSE_1 − 2.5 = 0.22004952408051357.
     * (40-digit values from mpmath on the float inputs.)
     */
    @Test
    void literalTwoByThreeAsPyTorch() {
        float[] logits = {2f, 1f, 0.1f, 0.5f, 2.5f, 0.3f};
        int[] targets = {0, 1};
        double nll0 = 0.41703001642470810;
        double nll1 = 0.22004952408051357;
        float[] gradient = new float[6];
        double mean = CrossEntropy.builder().build().lossAndGradient(logits, 2, 3, targets, gradient);
        assertLoss("2x3 mean", (nll0 + nll1) / 2, mean);   // 0.31853977025261084, PyTorch: tensor(0.3185)
        // (softmax − onehot) / 2, e.g. (p_00 − 1)/2 = −(e + e^0.1)/(2·11.2125...)
        double[] expected = {-0.17049943060541132, 0.12121648533455334, 0.04928294527085798,
            0.05430186509594753, -0.09876047252947952, 0.04445860743353199};
        for (int j = 0; j < 6; j++) {
            assertEquals((float) expected[j], gradient[j], 2 * Math.ulp((float) expected[j]), "gradient " + j);
        }
        CrossEntropy sum = CrossEntropy.builder().reduction(Reduction.SUM).build();
        assertLoss("2x3 sum", nll0 + nll1, sum.loss(logits, 2, 3, targets));
        sum.lossAndGradient(logits, 2, 3, targets, gradient);
        assertEquals((float) (2 * expected[0]), gradient[0], 2 * Math.ulp(gradient[0]), "SUM: not divided by N");
        // label smoothing 0.1f (= 0.100000001490116...): row loss (1 − ε)·nll + (ε/3)·Σ_j (LSE − x_j), summed
        CrossEntropy smooth = CrossEntropy.builder().labelSmoothing(0.1f).reduction(Reduction.SUM).build();
        assertLoss("2x3 smoothed sum", 0.87374621025146165, smooth.loss(logits, 2, 3, targets));
        smooth.lossAndGradient(logits, 2, 3, targets, gradient);
        double eps = 0.1f;
        // gradient p − (1 − ε)·onehot − ε/3: off-target elements shift by −ε/3, the target by ε − ε/3 as well
        assertEquals((float) (2 * expected[1] - eps / 3), gradient[1], 2 * Math.ulp(gradient[1]));
        assertEquals((float) (2 * expected[0] + eps - eps / 3), gradient[0], 2 * Math.ulp(gradient[0]));
        // row 1 ignored: MEAN over the one row left; its gradient not halved; row 1's gradient zero
        Arrays.fill(gradient, SENTINEL);
        double ignored = CrossEntropy.builder().build().lossAndGradient(logits, 2, 3, new int[] {0, -100}, gradient);
        assertLoss("2x3 one row ignored", nll0, ignored);
        assertEquals((float) (2 * expected[0]), gradient[0], 2 * Math.ulp(gradient[0]));
        assertArrayEquals(new float[3], Arrays.copyOfRange(gradient, 3, 6));
    }

    /** A confident row's target element −(1 − p_t)/N to 4 ulp, where a float p_t − 1 is thousands of ulp off. */
    @Test
    void confidentTargetGradientHasNoCancellation() {
        float[] logits = {25f, 0f, 1f, -2f, 0.5f, 3f, 25f, 2.5f};   // row 0 target 0; row 1 target 2
        int[] targets = {0, 2};
        float[] gradient = new float[8];
        CrossEntropy.builder().build().lossAndGradient(logits, 2, 4, targets, gradient);
        double others = Math.exp(-25) + Math.exp(-24) + Math.exp(-27);
        double exact = -(others / (1 + others)) / 2;   // -(1 - p_t)/N, about -1.1e-11
        assertTrue(Math.abs(gradient[0] - exact) <= 4 * Math.ulp((float) exact), gradient[0] + " vs " + exact);
        float naive = (float) (1 / (1 + others)) - 1f;   // p_t rounded to float: 1, so p_t − 1 = 0
        assertTrue(Math.abs(naive / 2 - exact) > 1000 * Math.ulp((float) exact), "the naive way would fail");
    }

    @Test
    void nonFiniteLogitsGiveNanLossAsInPyTorch() {
        CrossEntropy ce = CrossEntropy.builder().build();
        for (int cols : new int[] {5, 9000}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
                for (int at : new int[] {0, cols - 1, cols / 2}) {
                    float[] logits = Rows.NORMAL_0_3.row(cols + at, 3 * cols);
                    logits[cols + at] = bad;
                    int[] targets = {1, 2, 3};
                    float[] gradient = new float[3 * cols];
                    assertTrue(Double.isNaN(ce.lossAndGradient(logits, 3, cols, targets, gradient)), bad + " at " + at);
                    assertTrue(Double.isNaN(ce.loss(logits, 3, cols, targets)));
                    for (int j = cols; j < 2 * cols; j++) {
                        assertTrue(Float.isNaN(gradient[j]), "row with " + bad + ": NaN gradient");
                    }
                    // the other rows: their gradients as if the bad row were any counted row (N = 3)
                    assertGradientRow("beside a " + bad + " row", logits, 0, cols, 1, 0, 1.0 / 3, gradient);
                    assertGradientRow("beside a " + bad + " row", logits, 2 * cols, cols, 3, 0, 1.0 / 3, gradient);
                }
            }
            // NaN inside an otherwise masked block (the gradient path's max ignores NaN)
            float[] masked = new float[cols];
            Arrays.fill(masked, Float.NEGATIVE_INFINITY);
            masked[0] = 1f;
            masked[cols - 1] = Float.NaN;
            assertTrue(Double.isNaN(ce.lossAndGradient(masked, 1, cols, new int[] {0}, new float[cols])));
            // every logit -inf: PyTorch's log-softmax is NaN
            Arrays.fill(masked, Float.NEGATIVE_INFINITY);
            assertTrue(Double.isNaN(ce.lossAndGradient(masked, 1, cols, new int[] {0}, new float[cols])));
            assertTrue(Double.isNaN(ce.loss(masked, 1, cols, new int[] {0})));
        }
    }

    /** −inf logits (masked classes) follow PyTorch: probability 0; +inf loss only where the target or ε needs them. */
    @Test
    void negativeInfinityIsAMaskedClassAsInPyTorch() {
        float[] logits = {2f, Float.NEGATIVE_INFINITY, 0f};
        float[] gradient = new float[3];
        double loss = CrossEntropy.builder().build().lossAndGradient(logits, 1, 3, new int[] {0}, gradient);
        assertLoss("masked class", Math.log1p(Math.exp(-2)), loss);
        assertEquals(0f, gradient[1]);
        assertEquals(Double.POSITIVE_INFINITY, CrossEntropy.builder().build().loss(logits, 1, 3, new int[] {1}));
        assertEquals(Double.POSITIVE_INFINITY, CrossEntropy.builder().labelSmoothing(0.1f).build()
                .lossAndGradient(logits, 1, 3, new int[] {0}, gradient));
        assertEquals((float) (-0.1f / 3), gradient[1], Math.ulp(gradient[1]), "masked class gets −ε/C");
    }

    @Test
    void allIgnoredMeanIsZeroWithAZeroGradient() {
        float[] logits = Rows.NORMAL_0_3.row(5, 12);
        for (Reduction reduction : Reduction.values()) {
            CrossEntropy ce = CrossEntropy.builder().reduction(reduction).labelSmoothing(0.1f).build();
            float[] gradient = new float[12];
            Arrays.fill(gradient, SENTINEL);
            assertEquals(0.0, ce.lossAndGradient(logits, 3, 4, new int[] {-100, -100, -100}, gradient));
            assertArrayEquals(new float[12], gradient);
            assertEquals(0.0, ce.loss(logits, 3, 4, new int[] {-100, -100, -100}));
            assertEquals(0.0, ce.loss(logits, 0, 4, new int[0]), "no rows");
        }
    }

    @Test
    void deterministic() {
        int[] targets = new int[4];
        float[] logits = batch(11, 4, 10000, targets, false);
        CrossEntropy ce = CrossEntropy.builder().labelSmoothing(0.1f).build();
        float[] first = new float[logits.length];
        float[] second = new float[logits.length];
        double a = ce.lossAndGradient(logits, 4, 10000, targets, first);
        double b = ce.lossAndGradient(logits, 4, 10000, targets, second);
        assertEquals(a, b, 0.0);
        assertArrayEquals(first, second);
    }

    // ------------------------------------------------------------------------------------------------- arguments

    /** Expects the exception; neither the logits nor the gradient changed. */
    private static void rejected(Class<? extends Throwable> type, float[] logits, float[] gradient,
                                 org.junit.jupiter.api.function.Executable call) {
        float[] logitsBefore = logits == null ? null : logits.clone();
        float[] gradientBefore = gradient == null ? null : gradient.clone();
        assertThrows(type, call);
        if (logits != null) {
            assertArrayEquals(logitsBefore, logits, "logits changed");
        }
        if (gradient != null) {
            assertArrayEquals(gradientBefore, gradient, "gradient changed");
        }
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() {
        CrossEntropy ce = CrossEntropy.builder().build();
        float[] logits = Rows.NORMAL_0_3.row(3, 12);
        float[] gradient = new float[12];
        Arrays.fill(gradient, SENTINEL);
        int[] targets = {0, 1, 2};
        rejected(NullPointerException.class, null, gradient, () -> ce.lossAndGradient(null, 3, 4, targets, gradient));
        rejected(NullPointerException.class, logits, gradient, () -> ce.lossAndGradient(logits, 3, 4, null, gradient));
        rejected(NullPointerException.class, logits, null, () -> ce.lossAndGradient(logits, 3, 4, targets, null));
        rejected(NullPointerException.class, null, null, () -> ce.loss(null, 3, 4, targets));
        rejected(NullPointerException.class, logits, null, () -> ce.loss(logits, 3, 4, null));
        for (int[] rc : new int[][] {{-1, 4}, {3, -1}, {4, 4}, {3, 5}, {65536, 65536}, {Integer.MAX_VALUE, 2}}) {
            rejected(IndexOutOfBoundsException.class, logits, gradient,
                    () -> ce.lossAndGradient(logits, rc[0], rc[1], new int[Math.max(0, rc[0] % 100)], gradient));
            rejected(IndexOutOfBoundsException.class, logits, null, () -> ce.loss(logits, rc[0], rc[1], targets));
        }
        float[] shortGradient = new float[11];
        rejected(IndexOutOfBoundsException.class, logits, shortGradient,
                () -> ce.lossAndGradient(logits, 3, 4, targets, shortGradient));
        rejected(IndexOutOfBoundsException.class, logits, gradient,
                () -> ce.lossAndGradient(logits, 3, 4, new int[] {0, 1}, gradient));
        for (int bad : new int[] {4, -1, -101, Integer.MAX_VALUE}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> ce.lossAndGradient(logits, 3, 4, new int[] {0, 1, bad}, gradient));
            assertTrue(e.getMessage().contains("row 2") && e.getMessage().contains("target " + bad), e.getMessage());
            // an earlier row that would be written first must not be: the check runs before any row
            rejected(IndexOutOfBoundsException.class, logits, gradient,
                    () -> ce.lossAndGradient(logits, 3, 4, new int[] {0, 1, bad}, gradient));
            rejected(IndexOutOfBoundsException.class, logits, logits,
                    () -> ce.lossAndGradient(logits, 3, 4, new int[] {0, 1, bad}, logits));
        }
        // the ignore index may be a class; then that class's rows are skipped and other values are checked
        CrossEntropy ignoreZero = CrossEntropy.builder().ignoreIndex(0).build();
        assertThrows(IndexOutOfBoundsException.class, () -> ignoreZero.loss(logits, 3, 4, new int[] {0, -100, 1}));
        assertLoss("ignoreIndex 0", TrainingReference.rowLoss(logits, 8, 4, 1, 0),
                ignoreZero.loss(logits, 3, 4, new int[] {0, 0, 1}));
    }

    @Test
    void builderChecksAndDefaults() {
        CrossEntropy defaults = CrossEntropy.builder().build();
        assertEquals(-100, defaults.ignoreIndex());
        assertEquals(0f, defaults.labelSmoothing());
        assertEquals(Reduction.MEAN, defaults.reduction());
        for (float bad : new float[] {Float.NaN, -0.1f, 1f, 1.5f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> CrossEntropy.builder().labelSmoothing(bad), "" + bad);
        }
        assertEquals(0.999f, CrossEntropy.builder().labelSmoothing(0.999f).build().labelSmoothing());
        assertThrows(NullPointerException.class, () -> CrossEntropy.builder().reduction(null));
    }
}
