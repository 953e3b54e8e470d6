package org.softmax4j;

/**
 * Softmax of rows too long for the caches, in two passes over memory instead of three (Milakov & Gimelshein
 * 2018, "Online normalizer calculation for softmax"; Dukhan & Ablavatski 2020, "Two-pass softmax"): 12 bytes of
 * memory traffic per element instead of 20, where the three-pass path is bound by memory bandwidth.
 *
 * <p>Pass 1 reads the row once, in chunks that fit L1, summing {@code exp(x - m)} with m the max seen so far. A
 * chunk holding a larger element reports it ({@link SoftmaxKernel#sumExpMinusMax} returns NaN); that chunk's max
 * and sum are then taken again from L1, and the sum so far is rescaled by {@code exp(oldMax - newMax)} in double,
 * which adds no float error. In random rows the max stops rising after a few chunks. Pass 2 stores
 * {@code exp(x - max) / sum}, multiplying each float exp by the double reciprocal as the three-pass path's normalize
 * pass does, and returns the sum of {@code exp(fl(x - max))} that the three-pass path would have used. The terms of
 * pass 1's sum that were shifted by an earlier max differ from those by the rounding of {@code x - m} against
 * {@code x - max}: random in random rows, but one-sided in rows of many equal logits, so when the two sums differ
 * by more than {@link #SUM_TOLERANCE} the outputs are corrected by their ratio.
 *
 * <p>The facade does not take this path: the blocked path ({@link BlockedSoftmax}, one exp per element, 16 bytes of
 * traffic) measured faster on Zen 4 (level at 16M in one of three runs), the one machine measured since its exp
 * loop got its current speed. JMH, AMD EPYC Zen 4 VM (32 MiB L3), 512 bits, 3 forks, ms per call, blocked /
 * two-pass: 4M 2.25 / 2.66, 16M 10.6 / 10.8, 64M 43.0 / 44.4 (2026-12-07); an earlier interleaved run 4M 2.09 /
 * 2.55, 16M 9.76 / 10.5; at 256 bits, ns/element, 1M 0.413 / 0.734, 4M 0.566 / 0.773, 16M 0.625 / 0.792, 64M
 * 0.621 / 0.799. With older, slower exp loops two passes were ahead at some lengths elsewhere (Zen 5 VM at 4M:
 * 0.509 against 0.601 ns/element, trailing at 16M and 64M by 12-15%; Intel Xeon at 16M: 1.436 against 1.514).
 * Two passes compute two exps per element (about 0.4 ns at 512 bits) to save 4 of 16 bytes, so they can win only
 * where memory is slower than that per byte, e.g. with many cores streaming at once. The path stays as the bench's
 * "softmax4j-two-pass" contender, so that {@code scripts/bench.sh} shows the comparison on any machine;
 * docs/PERFORMANCE.md has the measurements.
 */
final class TwoPassSoftmax {
    private TwoPassSoftmax() {}

    /** 4096 floats: 16 KiB of src, re-read from L1 when the chunk holds a new max. */
    private static final int CHUNK = 4096;
    /**
     * How far pass 1's sum may differ from pass 2's before pass 2's outputs are corrected: a quarter of 2^-24. In
     * random rows the shifted terms' roundings cancel and the two agree to about 1e-12; in a row of many equal
     * logits followed by a larger one they all round the same way (5.5 ulp measured before this correction).
     */
    private static final double SUM_TOLERANCE = 0x1p-26;

    /**
     * Writes the softmax of a finite row and returns its max; returns the max without writing anything when it is
     * NaN or infinite (the caller handles those rows).
     */
    static float softmax(SoftmaxKernel kernel, float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        double sum = 0;
        for (int start = 0, chunk; start < length; start += chunk) {  // += chunk: cannot overflow near 2^31
            chunk = Math.min(CHUNK, length - start);
            double chunkSum = max == Float.NEGATIVE_INFINITY ? Double.NaN
                    : kernel.sumExpMinusMax(src, srcOffset + start, chunk, max);
            if (Double.isNaN(chunkSum)) {  // the chunk holds a new max, NaN or +inf (or no max yet)
                float chunkMax = kernel.max(src, srcOffset + start, chunk);
                if (Float.isNaN(chunkMax)) {
                    return chunkMax;
                }
                if (chunkMax == Float.POSITIVE_INFINITY) {
                    return kernel.max(src, srcOffset, length);  // a NaN later in the row still wins over +inf
                }
                if (chunkMax == Float.NEGATIVE_INFINITY) {
                    continue;                                   // nothing but -inf so far: no mass yet
                }
                sum *= StrictMath.exp((double) max - chunkMax); // 0 while max is still -inf
                max = chunkMax;
                chunkSum = kernel.sumExpMinusMax(src, srcOffset + start, chunk, max);
            }
            sum += chunkSum;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            return max;
        }
        double scale = 1.0 / sum;
        double exactShiftSum = 0;
        for (int start = 0, chunk; start < length; start += chunk) {
            chunk = Math.min(CHUNK, length - start);
            // exp stored, then scaled while the chunk is in L1: the exp loop stays the one every path shares
            exactShiftSum += kernel.storeExpMinusMaxAndSum(src, srcOffset + start, dst, dstOffset + start, chunk, max,
                    Float.NEGATIVE_INFINITY);
            kernel.scale(dst, dstOffset + start, chunk, scale);
        }
        if (Math.abs(exactShiftSum - sum) > sum * SUM_TOLERANCE) {
            // The terms summed before the max rose were shifted by an earlier max, and rounded the same way (many
            // equal logits): correct the stored outputs by the ratio of the two sums. src may already be
            // overwritten (in place), so this multiplies; the extra rounding keeps the outputs within 2.8 ulp.
            kernel.scale(dst, dstOffset, length, sum / exactShiftSum);
        }
        return max;
    }
}
