package org.softmax4j;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

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
        softmax(KERNEL, src, srcOffset, dst, dstOffset, length);
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
        logSoftmax(KERNEL, src, srcOffset, dst, dstOffset, length);
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
        checkRows(src, dst, rows, cols);
        for (int r = 0; r < rows; r++) {
            softmaxRow(KERNEL, src, r * cols, dst, r * cols, cols);
        }
    }

    /**
     * Log-softmax of each row of a row-major {@code rows x cols} matrix; see {@link #softmaxRows}.
     *
     * @throws NullPointerException      if {@code src} or {@code dst} is null
     * @throws IndexOutOfBoundsException if {@code rows} or {@code cols} is negative, or {@code rows * cols}
     *                                   exceeds either array's length
     */
    public static void logSoftmaxRows(float[] src, float[] dst, int rows, int cols) {
        checkRows(src, dst, rows, cols);
        for (int r = 0; r < rows; r++) {
            logSoftmaxRow(KERNEL, src, r * cols, dst, r * cols, cols);
        }
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

    /** {@link #softmax(float[], int, float[], int, int)} on a given kernel (tests and the bench force one). */
    static void softmax(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        checkRange(src, srcOffset, dst, dstOffset, length);
        softmaxRow(kernel, src, srcOffset, dst, dstOffset, length);
    }

    /** {@link #logSoftmax(float[], int, float[], int, int)} on a given kernel. */
    static void logSoftmax(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        checkRange(src, srcOffset, dst, dstOffset, length);
        logSoftmaxRow(kernel, src, srcOffset, dst, dstOffset, length);
    }

    private static void softmaxRow(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                   int length) {
        if (length == 0) {
            return;
        }
        if (length >= TwoPassSoftmax.MIN_LENGTH && TwoPassSoftmax.paysOn(kernel)) {
            softmaxRowInTwoPasses(kernel, src, srcOffset, dst, dstOffset, length);
            return;
        }
        softmaxRowBlocked(kernel, src, srcOffset, dst, dstOffset, length);
    }

    /**
     * The blocked path of {@link #softmaxRow}, for rows that fit the last-level cache. The bench's
     * "softmax4j-blocked" contender calls it directly, at any length, to show the crossover with two passes.
     */
    static void softmaxRowBlocked(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                  int length) {
        int special = BlockedSoftmax.softmax(kernel, src, srcOffset, dst, dstOffset, length);
        if (special != BlockedSoftmax.DONE) {
            specialRowFrom(kernel, src, srcOffset, dst, dstOffset, length, special);
        }
    }

    /**
     * A softmax row found special from index {@code from} on (+inf there, or NaN from there on); the elements before
     * it are finite and their dst may already be written (in place, their src too).
     */
    private static void specialRowFrom(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                       int length, int from) {
        float max = kernel.max(src, srcOffset + from, length - from);
        if (Float.isNaN(max)) {
            Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
            return;
        }
        Arrays.fill(dst, dstOffset, dstOffset + from, 0f);
        specialRow(src, srcOffset + from, dst, dstOffset + from, length - from, max, false);
    }

    /**
     * The two-pass path of {@link #softmaxRow}, for rows larger than the last-level cache. Tests and the bench's
     * "softmax4j-two-pass" contender call it directly, at any length.
     */
    static void softmaxRowInTwoPasses(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                      int length) {
        float max = TwoPassSoftmax.softmax(kernel, src, srcOffset, dst, dstOffset, length);
        if (!Float.isFinite(max)) {
            specialRow(src, srcOffset, dst, dstOffset, length, max, false);
        }
    }

    private static void logSoftmaxRow(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset,
                                      int length) {
        if (length == 0) {
            return;
        }
        float max = kernel.max(src, srcOffset, length);
        if (Float.isFinite(max)) {
            float logSum = (float) kernel.logSumExpMinusMax(src, srcOffset, length, max);
            kernel.subtractMaxAndLogSum(src, srcOffset, dst, dstOffset, length, max, logSum);
        } else {
            specialRow(src, srcOffset, dst, dstOffset, length, max, true);
        }
    }

    /**
     * Rows whose max is not finite: NaN somewhere (the max is NaN), +inf somewhere (the +inf entries share the
     * mass), or every entry -inf (fully masked).
     */
    private static void specialRow(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max,
                                   boolean log) {
        if (Float.isNaN(max)) {
            Arrays.fill(dst, dstOffset, dstOffset + length, Float.NaN);
        } else if (max == Float.NEGATIVE_INFINITY) {
            Arrays.fill(dst, dstOffset, dstOffset + length, log ? Float.NEGATIVE_INFINITY : 0f);
        } else {
            int infinities = 0;
            for (int i = srcOffset; i < srcOffset + length; i++) {
                if (src[i] == Float.POSITIVE_INFINITY) {
                    infinities++;
                }
            }
            float share = log ? (float) (0.0 - Math.log(infinities)) : (float) (1.0 / infinities);  // +0.0 for k = 1
            float rest = log ? Float.NEGATIVE_INFINITY : 0f;
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = src[srcOffset + i] == Float.POSITIVE_INFINITY ? share : rest;
            }
        }
    }

    private static void checkRange(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        if (src == dst && srcOffset != dstOffset && Math.abs(srcOffset - dstOffset) < length) {
            throw new IllegalArgumentException("src [" + srcOffset + ", " + (srcOffset + length) + ") and dst ["
                    + dstOffset + ", " + (dstOffset + length)
                    + ") overlap in one array: use the same range (in place) or disjoint ranges");
        }
    }

    private static void checkRows(float[] src, float[] dst, int rows, int cols) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (rows < 0 || cols < 0) {
            throw new IndexOutOfBoundsException("rows (" + rows + ") and cols (" + cols + ") must not be negative");
        }
        long size = (long) rows * cols;
        Objects.checkFromIndexSize(0L, size, src.length);
        Objects.checkFromIndexSize(0L, size, dst.length);
    }
}
