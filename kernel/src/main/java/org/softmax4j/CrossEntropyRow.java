package org.softmax4j;

import java.util.Arrays;

/**
 * One row of {@link CrossEntropy}: its loss and, optionally, its gradient, composed from the kernel's microkernels in
 * blocks of {@link CrossEntropy#BLOCK} floats (see the class javadoc there for the passes and the accuracy argument).
 *
 * <p>The row's log-sum-exp from the blocks' own: block {@code b} gives {@code lse_b = log Σ exp(x − m_b)}, accurate
 * relative to its size ({@link SoftmaxKernel#logSumExpMinusMax}). With {@code m} the row max, the {@code k} blocks
 * whose max is {@code m} contribute {@code 1 + expm1(lse_b)} each and the others {@code exp(m_b − m + lse_b)}, so
 * {@code log Σ exp(x − m) = log(k) + log1p(B / k)} with {@code B} the sum of the {@code expm1} terms and the others:
 * all nonnegative, nothing cancels, and a confident row's {@code log(1 + 1e-9)} keeps its digits (where
 * {@code log(exp(lse_b) + ...)} would round {@code 1 + 1e-9} first). For one block, {@code k = 1}, and
 * {@code expm1(lse_b)} recovers the block's below-max sum to double rounding, the same value {@code log1p} took.
 *
 * <p>Per-block values live in a per-thread scratch array of 3 doubles per block (96 bytes per 128 KiB of row), grown
 * on demand and kept, so a call allocates nothing once warm.
 */
final class CrossEntropyRow {
    private CrossEntropyRow() {}


    /**
     * The loss of the row {@code x[offset .. offset+cols)} with target {@code t} (in {@code [0, cols)}) and smoothing
     * {@code ε}. If {@code gradient} is not null, also writes {@code weight · (softmax(x) − (1 − ε)·onehot(t) − ε/C)}
     * to the same positions of {@code gradient}, which may be {@code x}. A row with NaN, +inf or only −inf gives NaN
     * (and a NaN gradient row).
     */
    static double loss(SoftmaxKernel kernel, float[] x, int offset, int cols, int t, float smoothing,
                       float[] gradient, double weight) {
        float target = x[offset + t];  // before the gradient overwrites it (in place)
        int blocks = (cols - 1) / CrossEntropy.BLOCK + 1;
        double[] scratch = BlockedSoftmax.scratch(3 * blocks);
        float max = Float.NEGATIVE_INFINITY;
        double sum = 0;
        for (int b = 0, start = 0; b < blocks; b++, start += CrossEntropy.BLOCK) {
            int size = Math.min(CrossEntropy.BLOCK, cols - start);
            int at = offset + start;
            float blockMax;
            float blockMin = Float.NEGATIVE_INFINITY;  // the loss alone runs no exp loop
            if (gradient == null) {
                blockMax = kernel.max(x, at, size);  // NaN found here: the loss path has no exp sum to find it
            } else {
                // The gradient path's exp sum is NaN if the block holds a NaN, so it may take the cheaper max pass,
                // whose min also lets the exp loop skip its underflow test (a positive NaN comes out as the max).
                long maxAndMin = kernel.maxAndMin(x, at, size);
                blockMax = SoftmaxKernel.maxOf(maxAndMin);
                blockMin = SoftmaxKernel.minOf(maxAndMin);
                if (blockMax == Float.NEGATIVE_INFINITY) {
                    blockMax = kernel.max(x, at, size);  // all -inf, or NaN among them
                }
            }
            if (!(blockMax < Float.POSITIVE_INFINITY)) {
                return specialRow(gradient, offset, cols);
            }
            if (smoothing != 0) {
                sum += kernel.sum(x, at, size);
            }
            double logSum = 0;
            double expSum = 0;
            if (blockMax != Float.NEGATIVE_INFINITY) {
                logSum = kernel.logSumExpMinusMax(x, at, size, blockMax);
                if (gradient != null) {
                    expSum = kernel.storeExpMinusMaxAndSum(x, at, gradient, at, size, blockMax, blockMin);
                    if (Double.isNaN(expSum)) {
                        return specialRow(gradient, offset, cols);
                    }
                }
                max = Math.max(max, blockMax);
            } else if (gradient != null) {
                Arrays.fill(gradient, at, at + size, 0f);  // masked block: exp 0
            }
            scratch[3 * b] = blockMax;
            scratch[3 * b + 1] = logSum;
            scratch[3 * b + 2] = expSum;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return specialRow(gradient, offset, cols);  // every logit -inf: PyTorch's log-softmax is NaN
        }
        int blocksAtMax = 0;
        double belowMax = 0;
        double expTotal = 0;
        for (int b = 0; b < blocks; b++) {
            double blockMax = scratch[3 * b];
            double factor;
            if (blockMax == max) {
                blocksAtMax++;
                belowMax += StrictMath.expm1(scratch[3 * b + 1]);
                factor = 1;
            } else if (blockMax == Double.NEGATIVE_INFINITY) {
                factor = 0;
            } else {
                // StrictMath: the same bits interpreted and compiled (once per block, so cost-free)
                belowMax += StrictMath.exp(blockMax - max + scratch[3 * b + 1]);
                factor = StrictMath.exp(blockMax - max);
            }
            scratch[3 * b] = factor;
            expTotal += factor * scratch[3 * b + 2];
        }
        double logSum = SoftmaxKernel.logOfSum(blocksAtMax, belowMax);
        double nll = ((double) max - target) + logSum;  // both terms >= 0: no cancellation
        double loss = nll;
        if (smoothing != 0) {
            double uniform = ((double) max - sum / cols) + logSum;  // -mean(log p): both terms >= 0
            loss = (1 - (double) smoothing) * nll + smoothing * uniform;
        }
        if (gradient != null) {
            double inverse = weight / expTotal;
            double shift = weight * smoothing / cols;
            for (int b = 0, start = 0; b < blocks; b++, start += CrossEntropy.BLOCK) {
                int size = Math.min(CrossEntropy.BLOCK, cols - start);
                // every block, even with factor 0: exps up to 1 of a block far below the max must become 0
                if (shift == 0) {
                    kernel.scale(gradient, offset + start, size, scratch[3 * b] * inverse);
                } else {
                    kernel.scaleAndSubtract(gradient, offset + start, size, scratch[3 * b] * inverse, shift);
                }
            }
            // p_t - (1 - ε) - ε/C = ε(C-1)/C - (1 - p_t), with 1 - p_t = 1 - exp(-nll) = -expm1(-nll): the sum of the
            // other classes' probabilities, without the cancellation of a float p_t - 1
            double oneMinusPt = -StrictMath.expm1(-nll);
            gradient[offset + t] = (float) (weight * (smoothing * ((cols - 1.0) / cols) - oneMinusPt));
        }
        return loss;
    }

    private static double specialRow(float[] gradient, int offset, int cols) {
        if (gradient != null) {
            Arrays.fill(gradient, offset, offset + cols, Float.NaN);
        }
        return Double.NaN;
    }
}
