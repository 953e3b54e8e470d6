package org.softmax4j.bench;

import org.softmax4j.ReferenceSoftmax;

/**
 * One benchmark trial's data: the fixed input, the output array and the prepared contender, checked once against
 * the double-precision reference so a broken contender fails loudly instead of posting a fast wrong number.
 */
final class Workload implements AutoCloseable {
    final float[] src;
    final float[] dst;
    final SoftmaxRun run;

    Workload(String contender, Op op, int rows, int cols) {
        int n = Math.multiplyExact(rows, cols);
        src = Inputs.benchmarkRow(n);
        dst = new float[n];
        run = Contender.of(contender).prepare(op, rows, cols);
        run.apply(src, dst);
        verify(contender, op, rows, cols);
    }

    /**
     * Catches a contender that computes the wrong function, not one that is inaccurate (the accuracy report measures
     * that): the float-sum baselines are legitimately off by percents at 16M elements. So it checks the shape of the
     * row against the reference, normalization apart (y[i] / y[top] for softmax, y[i] - y[top] for log-softmax, to
     * 1e-3), and the normalization itself loosely (sum of probabilities, or log-probability of the top element).
     */
    private void verify(String contender, Op op, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double[] ref = op == Op.SOFTMAX
                    ? ReferenceSoftmax.softmax(src, o, cols)
                    : ReferenceSoftmax.logSoftmax(src, o, cols);
            int top = 0;
            for (int i = 1; i < cols; i++) {
                if (ref[i] > ref[top]) {
                    top = i;
                }
            }
            double yTop = dst[o + top];
            double sum = 0;
            for (int i = 0; i < cols; i++) {
                double y = dst[o + i];
                boolean ok;
                if (op == Op.SOFTMAX) {
                    sum += y;
                    // y[i] / y[top] against ref[i] / ref[top], cross-multiplied; tiny references by absolute error.
                    ok = Math.abs(y * ref[top] - ref[i] * yTop) <= (1e-3 * ref[i] + 1e-30) * yTop;
                } else {
                    double expected = ref[i] - ref[top];
                    ok = Math.abs((y - yTop) - expected) <= 1e-3 * Math.max(1, Math.abs(expected));
                }
                if (!ok) {
                    throw new IllegalStateException(contender + " " + op + " " + rows + "x" + cols
                            + " computes the wrong function at row " + r + " column " + i + ": " + y
                            + " (top element " + yTop + "), reference " + ref[i] + " (top " + ref[top] + ")");
                }
            }
            boolean normalized = op == Op.SOFTMAX
                    ? Math.abs(sum - 1) <= 0.1
                    : Math.abs(yTop - ref[top]) <= 0.1 * Math.max(1, Math.abs(ref[top]));
            if (!normalized) {
                throw new IllegalStateException(contender + " " + op + " " + rows + "x" + cols + " row " + r
                        + " is not normalized: " + (op == Op.SOFTMAX ? "sum " + sum : "top log-probability " + yTop
                        + ", reference " + ref[top]));
            }
        }
        java.util.Arrays.fill(dst, 0f);
    }

    @Override
    public void close() {
        run.close();
    }
}
