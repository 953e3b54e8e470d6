package org.softmax4j;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Softmax and log-softmax of float rows, vectorized with the Vector API where it is enabled.
 *
 * <pre>{@code
 * float[] p = Softmax.softmax(new float[] {2f, 1f, 0.5f, 1.5f});
 * // p = [0.45505423, 0.1674051, 0.10153632, 0.27600434]
 *
 * float[] logits = ...;               // 8 rows of 32000 vocabulary logits
 * Softmax.softmaxRows(logits, logits, 8, 32000);     // in place
 * }</pre>
 *
 * <p><b>Set-up.</b> Run the JVM with {@code --add-modules jdk.incubator.vector}. Without it every method still
 * works, on a scalar kernel, and one warning is logged through {@link System.Logger} (logger
 * {@code org.softmax4j}). {@link #implementation()} says which kernel runs. {@code -Dsoftmax4j.vectorBits=128|256}
 * forces narrower vectors than the CPU prefers.
 *
 * <p><b>Semantics</b>, per row, as PyTorch and oneDNN users expect, with the max shift of safe softmax:
 * <ul>
 *   <li>A row containing NaN gives NaN everywhere (log-softmax too).</li>
 *   <li>{@code +inf} entries share the probability equally, every other entry gets 0 (log-softmax:
 *       {@code log(1/k)} for the k infinite entries, {@code -inf} for the others).</li>
 *   <li>A fully masked row (all {@code -inf}) gives all 0 (log-softmax: all {@code -inf}); {@code -inf} entries
 *       of any other row give exactly 0 ({@code -inf}).</li>
 *   <li>Length 0 writes nothing; a single finite element gives 1 (log-softmax: 0).</li>
 *   <li>Finite extremes such as {@code ±Float.MAX_VALUE} stay finite and correct.</li>
 *   <li>Probabilities below {@link Float#MIN_NORMAL} may be flushed to 0.</li>
 * </ul>
 *
 * <p><b>Accuracy.</b> Every output is within {@code 3 + 2^23 · (ulp(fl(x_i − max)) + Σ_j p_j · ulp(fl(x_j − max)))}
 * ulp of the exact softmax {@code p} of the float inputs: 3 ulp beyond the worst case of the float rounding of the
 * shifts {@code x − max} that every float32 softmax pays (see {@link UlpError#softmaxContract}), at every length.
 * The normalizer is never accumulated in float across a row, so unlike float32-accumulating libraries the error does
 * not grow with the row length. Log-softmax is within 4 ulp of {@code max(|result|, log Σ)}.
 *
 * <p><b>Fused variants</b> (for attention rows: {@link #softmax(float[], int, float[], int, int, float) scaled},
 * {@link #maskedSoftmaxRows masked}, {@link #causalSoftmaxRows causal}; strided rows with
 * {@link #softmaxRows(float[], int, int, float[], int, int, int, int)}): the softmax of {@code v = scale · x + mask}
 * in one call, with no pass of its own for the transform: each block's max pass stores {@code v}, rounded once (a
 * fused multiply-add), and the exp reads it back from L1. Accuracy: the contract above for the exact softmax of
 * {@code v}, plus the one float rounding of {@code v_i} and of {@code max v} that the unfused composition pays too,
 * {@code 2^23 · (ulp(fl(v_i)) + ulp(fl(max v)))} ulps (to first order; when {@code |v|} is so large that its ulp
 * nears 1, the rounding moves {@code p} by up to {@code e^(ulp/2)}, as it does for any float32 composition). Plain
 * strided and parallel rows keep the plain contract, bitwise equal to {@link #softmax(float[], int, float[], int,
 * int)} on each row.
 *
 * <p><b>Arguments.</b> {@code src} and {@code dst} may be the same range (in place) or disjoint; partially
 * overlapping ranges of one array are rejected with {@link IllegalArgumentException}. {@code null} arrays throw
 * {@link NullPointerException}; negative or out-of-range offsets, lengths, rows or columns throw
 * {@link IndexOutOfBoundsException}. Every check happens before anything is written, and {@code src} is never
 * modified unless it is also {@code dst}.
 *
 * <p><b>Determinism.</b> The same input gives bitwise the same output on every call and thread, and
 * {@code softmaxRows} equals row-by-row {@code softmax}. Results may differ in the last bits between kernels
 * (vector widths, scalar), i.e. between machines or JVM flags.
 */
public final class Softmax {
    private Softmax() {}

    static final SoftmaxKernel KERNEL = KernelProvider.choose();

    /**
     * The kernel in use, e.g. {@code "vector-256 (AVX2)"}, {@code "vector-512 (AVX-512)"} or
     * {@code "scalar (jdk.incubator.vector not enabled)"}.
     */
    public static String implementation() {
        return KERNEL.description();
    }

    /**
     * The softmax of {@code x} in a new array: {@code exp(x[i] - max) / Σ exp(x[j] - max)}.
     *
     * <pre>{@code Softmax.softmax(new float[] {2f, -1f})  // [0.95257413, 0.04742587]}</pre>
     *
     * @throws NullPointerException if {@code x} is null
     */
    public static float[] softmax(float[] x) {
        Objects.requireNonNull(x, "x");
        float[] y = new float[x.length];
        softmax(x, 0, y, 0, x.length);
        return y;
    }

    /**
     * Writes the softmax of {@code src[srcOffset .. srcOffset+length)} to {@code dst[dstOffset ..)}.
     *
     * <pre>{@code
     * float[] scores = {3f, 1f, 0.2f, Float.NEGATIVE_INFINITY};   // last position masked
     * Softmax.softmax(scores, 0, scores, 0, scores.length);       // in place; scores[3] == 0
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its array
     * @throws IllegalArgumentException  if the ranges are in one array and overlap without being equal
     */
    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        RowSoftmax.softmax(KERNEL, src, srcOffset, dst, dstOffset, length);
    }

    /**
     * Writes the log-softmax of {@code src[srcOffset .. srcOffset+length)} to {@code dst[dstOffset ..)}:
     * {@code x[i] - max - log Σ exp(x[j] - max)}, without forming the probabilities, so it stays accurate where
     * {@code log(softmax(x))} would underflow to {@code -inf}.
     *
     * <pre>{@code
     * float[] logits = {2f, 1f, 0.5f, 1.5f};
     * float[] logp = new float[4];
     * Softmax.logSoftmax(logits, 0, logp, 0, 4);   // logp[0] == -0.78735... (log 0.45505423)
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its array
     * @throws IllegalArgumentException  if the ranges are in one array and overlap without being equal
     */
    public static void logSoftmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        RowSoftmax.logSoftmax(KERNEL, src, srcOffset, dst, dstOffset, length);
    }

    /**
     * Softmax of each row of a row-major {@code rows x cols} matrix stored contiguously from index 0 of
     * {@code src}, written to the same positions of {@code dst}. {@code dst} may be {@code src} (in place).
     * Elements past {@code rows * cols} are not read or written. Each row's result is bitwise what
     * {@link #softmax(float[], int, float[], int, int)} gives for it.
     *
     * <pre>{@code
     * float[] attention = new float[heads * seq];   // one row of scores per head
     * Softmax.softmaxRows(attention, attention, heads, seq);
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or {@code rows * cols}
     *                                   exceeds either array's length
     */
    public static void softmaxRows(float[] src, float[] dst, int rows, int cols) {
        softmaxRows(src, 0, cols, dst, 0, cols, rows, cols);
    }

    /**
     * Log-softmax of each row of a row-major {@code rows x cols} matrix; see {@link #softmaxRows}.
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or {@code rows * cols}
     *                                   exceeds either array's length
     */
    public static void logSoftmaxRows(float[] src, float[] dst, int rows, int cols) {
        ArrayArguments.checkStridedRows(src, 0, cols, dst, 0, cols, rows, cols);
        RowSoftmax.logSoftmaxRows(KERNEL, src, dst, rows, cols);
    }

    /**
     * {@link #softmaxRows(float[], float[], int, int)} with the rows split across {@code executor}'s threads, e.g.
     * {@link java.util.concurrent.ForkJoinPool#commonPool()}: one run of consecutive rows per thread, the first on
     * the calling thread; returns when every row is done. Bitwise the same result as the single-threaded call. Work
     * too small to pay for the hand-off (under 2^18 floats per thread) stays on the calling thread. Allocates a few
     * small task objects per split call (the {@link Executor} API needs them).
     *
     * <pre>{@code
     * Softmax.softmaxRows(logits, probs, 64, 32000, ForkJoinPool.commonPool());
     * }</pre>
     *
     * <p>If a task throws, or the executor rejects a task, that exception reaches the caller once every task that
     * started has ended; rows of tasks that did not run may then be unwritten. The executor must run every task it
     * accepts (one that silently discards tasks would leave this call waiting).
     *
     * @throws NullPointerException       if an argument is null
     * @throws IndexOutOfBoundsException  as {@link #softmaxRows(float[], float[], int, int)}
     * @throws RejectedExecutionException if the executor rejects a task
     */
    public static void softmaxRows(float[] src, float[] dst, int rows, int cols, Executor executor) {
        ArrayArguments.checkStridedRows(src, 0, cols, dst, 0, cols, rows, cols);
        Objects.requireNonNull(executor, "executor");
        ParallelRows.run(src, dst, rows, cols, executor,
                (s, d, at, n) -> RowSoftmax.softmaxRow(KERNEL, s, at, 1f, null, 0, d, at, n));
    }

    /**
     * {@link #logSoftmaxRows(float[], float[], int, int)} with the rows split across {@code executor}'s threads,
     * as {@link #softmaxRows(float[], float[], int, int, Executor)} does.
     *
     * @throws NullPointerException       if an argument is null
     * @throws IndexOutOfBoundsException  as {@link #logSoftmaxRows(float[], float[], int, int)}
     * @throws RejectedExecutionException if the executor rejects a task
     */
    public static void logSoftmaxRows(float[] src, float[] dst, int rows, int cols, Executor executor) {
        ArrayArguments.checkStridedRows(src, 0, cols, dst, 0, cols, rows, cols);
        Objects.requireNonNull(executor, "executor");
        ParallelRows.run(src, dst, rows, cols, executor,
                (s, d, at, n) -> RowSoftmax.logSoftmaxRow(KERNEL, s, at, d, at, n));
    }

    /**
     * The softmax of {@code scale · x}: with {@code scale = 1/T} the softmax at temperature {@code T}, with
     * {@code 1/√d} an attention row's scaling. Fused: {@code scale · x} is rounded once to float and goes straight
     * into the softmax, with no pass of its own; the result is within the accuracy contract of the exact softmax of
     * the rounded products (see the class comment, "Fused variants").
     *
     * <pre>{@code
     * float temperature = 0.7f;
     * Softmax.softmax(logits, 0, probs, 0, logits.length, 1f / temperature);
     * }</pre>
     *
     * @throws IllegalArgumentException  if {@code scale} is not finite and positive, or the ranges overlap in one
     *                                   array without being equal
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its array
     */
    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float scale) {
        ArrayArguments.checkScale(scale);
        ArrayArguments.checkRange(src, srcOffset, dst, dstOffset, length);
        RowSoftmax.softmaxRow(KERNEL, src, srcOffset, scale, null, 0, dst, dstOffset, length);
    }

    /**
     * The log-softmax of {@code scale · x} (see {@link #softmax(float[], int, float[], int, int, float)}): the
     * products are rounded once to float, stored into {@code dst}, and the log-softmax runs there in place.
     *
     * <pre>{@code Softmax.logSoftmax(logits, 0, logp, 0, logits.length, 1f / temperature);}</pre>
     *
     * @throws IllegalArgumentException  if {@code scale} is not finite and positive, or the ranges overlap in one
     *                                   array without being equal
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its array
     */
    public static void logSoftmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float scale) {
        ArrayArguments.checkScale(scale);
        ArrayArguments.checkRange(src, srcOffset, dst, dstOffset, length);
        RowSoftmax.logSoftmaxRow(KERNEL, src, srcOffset, scale, dst, dstOffset, length);
    }

    /**
     * Softmax of {@code rows} rows of {@code cols} floats that sit at a stride: row {@code r} is read from
     * {@code src[srcOffset + r·srcStride ..]} and written to {@code dst[dstOffset + r·dstStride ..]}, e.g. one
     * head's rows inside a {@code [seq][heads][seq]} score tensor. Strides are at least {@code cols}; elements
     * between rows are neither read nor written. In place when {@code src == dst} with the same offset and stride;
     * otherwise no src row may share an element with a dst row. Each row is bitwise what
     * {@link #softmax(float[], int, float[], int, int)} gives for it.
     *
     * <pre>{@code
     * // scores[h][q][k] for H heads, T queries, T keys: head h's rows
     * Softmax.softmaxRows(scores, h * T * T, T, scores, h * T * T, T, T, T);
     * // every head at once is the same thing with rows = H * T; one query's rows across heads at stride T * T:
     * Softmax.softmaxRows(scores, q * T, T * T, probs, q * T, T * T, H, T);
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or a row lies outside its array
     * @throws IllegalArgumentException  if a stride is below {@code cols}, or src and dst rows overlap without
     *                                   being the same rows
     */
    public static void softmaxRows(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset,
                                   int dstStride, int rows, int cols) {
        ArrayArguments.checkStridedRows(src, srcOffset, srcStride, dst, dstOffset, dstStride, rows, cols);
        RowSoftmax.softmaxRows(KERNEL, src, srcOffset, srcStride, dst, dstOffset, dstStride, rows, cols);
    }

    /**
     * Masked, scaled attention rows: row {@code r} of {@code dst} is {@code softmax(scale · src_r + mask_r)}, with
     * rows laid out as in {@link #softmaxRows(float[], int, int, float[], int, int, int, int)}. A
     * {@code maskStride} of 0 applies one mask row to every row (a padding mask shared by all heads). {@code -inf}
     * in the mask removes an entry: it gets exactly 0, and a row masked everywhere is all 0. Fused: each element of
     * {@code scale · x + mask} is rounded once (a fused multiply-add) and goes straight into the softmax, with no
     * pass of its own. As everywhere, NaN anywhere in a row's sum makes the row NaN; under IEEE rules a NaN or
     * {@code +inf} score under a {@code -inf} mask is NaN, not masked.
     *
     * <pre>{@code
     * // 32 heads x 1024 keys, one query per row, padding mask shared by every head
     * float[] mask = new float[1024];
     * Arrays.fill(mask, validKeys, 1024, Float.NEGATIVE_INFINITY);
     * Softmax.maskedSoftmaxRows(scores, 0, 1024, mask, 0, 0, scores, 0, 1024, 32, 1024, 1f / (float) Math.sqrt(128));
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or a row lies outside its array
     * @throws IllegalArgumentException  if {@code scale} is not finite and positive, a stride is below {@code cols}
     *                                   (the mask's may also be 0), src and dst rows overlap without being the same
     *                                   rows, or the mask shares an element with a dst row
     */
    public static void maskedSoftmaxRows(float[] src, int srcOffset, int srcStride, float[] mask, int maskOffset,
                                         int maskStride, float[] dst, int dstOffset, int dstStride, int rows,
                                         int cols, float scale) {
        RowSoftmax.maskedSoftmaxRows(KERNEL, src, srcOffset, srcStride, mask, maskOffset, maskStride, dst, dstOffset,
                dstStride, rows, cols, scale);
    }

    /**
     * Causal attention rows, scaled: row {@code r} is the query at position {@code firstPosition + r}, which sees
     * columns {@code c <= firstPosition + r} (all of them once that reaches {@code cols - 1}); its softmax over those
     * columns of {@code scale · src_r} is written to them, and the columns it cannot see are written 0 and never
     * read, so they may hold anything (engines leave them uncomputed; NaN there changes nothing). Rows are laid out
     * as in {@link #softmaxRows(float[], int, int, float[], int, int, int, int)}. Prefill of a prompt is
     * {@code firstPosition = 0}; a chunk of queries continuing after {@code p} cached tokens is
     * {@code firstPosition = p}.
     *
     * <pre>{@code
     * // prefill: T queries x T keys, per head, scaled by 1/sqrt(d), in place
     * Softmax.causalSoftmaxRows(scores, 0, T, scores, 0, T, T, T, 1f / (float) Math.sqrt(d), 0);
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or a row lies outside its array
     * @throws IllegalArgumentException  if {@code firstPosition} is negative, {@code scale} is not finite and
     *                                   positive, a stride is below {@code cols}, or src and dst rows overlap
     *                                   without being the same rows
     */
    public static void causalSoftmaxRows(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset,
                                         int dstStride, int rows, int cols, float scale, int firstPosition) {
        RowSoftmax.causalSoftmaxRows(KERNEL, src, srcOffset, srcStride, dst, dstOffset, dstStride, rows, cols,
                scale, firstPosition);
    }

    // ---- Off-heap and heap memory segments: native-order float32 at any alignment, never copied to a float[]

    /**
     * Writes the softmax of the {@code length} native-order floats at float index {@code srcIndex} of {@code src}
     * (byte offset {@code 4 * srcIndex}) to float index {@code dstIndex} of {@code dst}. The segments may be native
     * or heap, at any alignment; the result is bitwise what {@link #softmax(float[], int, float[], int, int)} gives
     * for the same floats. The ranges may be the same memory (in place) or disjoint; overlap is about the memory the
     * segments address, so two segments over one array, or slices of one native segment, are compared too.
     *
     * <pre>{@code
     * try (Arena arena = Arena.ofConfined()) {
     *     MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, 32000);
     *     // ... fill logits ...
     *     Softmax.softmax(logits, 0, logits, 0, 32000);   // in place
     * }
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its segment
     * @throws IllegalArgumentException  if {@code dst} is read-only, or the ranges overlap in memory without being
     *                                   the same
     * @throws IllegalStateException     if a segment's arena is closed (as the FFM API throws)
     * @throws WrongThreadException      if a segment is confined to another thread (as the FFM API throws)
     */
    public static void softmax(MemorySegment src, long srcIndex, MemorySegment dst, long dstIndex, int length) {
        SegmentSoftmax.softmax(SegmentSoftmax.KERNEL, src, srcIndex, dst, dstIndex, length);
    }

    /**
     * Writes the log-softmax of the {@code length} native-order floats at float index {@code srcIndex} of
     * {@code src} to float index {@code dstIndex} of {@code dst}: bitwise what
     * {@link #logSoftmax(float[], int, float[], int, int)} gives for the same floats. Arguments as for
     * {@link #softmax(MemorySegment, long, MemorySegment, long, int)}.
     *
     * <pre>{@code
     * try (Arena arena = Arena.ofConfined()) {
     *     MemorySegment logits = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 2f, 1f, 0.5f, 1.5f);
     *     Softmax.logSoftmax(logits, 0, logits, 0, 4);   // in place: float 0 is now -0.78735...
     * }
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its segment
     * @throws IllegalArgumentException  if {@code dst} is read-only, or the ranges overlap in memory without being
     *                                   the same
     * @throws IllegalStateException     if a segment's arena is closed (as the FFM API throws)
     * @throws WrongThreadException      if a segment is confined to another thread (as the FFM API throws)
     */
    public static void logSoftmax(MemorySegment src, long srcIndex, MemorySegment dst, long dstIndex, int length) {
        SegmentSoftmax.logSoftmax(SegmentSoftmax.KERNEL, src, srcIndex, dst, dstIndex, length);
    }

    /**
     * Softmax of each of {@code rows} rows of {@code cols} native-order floats, row {@code r} at float index
     * {@code srcIndex + r * srcStride} of {@code src}, written at {@code dstIndex + r * dstStride} of {@code dst}
     * (e.g. the score rows of a padded attention matrix). Each row's result is bitwise what
     * {@link #softmax(MemorySegment, long, MemorySegment, long, int)} gives for it. In place means the same start
     * and stride on the same memory; otherwise no src row may overlap any dst row.
     *
     * <pre>{@code
     * try (Arena arena = Arena.ofConfined()) {
     *     MemorySegment scores = arena.allocate(ValueLayout.JAVA_FLOAT, heads * 1024L);  // rows padded to 1024
     *     // ... fill the first seq floats of each row ...
     *     Softmax.softmaxRows(scores, 0, 1024, scores, 0, 1024, heads, seq);          // in place
     * }
     * }</pre>
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or a row lies outside its
     *                                   segment
     * @throws IllegalArgumentException  if a stride is below {@code cols}, {@code dst} is read-only, or a src row
     *                                   overlaps a dst row without the two layouts being the same
     * @throws IllegalStateException     if a segment's arena is closed (as the FFM API throws)
     * @throws WrongThreadException      if a segment is confined to another thread (as the FFM API throws)
     */
    public static void softmaxRows(MemorySegment src, long srcIndex, long srcStride, MemorySegment dst,
                                   long dstIndex, long dstStride, int rows, int cols) {
        SegmentSoftmax.softmaxRows(SegmentSoftmax.KERNEL, src, srcIndex, srcStride, dst, dstIndex, dstStride, rows,
                cols);
    }

    // ================================================================================================ training
    // Backward steps for fine-tuning (issue 8). The work is in SoftmaxBackward; see CrossEntropy for the fused loss.

    /**
     * The softmax backward step (vector-Jacobian product): {@code dx = y ⊙ (dy − Σ y·dy)} for {@code y = softmax(x)}
     * and the loss gradient {@code dy} with respect to {@code y}, on {@code length} floats from each offset. {@code dx}
     * may be the {@code dy} range or the {@code y} range (in place). The dot product is accumulated in double and
     * each element is rounded once: within 4 ulp of {@code max(|dx_i|, y_i · max|dy|)}. IEEE arithmetic on the
     * formula for special values (a NaN in {@code y} or {@code dy} makes every {@code dx} NaN), as in PyTorch.
     *
     * <pre>{@code
     * float[] y = Softmax.softmax(new float[] {1f, 2f, 3f});
     * float[] dy = {0f, 0f, 1f};                            // d(loss)/dy: loss = y[2]
     * Softmax.softmaxBackward(y, 0, dy, 0, dy, 0, 3);       // in place: dy = y[2] * (onehot(2) - y)
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its array
     * @throws IllegalArgumentException  if {@code dx} and {@code y} (or {@code dy}) are in one array and overlap
     *                                   without being the same range
     */
    public static void softmaxBackward(float[] y, int yOffset, float[] dy, int dyOffset, float[] dx, int dxOffset,
                                       int length) {
        SoftmaxBackward.softmaxBackward(KERNEL, y, yOffset, dy, dyOffset, dx, dxOffset, length);
    }

    /**
     * The log-softmax backward step: {@code dx = g − exp(logp) · Σ g} for {@code logp = logSoftmax(x)} and the loss
     * gradient {@code g} with respect to {@code logp}. {@code dx} may be the {@code g} range or the {@code logp}
     * range (in place). Within 4 ulp of {@code max(|dx_i|, exp(logp_i) · |Σ g|)}. A {@code logp_i} of −inf gives
     * {@code dx_i = g_i}; NaN gives NaN at that element; elements above 0 (not log-probabilities) are accepted and
     * computed in double.
     *
     * <pre>{@code
     * float[] logp = new float[4];
     * Softmax.logSoftmax(new float[] {2f, 1f, 0.5f, 1.5f}, 0, logp, 0, 4);
     * float[] g = {-1f, 0f, 0f, 0f};                        // d(nll of class 0)/d(logp)
     * float[] dx = new float[4];
     * Softmax.logSoftmaxBackward(logp, 0, g, 0, dx, 0, 4);  // dx = softmax(x) - onehot(0)
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException if a range is negative or outside its array
     * @throws IllegalArgumentException  if {@code dx} and {@code logp} (or {@code g}) are in one array and overlap
     *                                   without being the same range
     */
    public static void logSoftmaxBackward(float[] logp, int logpOffset, float[] g, int gOffset, float[] dx,
                                          int dxOffset, int length) {
        SoftmaxBackward.logSoftmaxBackward(KERNEL, logp, logpOffset, g, gOffset, dx, dxOffset, length);
    }

    /**
     * {@link #softmaxBackward(float[], int, float[], int, float[], int, int)} on each row of row-major
     * {@code rows x cols} matrices stored contiguously from index 0; {@code dx} may be {@code y} or {@code dy}.
     *
     * <pre>{@code
     * Softmax.softmaxRows(scores, probs, heads, seq);                  // forward
     * Softmax.softmaxBackwardRows(probs, dProbs, dScores, heads, seq); // backward
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or {@code rows * cols}
     *                                   exceeds an array's length
     */
    public static void softmaxBackwardRows(float[] y, float[] dy, float[] dx, int rows, int cols) {
        SoftmaxBackward.softmaxBackwardRows(KERNEL, y, dy, dx, rows, cols);
    }

    /**
     * {@link #logSoftmaxBackward(float[], int, float[], int, float[], int, int)} on each row of row-major
     * {@code rows x cols} matrices stored contiguously from index 0; {@code dx} may be {@code logp} or {@code g}.
     *
     * <pre>{@code
     * Softmax.logSoftmaxRows(logits, logp, batch, vocab);               // forward
     * Softmax.logSoftmaxBackwardRows(logp, dLogp, dLogits, batch, vocab); // backward
     * }</pre>
     *
     * @throws NullPointerException      if an array is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or {@code rows * cols}
     *                                   exceeds an array's length
     */
    public static void logSoftmaxBackwardRows(float[] logp, float[] g, float[] dx, int rows, int cols) {
        SoftmaxBackward.logSoftmaxBackwardRows(KERNEL, logp, g, dx, rows, cols);
    }
}
