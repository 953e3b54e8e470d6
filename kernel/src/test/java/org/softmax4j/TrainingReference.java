package org.softmax4j;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Double-precision references for the training ops, written independently of the implementation: compensated sums,
 * {@link Math#exp}/{@link Math#log}, the textbook formulas. Also the bars the issue states, in one place.
 */
final class TrainingReference {
    private TrainingReference() {}

    /** Neumaier's compensated sum. */
    static final class Sum {
        private double sum;
        private double compensation;

        void add(double term) {
            if (!Double.isFinite(term) || !Double.isFinite(sum)) {
                sum += term;   // an infinite (or NaN) sum has no rounding error to track
                return;
            }
            double t = sum + term;
            compensation += Math.abs(sum) >= Math.abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }

        double value() {
            return Double.isFinite(sum) ? sum + compensation : sum;
        }
    }

    /** Exact softmax backward: y·(dy − Σ y·dy), in double (the products of floats are exact in double). */
    static double[] softmaxBackward(float[] y, int yOffset, float[] dy, int dyOffset, int n) {
        Sum s = new Sum();
        for (int i = 0; i < n; i++) {
            s.add((double) y[yOffset + i] * dy[dyOffset + i]);
        }
        double[] dx = new double[n];
        for (int i = 0; i < n; i++) {
            dx[i] = y[yOffset + i] * ((double) dy[dyOffset + i] - s.value());
        }
        return dx;
    }

    /** Σ g in double, compensated. */
    static double sum(float[] g, int offset, int n) {
        Sum s = new Sum();
        for (int i = 0; i < n; i++) {
            s.add(g[offset + i]);
        }
        return s.value();
    }

    /** Exact log-softmax backward: g − exp(logp)·Σ g. */
    static double[] logSoftmaxBackward(float[] logp, int logpOffset, float[] g, int gOffset, int n) {
        double s = sum(g, gOffset, n);
        double[] dx = new double[n];
        for (int i = 0; i < n; i++) {
            dx[i] = g[gOffset + i] - Math.exp(logp[logpOffset + i]) * s;
        }
        return dx;
    }

    /** PyTorch's cross-entropy row loss with label smoothing eps: (1−ε)(LSE − x_t) + ε·mean_j(LSE − x_j). */
    static double rowLoss(float[] x, int offset, int cols, int t, double eps) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[offset + j]);
        }
        double logSum = ReferenceSoftmax.logSumExp(x, offset, cols);  // log Σ exp(x − max), accurate when tiny
        double nll = (max - x[offset + t]) + logSum;
        if (eps == 0) {
            return nll;
        }
        Sum gaps = new Sum();   // Σ (max − x_j) >= 0
        for (int j = 0; j < cols; j++) {
            if (x[offset + j] == Float.NEGATIVE_INFINITY) {
                return Double.POSITIVE_INFINITY;   // smoothing puts mass on a class of probability 0
            }
            gaps.add(max - x[offset + j]);
        }
        return (1 - eps) * nll + eps * (gaps.value() / cols + logSum);
    }

    /** The batch loss; MEAN over no rows is 0 (softmax4j's documented choice). */
    static double loss(float[] logits, int rows, int cols, int[] targets, int ignoreIndex, double eps, boolean mean) {
        Sum total = new Sum();
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            if (targets[r] != ignoreIndex) {
                total.add(rowLoss(logits, r * cols, cols, targets[r], eps));
                counted++;
            }
        }
        return counted == 0 ? 0 : mean ? total.value() / counted : total.value();
    }

    /** The weight of each row's gradient: 1/N for MEAN (N rows not ignored), 1 for SUM. */
    static double weight(int rows, int[] targets, int ignoreIndex, boolean mean) {
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            counted += targets[r] != ignoreIndex ? 1 : 0;
        }
        return mean && counted > 0 ? 1.0 / counted : 1.0;
    }

    /**
     * The exact gradient of one row: w·(p_j − ε/C) off target, w·(ε(C−1)/C − Σ_{j≠t} p_j) at the target, with p the
     * exact softmax of the float logits.
     */
    static double[] rowGradient(float[] x, int offset, int cols, int t, double eps, double w) {
        double[] p = ReferenceSoftmax.softmax(x, offset, cols);
        Sum others = new Sum();
        double[] g = new double[cols];
        for (int j = 0; j < cols; j++) {
            if (j != t) {
                others.add(p[j]);
                g[j] = w * (p[j] - eps / cols);
            }
        }
        g[t] = w * (eps * (cols - 1.0) / cols - others.value());
        return g;
    }

    /** Error of {@code actual} in ulps of {@code scale} (absolute within MIN_NORMAL below it); NaN-aware. */
    static double ulps(float actual, double exact, double scale) {
        if (actual == exact || (Float.isNaN(actual) && Double.isNaN(exact))) {
            return 0;
        }
        if (Float.isNaN(actual) || Double.isNaN(exact) || Double.isInfinite(exact)) {
            return Double.POSITIVE_INFINITY;
        }
        double error = Math.abs(actual - exact);
        if (scale < Float.MIN_NORMAL) {
            return error <= Float.MIN_NORMAL ? 0 : error / Math.ulp(Float.MIN_NORMAL);
        }
        return error / Math.ulp((float) scale);
    }

    /** Asserts each element within {@code bar} ulps of {@code max(|exact_i|, floor_i)}. */
    static void assertWithin(String what, double bar, float[] actual, int offset, double[] exact, double[] floor) {
        for (int i = 0; i < exact.length; i++) {
            double scale = Math.max(Math.abs(exact[i]), floor[i]);
            double error = ulps(actual[offset + i], exact[i], scale);
            if (!(error <= bar)) {
                fail(String.format("%s: i=%d got %s, exact %s, scale %s: %.4g ulp > %.0f", what, i,
                        actual[offset + i], exact[i], scale, error, bar));
            }
        }
    }
}
