package org.softmax4j;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cross-entropy loss of a batch of logit rows against class targets, and its gradient with respect to the logits,
 * fused: PyTorch's {@code F.cross_entropy(logits, targets, ignore_index=, label_smoothing=, reduction=)} (no class
 * weights) on a row-major {@code rows x cols} float batch. Configure once, call from any thread: instances are
 * immutable and keep no per-call state (the few bytes of per-block scratch are per thread, reused).
 *
 * <pre>{@code
 * CrossEntropy ce = CrossEntropy.builder().labelSmoothing(0.1f).build();   // MEAN, ignoreIndex -100
 * float[] logits = model.forward(batch);                                    // rows x vocab
 * double loss = ce.lossAndGradient(logits, rows, vocab, targets, logits);  // gradient in place of the logits
 * model.backward(logits);
 * }</pre>
 *
 * <p><b>Semantics.</b> For a row with logits {@code x}, target {@code t} and smoothing {@code ε} over {@code C}
 * classes: {@code loss = LSE(x) − (1 − ε)·x_t − (ε/C)·Σ_j x_j} with {@code LSE(x) = log Σ_j exp(x_j)}; gradient
 * {@code softmax(x) − (1 − ε)·onehot(t) − ε/C}. Rows whose target is {@code ignoreIndex} add nothing and get a zero
 * gradient row. {@code SUM} adds the row losses; {@code MEAN} divides the sum, and the gradient, by the number of
 * rows not ignored. Logits of −inf (masked classes) follow PyTorch: they get probability 0 and cost nothing unless
 * they are the target or smoothing spreads mass onto them (then the loss is +inf). A row with a NaN or +inf logit, or
 * with every logit −inf, has a NaN loss (so the batch's loss is NaN) and a NaN gradient row, as in PyTorch.
 *
 * <p><b>One difference from PyTorch:</b> {@code MEAN} over a batch whose targets are all ignored returns 0 with a
 * zero gradient, where PyTorch returns NaN (0/0). A fully padded micro-batch happens in practice (the tail of a
 * packed sequence, a batch of only prompt tokens); a NaN there poisons the running loss and, once multiplied into the
 * optimizer's state, the weights. There are no rows to learn from, so "no loss, no gradient" is the useful answer.
 *
 * <p><b>Accuracy.</b> The loss is a double sum of per-row losses computed with the kernel's accurate log-sum-exp
 * ({@link SoftmaxKernel#logSumExpMinusMax}: exact shifts, the max's own terms counted apart), so a confident row's
 * loss, {@code log(1 + R)} with {@code R} around 1e-9, keeps its relative accuracy (≤ 1e-6, far better in
 * practice). Terms below {@code exp(−131)} of a row's max are dropped there, so a row loss below about
 * {@code cols · 1e-57} (a target some 230 above every other logit) may come out as 0. The gradient's non-target elements are the blocked softmax's probabilities (the softmax accuracy
 * contract), scaled and shifted by {@code ε/C} in one rounding. The target element {@code −(1 − p_t)} is <i>not</i>
 * computed as {@code p_t − 1}: for a confident row {@code p_t} is within a few ulp of 1, and the float subtraction
 * would keep only those few ulp of the answer (thousands of ulp of error). Instead {@code 1 − p_t = −expm1(−nll)}
 * where {@code nll = LSE(x) − x_t = log(1 + Σ_{j≠t} exp(x_j − x_t))} is the accurate row loss: mathematically the sum
 * of the non-target probabilities, with no cancellation.
 *
 * <p><b>Passes.</b> Rows are processed in blocks of {@link #BLOCK} floats. {@link #lossAndGradient} reads each block
 * of a row from memory once, while it is in L1 computes its max, its log-sum-exp, its sum (for smoothing) and stores
 * {@code exp(x − blockMax)} into the gradient; a second pass scales each block by {@code exp(blockMax − max)/Σ}
 * (and subtracts {@code ε/C}). Two passes over each row, so {@code gradient} may be {@code logits} itself: a row's
 * logits are read before its gradient overwrites them. {@link #loss} makes only the first pass, without the store.
 *
 * <p><b>Arguments</b> are checked before anything is written: {@code null} throws {@link NullPointerException}; a
 * negative {@code rows} or {@code cols}, arrays shorter than {@code rows * cols}, {@code targets} shorter than
 * {@code rows}, or a target outside {@code [0, cols)} that is not {@code ignoreIndex} throw
 * {@link IndexOutOfBoundsException} (the message names the row and the target). The logits are not modified unless
 * they are also the gradient. Results are deterministic (bitwise the same for the same input, on every thread).
 */
public final class CrossEntropy {
    /** How row losses are combined into the batch loss (and the gradient scaled). */
    public enum Reduction {
        /** The mean over the rows whose target is not ignored (PyTorch's default); see the class note for none. */
        MEAN,
        /** The sum over the rows whose target is not ignored. */
        SUM
    }

    /** Floats per block of a row (16 KiB of logits and 16 KiB of gradient fit L1 together), as BlockedSoftmax. */
    static final int BLOCK = 4096;

    private final int ignoreIndex;
    private final float labelSmoothing;
    private final Reduction reduction;
    private final SoftmaxKernel kernel;

    private CrossEntropy(int ignoreIndex, float labelSmoothing, Reduction reduction, SoftmaxKernel kernel) {
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
        this.reduction = reduction;
        this.kernel = kernel;
    }

    /**
     * A builder with PyTorch's defaults: {@code ignoreIndex} −100, no label smoothing, {@link Reduction#MEAN}.
     *
     * <pre>{@code CrossEntropy ce = CrossEntropy.builder().ignoreIndex(0).reduction(CrossEntropy.Reduction.SUM).build();}</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** This configuration on another kernel (tests and the bench force the scalar one). */
    CrossEntropy withKernel(SoftmaxKernel other) {
        return new CrossEntropy(ignoreIndex, labelSmoothing, reduction, Objects.requireNonNull(other));
    }

    /** The target value that marks a row to skip; {@code CrossEntropy.builder().build().ignoreIndex() == -100}. */
    public int ignoreIndex() {
        return ignoreIndex;
    }

    /** The label smoothing ε in [0, 1); {@code CrossEntropy.builder().build().labelSmoothing() == 0f}. */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /** The reduction; {@code CrossEntropy.builder().build().reduction() == Reduction.MEAN}. */
    public Reduction reduction() {
        return reduction;
    }

    /**
     * The loss of a row-major {@code rows x cols} batch of logits against {@code targets[0 .. rows)}; see the class
     * javadoc for the formula, the reductions and the special values.
     *
     * <pre>{@code
     * float[] logits = {2f, 1f, 0.1f,
     *                   0.5f, 2.5f, 0.3f};
     * double loss = CrossEntropy.builder().build().loss(logits, 2, 3, new int[] {0, 1});   // 0.3185...
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, {@code logits} is shorter than
     *                                   {@code rows * cols}, {@code targets} shorter than {@code rows}, or a target
     *                                   is outside {@code [0, cols)} and not {@code ignoreIndex}
     */
    public double loss(float[] logits, int rows, int cols, int[] targets) {
        Objects.requireNonNull(logits, "logits");
        int counted = checkAndCount(logits, rows, cols, targets, null);
        return run(logits, rows, cols, targets, null, counted);
    }

    /**
     * The loss, as {@link #loss}, and its gradient with respect to the logits written to {@code gradient[0 ..
     * rows*cols)}; {@code gradient} may be {@code logits} itself (in place). Ignored rows get a zero gradient row;
     * under {@code MEAN} the gradient is divided by the number of rows not ignored.
     *
     * <pre>{@code
     * CrossEntropy ce = CrossEntropy.builder().build();
     * float[] logits = {2f, 1f, 0.1f,
     *                   0.5f, 2.5f, 0.3f};
     * double loss = ce.lossAndGradient(logits, 2, 3, new int[] {0, 1}, logits);
     * // loss = 0.3185..., logits now = (softmax(row) - onehot(target)) / 2 for each row
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException as {@link #loss}, or if {@code gradient} is shorter than {@code rows * cols}
     */
    public double lossAndGradient(float[] logits, int rows, int cols, int[] targets, float[] gradient) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(gradient, "gradient");
        int counted = checkAndCount(logits, rows, cols, targets, gradient);
        return run(logits, rows, cols, targets, gradient, counted);
    }

    private double run(float[] logits, int rows, int cols, int[] targets, float[] gradient, int counted) {
        // MEAN over no counted rows: 0 (PyTorch: NaN; see the class javadoc). The gradient is then all zero rows.
        double weight = reduction == Reduction.SUM || counted == 0 ? 1.0 : 1.0 / counted;
        double total = 0;
        for (int r = 0, offset = 0; r < rows; r++, offset += cols) {
            int t = targets[r];
            if (t == ignoreIndex) {
                if (gradient != null) {
                    Arrays.fill(gradient, offset, offset + cols, 0f);
                }
                continue;
            }
            total += CrossEntropyRow.loss(kernel, logits, offset, cols, t, labelSmoothing, gradient, weight);
        }
        return counted == 0 ? 0 : reduction == Reduction.MEAN ? total / counted : total;
    }

    /** Checks everything before anything is written; returns the number of rows not ignored. */
    private int checkAndCount(float[] logits, int rows, int cols, int[] targets, float[] gradient) {
        Objects.requireNonNull(targets, "targets");
        if (rows < 0 || cols < 0) {
            throw new IndexOutOfBoundsException("rows (" + rows + ") and cols (" + cols + ") must not be negative");
        }
        long size = (long) rows * cols;
        Objects.checkFromIndexSize(0L, size, logits.length);
        if (gradient != null) {
            Objects.checkFromIndexSize(0L, size, gradient.length);
        }
        if (targets.length < rows) {
            throw new IndexOutOfBoundsException("targets has " + targets.length + " elements for " + rows + " rows");
        }
        int counted = 0;
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t == ignoreIndex) {
                continue;
            }
            if (t < 0 || t >= cols) {
                throw new IndexOutOfBoundsException("target " + t + " of row " + r + " is outside [0, " + cols
                        + ") and is not the ignoreIndex " + ignoreIndex);
            }
            counted++;
        }
        return counted;
    }

    @Override
    public String toString() {
        return "CrossEntropy[ignoreIndex=" + ignoreIndex + ", labelSmoothing=" + labelSmoothing + ", reduction="
                + reduction + "]";
    }

    /** Configures a {@link CrossEntropy}; not thread-safe, reusable. */
    public static final class Builder {
        private int ignoreIndex = -100;
        private float labelSmoothing = 0f;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {}

        /**
         * Rows whose target equals this are skipped (PyTorch's {@code ignore_index}, default −100). It may be a
         * valid class, e.g. 0 for a padding token.
         *
         * <pre>{@code CrossEntropy.builder().ignoreIndex(0).build()}</pre>
         */
        public Builder ignoreIndex(int value) {
            ignoreIndex = value;
            return this;
        }

        /**
         * Label smoothing ε in [0, 1) (PyTorch's {@code label_smoothing}, default 0): the target distribution becomes
         * {@code (1 − ε)·onehot(t) + ε/C}.
         *
         * <pre>{@code CrossEntropy.builder().labelSmoothing(0.1f).build()}</pre>
         *
         * @throws IllegalArgumentException if {@code value} is NaN or outside [0, 1)
         */
        public Builder labelSmoothing(float value) {
            if (!(value >= 0f && value < 1f)) {
                throw new IllegalArgumentException("labelSmoothing must be in [0, 1), got " + value);
            }
            labelSmoothing = value;
            return this;
        }

        /**
         * How row losses combine (default {@link Reduction#MEAN}).
         *
         * <pre>{@code CrossEntropy.builder().reduction(CrossEntropy.Reduction.SUM).build()}</pre>
         *
         * @throws NullPointerException if {@code value} is null
         */
        public Builder reduction(Reduction value) {
            reduction = Objects.requireNonNull(value, "reduction");
            return this;
        }

        /**
         * The configured instance.
         *
         * <pre>{@code CrossEntropy ce = CrossEntropy.builder().build();}</pre>
         */
        public CrossEntropy build() {
            return new CrossEntropy(ignoreIndex, labelSmoothing, reduction, Softmax.KERNEL);
        }
    }
}
