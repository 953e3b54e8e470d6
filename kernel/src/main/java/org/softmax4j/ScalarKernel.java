package org.softmax4j;

/**
 * Plain-Java kernel: what runs when {@code jdk.incubator.vector} is not enabled or would be slow (no C2).
 * Same exp polynomial as the vector kernel; the sum is accumulated directly in double, so its error is
 * negligible at any length.
 */
final class ScalarKernel implements SoftmaxKernel {
    static final ScalarKernel INSTANCE = new ScalarKernel("scalar");

    private final String description;

    private ScalarKernel(String description) {
        this.description = description;
    }

    /** The scalar kernel, described with the reason it was chosen. */
    static ScalarKernel because(String reason) {
        return new ScalarKernel("scalar (" + reason + ")");
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public float max(float[] a, int offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset, end = offset + length; i < end; i++) {
            max = Math.max(max, a[i]);
        }
        return max;
    }

    /** None: the scalar kernel's general path has no per-pass overhead to save. */
    @Override
    public int shortRowLength() {
        return 0;
    }

    @Override
    public boolean softmaxOfShortRow(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        return false;
    }

    @Override
    public long maxAndMin(float[] a, int offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int i = offset, end = offset + length; i < end; i++) {
            max = a[i] > max ? a[i] : max;
            min = a[i] < min ? a[i] : min;
        }
        return SoftmaxKernel.packMaxAndMin(Float.floatToRawIntBits(max), Float.floatToRawIntBits(min));
    }

    @Override
    public double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length,
                                         float max, float min) {  // min: only a hint for the vector kernel
        double sum = 0;
        for (int i = 0; i < length; i++) {
            float e = ExpPolynomial.exp(src[srcOffset + i] - max);
            dst[dstOffset + i] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public double sumExpMinusMax(float[] src, int srcOffset, int length, float max) {
        double sum = 0;
        for (int i = srcOffset, end = srcOffset + length; i < end; i++) {
            float shifted = src[i] - max;
            if (!(shifted <= 0)) {
                return Double.NaN;
            }
            sum += ExpPolynomial.exp(shifted);
        }
        return sum;
    }

    @Override
    public double logSumExpMinusMax(float[] src, int srcOffset, int length, float max) {
        int maxCount = 0;
        double belowMax = 0;
        for (int i = srcOffset, end = srcOffset + length; i < end; i++) {
            if (src[i] == max) {
                maxCount++;
            } else {
                belowMax += ExpPolynomial.exactExpMinusMaxTimes2To64(src[i], max);
            }
        }
        return SoftmaxKernel.logOfSum(maxCount, belowMax * 0x1p-64);
    }

    @Override
    public void scale(float[] a, int offset, int length, double factor) {
        // factor = hi + lo to 48 bits; fma(a, hi, a*lo) rounds a*factor once (a*lo is 2^-24 of the result).
        float hi = (float) factor;
        float lo = (float) (factor - hi);
        for (int i = offset, end = offset + length; i < end; i++) {
            a[i] = Math.fma(a[i], hi, a[i] * lo);
        }
    }

    @Override
    public void subtractMaxAndLogSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length,
                                     float max, float logSum) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (src[srcOffset + i] - max) - logSum;
        }
    }

    @Override
    public float storeScaledPlusMaskAndMax(float[] src, int srcOffset, float scale, float[] mask, int maskOffset,
                                           float[] dst, int dstOffset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            float v = mask == null ? scale * src[srcOffset + i] : Math.fma(scale, src[srcOffset + i], mask[maskOffset + i]);
            dst[dstOffset + i] = v;
            if (v > max) {
                max = v;
            }
        }
        return max;
    }

    @Override
    public int firstAbove(float[] a, int offset, int length, float threshold) {
        for (int i = 0; i < length; i++) {
            if (!(a[offset + i] <= threshold)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public double sumOfNonNegative(float[] a, int offset, int length) {
        double sum = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            float x = a[i];
            if (!(x >= 0)) {
                return Double.NaN;  // negative, -inf or NaN
            }
            sum += x;
        }
        return Double.isFinite(sum) ? sum : Double.NaN;  // +inf (a sum of finite floats stays finite in double)
    }

    @Override
    public int indicesAbove(float[] a, int offset, int length, float threshold, int[] indices) {
        int count = 0;
        for (int i = 0; i < length; i++) {
            if (!(a[offset + i] <= threshold)) {
                if (count < indices.length) {
                    indices[count] = i;
                }
                count++;
            }
        }
        return count;
    }

    @Override
    public double dotProduct(float[] a, int aOffset, float[] b, int bOffset, int length) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += (double) a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public double sum(float[] a, int offset, int length) {
        double sum = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            sum += a[i];
        }
        return sum;
    }

    @Override
    public void subtractAndMultiply(float[] y, int yOffset, float[] dy, int dyOffset, float[] dx, int dxOffset,
                                    int length, double s) {
        for (int i = 0; i < length; i++) {
            dx[dxOffset + i] = (float) ((double) y[yOffset + i] * ((double) dy[dyOffset + i] - s));
        }
    }

    @Override
    public void subtractScaled(float[] g, int gOffset, float[] e, int eOffset, float[] dx, int dxOffset, int length,
                               double s) {
        for (int i = 0; i < length; i++) {
            dx[dxOffset + i] = (float) ((double) g[gOffset + i] - (double) e[eOffset + i] * s);
        }
    }

    @Override
    public void scaleAndSubtract(float[] a, int offset, int length, double factor, double c) {
        for (int i = offset, end = offset + length; i < end; i++) {
            a[i] = (float) ((double) a[i] * factor - c);
        }
    }
}
