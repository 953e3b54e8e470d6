package org.softmax4j.bench;

/**
 * The "java-scalar" contender: the plain loop Java inference engines ship today. Max; {@code Math.exp} of the
 * shifted input, stored, summed in float as the engines do; divide. Everything else is measured against it.
 */
public final class JavaScalarSoftmax {
    private JavaScalarSoftmax() {
    }

    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, src[srcOffset + i]);
        }
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float e = (float) Math.exp(src[srcOffset + i] - max);
            dst[dstOffset + i] = e;
            sum += e;
        }
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] /= sum;
        }
    }

    public static void logSoftmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, src[srcOffset + i]);
        }
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += (float) Math.exp(src[srcOffset + i] - max);
        }
        float shift = max + (float) Math.log(sum);
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = src[srcOffset + i] - shift;
        }
    }
}
