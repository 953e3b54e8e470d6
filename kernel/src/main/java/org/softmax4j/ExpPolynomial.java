package org.softmax4j;

/**
 * {@code exp(x)} for {@code x <= 0} in float arithmetic: the one definition of the polynomial that the
 * scalar kernel evaluates here and the vector kernel evaluates lane-wise, with the same operations in the
 * same order, so both give bitwise the same value for the same {@code x}. Internal; public only for
 * {@code org.softmax4j.vector}.
 *
 * <p>Method: {@code n = round(x * log2(e))} by the magic-bias trick, {@code t = x - n*ln2} with ln 2 split in
 * two (Cody–Waite), {@code exp(x) = 2^n * (1 + t*p(t))} evaluated as {@code s + (t*s)*p} with {@code s = 2^n}
 * built from exponent bits. {@code p} has degree 5, so {@code 1 + t*p(t)} approximates {@code e^t} with degree 6
 * on [-ln2/2, ln2/2].
 *
 * <p>Error, measured exhaustively over all 1,118,743,632 floats in [{@link #UNDERFLOW_CUTOFF}, 0] against
 * {@link Math#exp(double)}: at most 0.88 ulp, 0.47% of inputs above 0.5 ulp. (The degree-5 polynomial common in
 * native kernels measures 1.98 ulp by the same test; the extra FMA costs little and buys a 2-ulp softmax.)
 */
public final class ExpPolynomial {
    private ExpPolynomial() {}

    /** log2(e) rounded to float. */
    public static final float LOG2E = 0x1.715476p+0f;
    /**
     * 1.5 * 2^23 + 127: adding it to {@code x*log2(e)} rounds to an integer n in the low mantissa bits, with the
     * float exponent bias already added, so shifting the bits left by 23 gives 2^n. Valid for {@code |x*log2e| < 2^22}.
     */
    public static final float MAGIC_BIAS = 0x1.8000FEp23f;
    /** -ln 2 split in two: the high part has 9 trailing zero bits so {@code n * MINUS_LN2_HI} is exact for {@code |n| <= 2^9}. */
    public static final float MINUS_LN2_HI = -0x1.62E400p-1f;
    public static final float MINUS_LN2_LO = -0x1.7F7D1Cp-20f;
    /**
     * Coefficients of p(t) ~ (e^t - 1)/t on [-ln2/2, ln2/2]: weighted least squares on 4000 Chebyshev nodes for
     * the relative error of e^t, fitted one coefficient at a time with the earlier ones already rounded to float
     * (C1 = 1 exactly). Approximation error 3.7e-9 relative (0.06 of 2^-24); the rest is rounding.
     */
    public static final float C1 = 1.0f;
    public static final float C2 = 0x1.fffff8p-2f;
    public static final float C3 = 0x1.55548ep-3f;
    public static final float C4 = 0x1.555b96p-5f;
    public static final float C5 = 0x1.123bdp-7f;
    public static final float C6 = 0x1.685352p-10f;
    /**
     * ln(Float.MIN_NORMAL) rounded up: below it exp(x) is subnormal, and the kernel flushes it to 0 (its
     * softmax value is below MIN_NORMAL as well, where only absolute error counts).
     */
    public static final float UNDERFLOW_CUTOFF = -0x1.5D589Ep6f;

    /**
     * Whether no element of a row with this max and min can fall below {@link #UNDERFLOW_CUTOFF} once shifted:
     * rounding being monotone, every {@code fl(x - max)} is then at least {@code fl(min - max)}. False for a min of
     * -inf (not known, or a masked element) and for NaN. The vector exp loops skip their underflow test where it holds.
     */
    public static boolean noneCanUnderflow(float max, float min) {
        return min - max >= UNDERFLOW_CUTOFF;
    }

    /**
     * {@link #MAGIC_BIAS} with 64 more in the exponent: the same evaluation then gives {@code exp(x) * 2^64}, still a
     * normal float down to x = {@link #SCALED_UNDERFLOW_CUTOFF}. The log-softmax normalizer uses it so that terms far
     * below MIN_NORMAL still count when the normalizer itself is that small.
     */
    public static final float MAGIC_BIAS_SCALED_2_64 = 0x1.8000FEp23f + 64;
    /**
     * Comfortably above where {@code exp(x) * 2^64} leaves the normal floats (x = -131.70, n = -190): the terms
     * it drops are below 2^-189, far below any normalizer they could matter to.
     */
    public static final float SCALED_UNDERFLOW_CUTOFF = -131f;

    /** {@code exp(x)} for {@code x <= 0} (and -inf); 0 below {@link #UNDERFLOW_CUTOFF}; NaN for NaN. */
    public static float exp(float x) {
        return exp(x, MAGIC_BIAS, UNDERFLOW_CUTOFF);
    }

    /** {@code exp(x) * 2^64} for {@code x <= 0}; 0 below {@link #SCALED_UNDERFLOW_CUTOFF}; NaN for NaN. */
    public static float expTimes2To64(float x) {
        return exp(x, MAGIC_BIAS_SCALED_2_64, SCALED_UNDERFLOW_CUTOFF);
    }

    /**
     * {@code exp(x - max) * 2^64} with the shift taken exactly: the float shift's rounding error (TwoSum) is applied
     * as {@code exp(d + err) ~ exp(d) * (1 + err)}; {@code |err| <= 2^-24 * 131}, so the neglected err^2/2 is below 2^-34.
     * 0 where the shifted value is below {@link #SCALED_UNDERFLOW_CUTOFF} (including -inf, where err is NaN).
     */
    public static float exactExpMinusMaxTimes2To64(float x, float max) {
        float d = x - max;
        if (!(d >= SCALED_UNDERFLOW_CUTOFF)) {
            return 0f;
        }
        float e = expTimes2To64(d);
        return Math.fma(e, shiftRoundingError(x, max, d), e);
    }

    /** {@code (x - max) - d} exactly, for {@code d = x - max} rounded to float: Knuth's TwoSum, any magnitudes. */
    public static float shiftRoundingError(float x, float max, float d) {
        float minusMax = -max;
        float xPart = d - minusMax;
        float maxPart = d - xPart;
        return (x - xPart) + (minusMax - maxPart);
    }

    private static float exp(float x, float magicBias, float cutoff) {
        float n = Math.fma(x, LOG2E, magicBias);
        float s = Float.intBitsToFloat(Float.floatToRawIntBits(n) << 23);
        n -= magicBias;
        float t = Math.fma(n, MINUS_LN2_HI, x);
        t = Math.fma(n, MINUS_LN2_LO, t);
        float p = Math.fma(C6, t, C5);
        p = Math.fma(p, t, C4);
        p = Math.fma(p, t, C3);
        p = Math.fma(p, t, C2);
        p = Math.fma(p, t, C1);
        float ts = t * s;
        float e = Math.fma(ts, p, s);
        return x < cutoff ? 0f : e;
    }
}
