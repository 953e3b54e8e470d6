package org.softmax4j;

import java.util.Objects;

/**
 * The backward (vector-Jacobian) steps of softmax and log-softmax, as {@link Softmax}'s training section exposes
 * them: argument checks, then the kernel's element-wise operations.
 *
 * <p>Softmax: {@code dx = y ⊙ (dy − s)} with {@code s = Σ y·dy}. The dot product is a double sum of exact double
 * products ({@link SoftmaxKernel#dotProduct}), and {@code y·(dy − s)} is evaluated in double and rounded once
 * ({@link SoftmaxKernel#subtractAndMultiply}), so each element is within about half an ulp of {@code y_i · max|dy|}:
 * a float {@code dy − (float) s} would add up to an ulp of {@code max|dy|} before the multiply.
 *
 * <p>Log-softmax: {@code dx = g − exp(logp) · s} with {@code s = Σ g} (in double). {@code exp(logp)} comes from the
 * kernel's one exp loop ({@link SoftmaxKernel#storeExpMinusMaxAndSum} with max 0, so the shift {@code logp − 0} is
 * exact), a block of {@link #BLOCK} floats at a time into a per-thread scratch array, so that {@code dx} may be the
 * {@code g} or the {@code logp} range: each block of both is read before its {@code dx} block is written; the row's
 * min, from the same pass as its max, lets the exp loop skip its underflow test. A row with an element above 0 (not
 * log-probabilities: exp could overflow, and max 0 would not bound it), or with a positive NaN (which that pass
 * reports as the max), takes a scalar path with {@link StrictMath#exp} in double.
 *
 * <p>Special values follow IEEE arithmetic on the formulas, as PyTorch's backward kernels do: a NaN in {@code dy}
 * (or {@code y}) makes {@code s} and so every {@code dx} NaN; a NaN {@code logp_i} makes {@code dx_i} NaN;
 * {@code logp_i = −inf} gives {@code dx_i = g_i} (when {@code s} is finite).
 */
final class SoftmaxBackward {
    private SoftmaxBackward() {}

    /** Floats of exp(logp) per scratch block: 4 KiB, so the scratch stays in L1 beside the rows' blocks. */
    static final int BLOCK = 1024;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[BLOCK]);

    static void softmaxBackward(SoftmaxKernel kernel, float[] y, int yOffset, float[] dy, int dyOffset, float[] dx,
                                int dxOffset, int length) {
        checkRanges("y", y, yOffset, "dy", dy, dyOffset, dx, dxOffset, length);
        softmaxBackwardRow(kernel, y, yOffset, dy, dyOffset, dx, dxOffset, length);
    }

    static void logSoftmaxBackward(SoftmaxKernel kernel, float[] logp, int logpOffset, float[] g, int gOffset,
                                   float[] dx, int dxOffset, int length) {
        checkRanges("logp", logp, logpOffset, "g", g, gOffset, dx, dxOffset, length);
        logSoftmaxBackwardRow(kernel, logp, logpOffset, g, gOffset, dx, dxOffset, length);
    }

    static void softmaxBackwardRows(SoftmaxKernel kernel, float[] y, float[] dy, float[] dx, int rows, int cols) {
        checkRows("y", y, "dy", dy, dx, rows, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            softmaxBackwardRow(kernel, y, o, dy, o, dx, o, cols);
        }
    }

    static void logSoftmaxBackwardRows(SoftmaxKernel kernel, float[] logp, float[] g, float[] dx, int rows,
                                       int cols) {
        checkRows("logp", logp, "g", g, dx, rows, cols);
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            logSoftmaxBackwardRow(kernel, logp, o, g, o, dx, o, cols);
        }
    }

    private static void softmaxBackwardRow(SoftmaxKernel kernel, float[] y, int yOffset, float[] dy, int dyOffset,
                                           float[] dx, int dxOffset, int length) {
        if (length == 0) {
            return;
        }
        double s = kernel.dotProduct(y, yOffset, dy, dyOffset, length);
        kernel.subtractAndMultiply(y, yOffset, dy, dyOffset, dx, dxOffset, length, s);
    }

    private static void logSoftmaxBackwardRow(SoftmaxKernel kernel, float[] logp, int logpOffset, float[] g,
                                              int gOffset, float[] dx, int dxOffset, int length) {
        if (length == 0) {
            return;
        }
        double s = kernel.sum(g, gOffset, length);
        long maxAndMin = kernel.maxAndMin(logp, logpOffset, length);
        if (!(SoftmaxKernel.maxOf(maxAndMin) <= 0)) {  // an element above 0, or a positive NaN reported as the max
            for (int i = 0; i < length; i++) {
                dx[dxOffset + i] = (float) ((double) g[gOffset + i] - StrictMath.exp(logp[logpOffset + i]) * s);
            }
            return;
        }
        float[] e = SCRATCH.get();
        for (int start = 0; start < length; start += BLOCK) {
            int size = Math.min(BLOCK, length - start);
            kernel.storeExpMinusMaxAndSum(logp, logpOffset + start, e, 0, size, 0f, SoftmaxKernel.minOf(maxAndMin));
            kernel.subtractScaled(g, gOffset + start, e, 0, dx, dxOffset + start, size, s);
        }
    }

    /**
     * Nulls, bounds, and dx against each input: the same range (in place) or disjoint. The two inputs may overlap
     * each other: they are only read.
     */
    private static void checkRanges(String aName, float[] a, int aOffset, String bName, float[] b, int bOffset,
                                    float[] dx, int dxOffset, int length) {
        Objects.requireNonNull(a, aName);
        Objects.requireNonNull(b, bName);
        Objects.requireNonNull(dx, "dx");
        Objects.checkFromIndexSize(aOffset, length, a.length);
        Objects.checkFromIndexSize(bOffset, length, b.length);
        Objects.checkFromIndexSize(dxOffset, length, dx.length);
        checkOverlap(aName, a, aOffset, dx, dxOffset, length);
        checkOverlap(bName, b, bOffset, dx, dxOffset, length);
    }

    private static void checkOverlap(String name, float[] a, int aOffset, float[] dx, int dxOffset, int length) {
        if (a == dx && aOffset != dxOffset && Math.abs(aOffset - dxOffset) < length) {
            throw new IllegalArgumentException(name + " [" + aOffset + ", " + (aOffset + length) + ") and dx ["
                    + dxOffset + ", " + (dxOffset + length)
                    + ") overlap in one array: use the same range (in place) or disjoint ranges");
        }
    }

    private static void checkRows(String aName, float[] a, String bName, float[] b, float[] dx, int rows, int cols) {
        Objects.requireNonNull(a, aName);
        Objects.requireNonNull(b, bName);
        Objects.requireNonNull(dx, "dx");
        if (rows < 0 || cols < 0) {
            throw new IndexOutOfBoundsException("rows (" + rows + ") and cols (" + cols + ") must not be negative");
        }
        long size = (long) rows * cols;
        Objects.checkFromIndexSize(0L, size, a.length);
        Objects.checkFromIndexSize(0L, size, b.length);
        Objects.checkFromIndexSize(0L, size, dx.length);
    }
}
